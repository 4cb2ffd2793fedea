// The bench driver (`npm run bench` runs it inside Windows node.exe; under Wine here).
// For each protocol sequence and number of calls in flight it starts a calc server and
// measures, side by side in rounds whose order rotates, winrpc (client.Add), the C
// client (bench/c-client, its own process) and the sync addon (bench/sync-addon), then
// the binding's hot path (synthetic completions into JS). Prints one table and writes
// build/bench/results.json. Every server and C client it starts is killed on the way
// out, whatever happens.
//
// Then the server rows (bench/server-rows.mjs): the C client against calc's C server and
// against calc served by winrpc from JS, in the same run.
//
// Then the bulk rows: one 1 MiB byte buffer per call [in] (bulk.PutBytes) and [out]
// (bulk.GetBytes), winrpc against bench/c-client/bulk_async_client.c on one bulk.exe.
//
//   node bench/run.mjs [--calls=N] [--slices=S] [--rounds=R] [--inflight=1,16,64,256]
//                      [--protseqs=ncalrpc,ncacn_ip_tcp] [--hot=N]
//                      [--servers=1,16 (in flight for the server rows; 0: none)]
//                      [--bulk=BYTES (0: none)] [--bulkcalls=N] [--bulkinflight=N]
//   (--inflight=0 and --hot=0 skip the Add points and the hot path: e.g. the bulk rows alone)
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { measureServerPoint, serverTable } from './server-rows.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build', 'bench');
const options = parseOptions(process.argv.slice(2), {
  calls: 1000,
  slices: 4,
  rounds: 3,
  inflight: '1,16,64,256',
  protseqs: 'ncalrpc,ncacn_ip_tcp',
  hot: 50_000,
  deliver: 5_000_000,
  bulk: 1 << 20,
  bulkcalls: 40,
  bulkinflight: 1,
  servers: '1,16',
});
// 0 (`--inflight=0`) measures no Add point: the bulk rows alone, say.
const IN_FLIGHT = String(options.inflight)
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const PROTSEQS = String(options.protseqs).split(',');
const TARGET_RATIO = 0.95;
const TARGET_HOT = 1_000_000;

const { interfaceFromSource, RpcBinding, loadAddon } = await import(
  pathToFileURL(join(out, 'winrpc.mjs')).href
);
const syncAddon = createRequire(import.meta.url)(join(out, 'sync_addon.node'));
const cClient = join(out, 'calc_async_client.exe');
const bulkClient = join(out, 'bulk_async_client.exe');
const calcExe = join(root, 'build', 'servers', 'calc.exe');
const bulkExe = join(root, 'build', 'servers', 'bulk.exe');
const bulkIdl = readFileSync(join(root, 'test', 'servers', 'bulk.idl'), 'utf8');
const startedFile = join(out, 'started.txt');
const calcIdl = readFileSync(join(root, 'test', 'servers', 'calc.idl'), 'utf8');

// ---- children: every process started here is killed on the way out ----------------
const children = new Set();
function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.once('error', () => children.delete(child));
  return child;
}
function killAll() {
  for (const child of children) child.kill();
}
process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

function freeTcpPort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

let serial = 0;
async function startCalc(protseq, exe = calcExe) {
  const endpoint =
    protseq === 'ncacn_ip_tcp' ? String(await freeTcpPort()) : `wr_bench_${process.pid}_${++serial}`;
  const binding =
    protseq === 'ncacn_ip_tcp' ? `ncacn_ip_tcp:127.0.0.1[${endpoint}]` : `${protseq}:[${endpoint}]`;
  // Recorded first, so scripts/bench.mjs can end this server should the driver die hard.
  appendFileSync(startedFile, `${endpoint}\n`);
  const child = track(spawn(exe, [protseq, endpoint], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let output = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`calc.exe did not listen within 30 s: ${output}`)),
      30_000,
    );
    const onData = (chunk) => {
      output += chunk;
      if (output.includes(`LISTENING ${protseq} ${endpoint}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`calc.exe exited with ${code} before listening: ${output}`));
    });
  });
  return {
    binding,
    async stop() {
      child.kill();
      await exited;
    },
  };
}

// ---- the three clients ----------------------------------------------------------
/** Keeps `n` calls of `call(i)` in flight until `calls` have completed. */
async function keepInFlight(n, calls, call) {
  let issued = 0;
  const lane = async () => {
    while (issued < calls) {
      const a = issued++;
      await call(a);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, calls) }, lane));
}

/** Add(i, 1) through `add`, checked. */
function checkedAdd(add) {
  return async (a) => {
    const sum = await add(a, 1);
    if (sum !== a + 1) throw new Error(`Add(${a}, 1) returned ${sum}`);
  };
}

async function timeInProcess(n, calls, call, warmUp = warmUpCount(n)) {
  await keepInFlight(n, warmUp, call); // connection set up, caches warm
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await keepInFlight(n, calls, call);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { calls, seconds, cpuUs: used.user + used.system };
}

/** Calls per second and CPU µs per call of one measurement or of several summed. */
function rates(list) {
  const calls = list.reduce((sum, s) => sum + s.calls, 0);
  const seconds = list.reduce((sum, s) => sum + s.seconds, 0);
  const cpuUs = list.reduce((sum, s) => sum + s.cpuUs, 0);
  return { callsPerSec: calls / seconds, cpuUsPerCall: cpuUs / calls };
}

function warmUpCount(n) {
  return Math.max(50, 2 * n);
}

// Wine's runtime now and then leaves a call without a reply (seen on ncacn_ip_tcp under
// heavy load, for the C client too): a measurement that takes this long is recorded
// as failed and the run goes on. Calls it left in flight die with the process.
const MEASUREMENT_TIMEOUT_MS = 120_000;

function withTimeout(promise, what) {
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} took more than ${MEASUREMENT_TIMEOUT_MS / 1000} s`)),
      MEASUREMENT_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

function measureWinrpc(ctx, n) {
  return withTimeout(timeInProcess(n, options.calls, checkedAdd(ctx.client.Add)), 'winrpc');
}

function measureSync(ctx, n) {
  return withTimeout(
    timeInProcess(
      n,
      options.calls,
      checkedAdd((a, b) => syncAddon.add(ctx.syncBinding, a, b)),
    ),
    'the sync addon',
  );
}

function measureC(ctx, n) {
  return runCClient(cClient, [ctx.server.binding, String(n), String(options.calls), String(warmUpCount(n))]);
}

function runCClient(exe, args) {
  const child = track(spawn(exe, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c) => {
    stdout += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c) => {
    stderr += c;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the C client took more than 120 s\n${stderr}`));
    }, MEASUREMENT_TIMEOUT_MS);
    child.once('close', (code) => {
      clearTimeout(timer);
      try {
        const result = JSON.parse(stdout.trim().split('\n').at(-1));
        if (code !== 0 || result.errors > 0) throw new Error(`status ${result.firstError}`);
        resolve({ calls: result.calls, seconds: result.seconds, cpuUs: result.cpuSeconds * 1e6 });
      } catch (error) {
        reject(new Error(`C client failed (exit ${code}): ${error.message}\n${stdout}${stderr}`));
      }
    });
  });
}

const failures = [];

const MEASURE = { winrpc: measureWinrpc, c: measureC, sync: measureSync };

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The order of one round's measurements: winrpc and the C client in `slices` slices
 * each, in pairs A B, B A, A B, ... (A is winrpc in even rounds, the C client in odd
 * ones), so a load that drifts during the round weighs on both alike; then the sync
 * addon in as many slices.
 */
function roundOrder(round, slices) {
  const [a, b] = round % 2 ? ['c', 'winrpc'] : ['winrpc', 'c'];
  const order = [];
  for (let i = 0; i < slices; i++) order.push(...(i % 2 ? [b, a] : [a, b]));
  for (let i = 0; i < slices; i++) order.push('sync');
  return order;
}

async function measurePoint(protseq, n) {
  const server = await startCalc(protseq);
  // No authentication and non-causal calls, as the C client and the sync addon bind
  // (winrpc's remote default, Negotiate at privacy, fails under Wine).
  const binding = RpcBinding.fromString(server.binding, { auth: 'none', nonCausal: true });
  const ctx = {
    server,
    client: interfaceFromSource(calcIdl, { file: 'calc.idl' }).createClient(binding),
    syncBinding: syncAddon.bind(server.binding),
  };
  // Per client, one figure per round from the sum of its slices in that round.
  const rounds = { winrpc: [], c: [], sync: [] };
  // winrpc/C of each round whose slices all succeeded: both clients' slices of a
  // round interleave, so this is the pair the target applies to.
  const ratios = [];
  try {
    for (let round = 0; round < options.rounds; round++) {
      const slices = { winrpc: [], c: [], sync: [] };
      let failed = false;
      for (const name of roundOrder(round, options.slices)) {
        try {
          slices[name].push(await MEASURE[name](ctx, n));
        } catch (error) {
          failed = true;
          failures.push(`${protseq} N=${n} ${name}: ${error.message.split('\n')[0]}`);
          console.log(`  failed: ${failures.at(-1)}`);
        }
      }
      for (const [name, list] of Object.entries(slices)) if (list.length) rounds[name].push(rates(list));
      if (!failed) ratios.push(rates(slices.winrpc).callsPerSec / rates(slices.c).callsPerSec);
    }
  } finally {
    binding.free();
    await server.stop();
  }
  const summary = {};
  for (const [name, list] of Object.entries(rounds)) {
    summary[name] = {
      // NaN when every round failed: shown as "failed" in the table.
      callsPerSec: list.length ? median(list.map((s) => s.callsPerSec)) : Number.NaN,
      cpuUsPerCall: list.length ? median(list.map((s) => s.cpuUsPerCall)) : Number.NaN,
      rounds: list.map((s) => Math.round(s.callsPerSec)),
    };
  }
  return {
    protseq,
    inFlight: n,
    ...summary,
    // The median and the lowest of the rounds' own ratios (not a ratio of medians).
    ratioC: ratios.length ? median(ratios) : Number.NaN,
    ratioCMin: ratios.length ? Math.min(...ratios) : Number.NaN,
    roundRatios: ratios.map((r) => Math.round(r * 100) / 100),
    ratioSync: summary.winrpc.callsPerSec / summary.sync.callsPerSec,
  };
}

// ---- bulk data: one large byte buffer per call ------------------------------------
// Both clients fill their buffers once, as a careful caller would, and check the reply.
async function measureBulk(protseq) {
  const server = await startCalc(protseq, bulkExe);
  const binding = RpcBinding.fromString(server.binding, { auth: 'none', nonCausal: true });
  const client = interfaceFromSource(bulkIdl, { file: 'bulk.idl' }).createClient(binding);
  const size = options.bulk;
  const data = Uint8Array.from({ length: size }, (_, i) => i & 0xff);
  const sum = data.reduce((a, b) => (a + b) | 0, 0);
  const n = options.bulkinflight;
  const directions = {
    in: {
      winrpc: async () => {
        if ((await client.PutBytes(size, data)) !== sum) throw new Error('PutBytes: wrong sum');
      },
      c: 'put',
    },
    out: {
      winrpc: async () => {
        const { data: back } = await client.GetBytes(size);
        if (back.length !== size || back[size - 1] !== ((size - 1) & 0xff))
          throw new Error('GetBytes: wrong data');
      },
      c: 'get',
    },
  };
  const rows = [];
  try {
    for (const [direction, call] of Object.entries(directions)) {
      const samples = { winrpc: [], c: [] };
      for (let round = 0; round < options.rounds; round++) {
        const order = round % 2 ? ['c', 'winrpc'] : ['winrpc', 'c'];
        for (const name of order) {
          try {
            const result =
              name === 'winrpc'
                ? await withTimeout(
                    timeInProcess(n, options.bulkcalls, call.winrpc, Math.min(10, options.bulkcalls)),
                    'winrpc',
                  )
                : await runCClient(bulkClient, [
                    server.binding,
                    String(n),
                    String(options.bulkcalls),
                    String(Math.min(10, options.bulkcalls)),
                    call.c,
                    String(size),
                  ]);
            samples[name].push(rates([result]));
          } catch (error) {
            failures.push(`${protseq} bulk ${direction} ${name}: ${error.message.split('\n')[0]}`);
            console.log(`  failed: ${failures.at(-1)}`);
          }
        }
      }
      const mbPerSec = (list) =>
        list.length ? median(list.map((s) => (s.callsPerSec * size) / 1e6)) : Number.NaN;
      const cpuMsPerMb = (list) =>
        list.length ? median(list.map((s) => s.cpuUsPerCall / 1000 / (size / 1e6))) : Number.NaN;
      const row = {
        protseq,
        direction,
        size,
        inFlight: n,
        winrpc: { mbPerSec: mbPerSec(samples.winrpc), cpuMsPerMb: cpuMsPerMb(samples.winrpc) },
        c: { mbPerSec: mbPerSec(samples.c), cpuMsPerMb: cpuMsPerMb(samples.c) },
        rounds: {
          winrpc: samples.winrpc.map((s) => Math.round((s.callsPerSec * size) / 1e6)),
          c: samples.c.map((s) => Math.round((s.callsPerSec * size) / 1e6)),
        },
      };
      row.ratioC = row.winrpc.mbPerSec / row.c.mbPerSec;
      rows.push(row);
      console.log(
        `  ${protseq} bulk [${direction}]: winrpc ${row.rounds.winrpc.join('/')}  C ${row.rounds.c.join('/')} MB/s`,
      );
    }
  } finally {
    binding.free();
    await server.stop();
  }
  return rows;
}

// ---- hot path: completions into JS -----------------------------------------------
/** Completions per second from `start(count)` to the last record reaching JS. */
function deliveryRate(addon, count, start) {
  return new Promise((resolve, reject) => {
    let received = 0;
    let expected = 0;
    const begin = process.hrtime.bigint();
    addon.setCompletionCallback((records) => {
      for (let i = 0; i < records.length; i += 2) {
        if (records[i] !== expected++) reject(new Error(`record ${records[i]} out of order`));
      }
      received += records.length / 2;
      if (received === count) resolve(count / (Number(process.hrtime.bigint() - begin) / 1e9));
    });
    start(count);
  });
}

async function measureHotPath() {
  const addon = loadAddon();
  const port = [];
  const direct = [];
  for (let round = 0; round < options.rounds; round++) {
    port.push(await deliveryRate(addon, options.hot, (count) => addon.postSynthetic(count, 0)));
    direct.push(await deliveryRate(addon, options.deliver, (count) => addon.benchDeliver(count, 0)));
  }
  return {
    postSynthetic: { count: options.hot, perSec: median(port), rounds: port.map(Math.round) },
    benchDeliver: { count: options.deliver, perSec: median(direct), rounds: direct.map(Math.round) },
  };
}

// ---- output ------------------------------------------------------------------------
function fmt(value, digits = 0) {
  if (Number.isNaN(value)) return 'failed';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function table(points) {
  const head = [
    'protseq',
    'N',
    'winrpc calls/s',
    'C calls/s',
    'sync calls/s',
    'winrpc/C',
    'lowest round',
    'winrpc/sync',
    'CPU µs/call winrpc',
    'C',
    'sync',
  ];
  const rows = points.map((p) => [
    p.protseq,
    String(p.inFlight),
    fmt(p.winrpc.callsPerSec),
    fmt(p.c.callsPerSec),
    fmt(p.sync.callsPerSec),
    `${fmt(p.ratioC, 2)}${p.ratioC < TARGET_RATIO ? ' *' : ''}`,
    `${fmt(p.ratioCMin, 2)}${p.ratioCMin < TARGET_RATIO ? ' *' : ''}`,
    fmt(p.ratioSync, 2),
    fmt(p.winrpc.cpuUsPerCall),
    fmt(p.c.cpuUsPerCall),
    fmt(p.sync.cpuUsPerCall),
  ]);
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i < 2 ? '---' : '--:')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function bulkTable(rows) {
  const head = ['protseq', 'buffer', 'N', 'winrpc MB/s', 'C MB/s', 'winrpc/C', 'CPU ms/MB winrpc', 'C'];
  const body = rows.map((r) => [
    r.protseq,
    `${fmt(r.size / 1024)} KiB [${r.direction}]`,
    String(r.inFlight),
    fmt(r.winrpc.mbPerSec, 1),
    fmt(r.c.mbPerSec, 1),
    `${fmt(r.ratioC, 2)}${r.ratioC < TARGET_RATIO ? ' *' : ''}`,
    fmt(r.winrpc.cpuMsPerMb, 2),
    fmt(r.c.cpuMsPerMb, 2),
  ]);
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i < 3 ? '---' : '--:')).join('|')}|`,
    ...body.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function parseOptions(args, defaults) {
  const result = { ...defaults };
  for (const arg of args) {
    const match = /^--([a-z]+)=(.*)$/.exec(arg);
    if (!match || !(match[1] in defaults)) throw new Error(`bench: unknown option ${arg}`);
    result[match[1]] = typeof defaults[match[1]] === 'number' ? Number(match[2]) : match[2];
  }
  return result;
}

async function main() {
  const threadpool = process.env.UV_THREADPOOL_SIZE ?? '4 (default)';
  console.log(
    `bench: ${options.rounds} rounds (median); in each, ${options.slices} slices of ${options.calls} calls ` +
      `per client (winrpc and C interleaved), each after a warm-up of max(50, 2N); UV_THREADPOOL_SIZE=${threadpool}, ` +
      `${cpus().length} CPUs, node ${process.version} ${process.platform}`,
  );
  const points = [];
  for (const protseq of PROTSEQS) {
    for (const n of IN_FLIGHT) {
      let point;
      try {
        point = await measurePoint(protseq, n);
      } catch (error) {
        failures.push(`${protseq} N=${n}: ${error.message.split('\n')[0]}`);
        console.log(`  failed: ${failures.at(-1)}`);
        continue;
      }
      points.push(point);
      console.log(
        `  ${protseq} N=${n}: winrpc ${point.winrpc.rounds.join('/')}  C ${point.c.rounds.join('/')}  ` +
          `sync ${point.sync.rounds.join('/')} calls/s; winrpc/C ${point.roundRatios.join('/')}`,
      );
    }
  }
  const serverDeps = {
    options,
    startCalc,
    runCClient,
    cClient,
    warmUpCount,
    median,
    rates,
    failures,
    interfaceFromSource,
    calcIdl,
    freeTcpPort,
    recordEndpoint: (endpoint) => appendFileSync(startedFile, `${endpoint}\n`),
  };
  const serverRows = [];
  const serverInFlight = String(options.servers)
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  for (const protseq of PROTSEQS) {
    for (const n of serverInFlight) {
      try {
        serverRows.push(await measureServerPoint(serverDeps, protseq, n));
      } catch (error) {
        failures.push(`${protseq} N=${n} server: ${error.message.split('\n')[0]}`);
        console.log(`  failed: ${failures.at(-1)}`);
      }
    }
  }
  const bulk = [];
  for (const protseq of options.bulk > 0 ? PROTSEQS : []) {
    try {
      bulk.push(...(await measureBulk(protseq)));
    } catch (error) {
      failures.push(`${protseq} bulk: ${error.message.split('\n')[0]}`);
      console.log(`  failed: ${failures.at(-1)}`);
    }
  }
  // Last: it replaces the call engine's completion callback. `--hot=0` skips it.
  const hot = options.hot > 0 ? await measureHotPath() : undefined;

  if (points.length > 0) console.log(`\n${table(points)}\n`);
  if (serverRows.length > 0) {
    console.log(
      `servers, called by the C client (winrpc's JS server against calc.exe):\n${serverTable(serverRows, fmt)}\n`,
    );
  }
  if (bulk.length > 0) console.log(`${bulkTable(bulk)}\n`);
  if (hot) {
    console.log(
      `hot path, synthetic completions into JS (median of ${options.rounds}):\n` +
        `  through the completion port (postSynthetic, ${fmt(hot.postSynthetic.count)}): ` +
        `${fmt(hot.postSynthetic.perSec)}/s\n` +
        `  delivery path only (benchDeliver, ${fmt(hot.benchDeliver.count)}): ${fmt(hot.benchDeliver.perSec)}/s ` +
        `(target ${fmt(TARGET_HOT)}/s: ${hot.benchDeliver.perSec >= TARGET_HOT ? 'met' : 'NOT met'})`,
    );
  }
  const below = points.filter((p) => p.ratioC < TARGET_RATIO);
  if (points.length > 0) {
    console.log(
      below.length === 0
        ? `winrpc/C >= ${TARGET_RATIO} at every point (median of rounds)`
        : `* winrpc/C below the ${TARGET_RATIO} target at ${below.length} of ${points.length} points: ` +
            below.map((p) => `${p.protseq} N=${p.inFlight} (${fmt(p.ratioC, 2)})`).join(', '),
    );
    const lowRounds = points.filter((p) => p.inFlight >= 16 && !(p.ratioCMin >= TARGET_RATIO));
    console.log(
      lowRounds.length === 0
        ? `winrpc/C >= ${TARGET_RATIO} in every round at N >= 16`
        : `* a round below ${TARGET_RATIO} at N >= 16: ` +
            lowRounds.map((p) => `${p.protseq} N=${p.inFlight} (lowest ${fmt(p.ratioCMin, 2)})`).join(', '),
    );
  }
  if (failures.length > 0) {
    console.log(`failed measurements (left out of the medians):\n  ${failures.join('\n  ')}`);
    process.exitCode = 1;
  }
  writeFileSync(
    join(out, 'results.json'),
    `${JSON.stringify({ date: new Date().toISOString(), options, threadpool, points, servers: serverRows, bulk, hot, failures }, null, 2)}\n`,
  );
}

try {
  await main();
} catch (error) {
  console.error(`bench: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  killAll();
  // A call Wine never completed would keep the process alive (work in flight).
  process.exit();
}
