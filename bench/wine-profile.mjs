// Where a client's CPU goes under Wine, for one protocol sequence and N calls in flight:
//   bash scripts/lane/node-exe.sh bench/wine-profile.mjs [protseq] [N] [calls] [winrpc|c]
// (after `npm run bench` has built build/bench/ and calc.exe). Starts a calc server,
// runs calc.Add with N in flight through winrpc (in this process) or the C client
// (bench/c-client, a child), and prints calls/s and CPU per call: for winrpc per thread
// of this process, and for both the wineserver's and calc.exe's CPU, which neither
// client's own CPU figure includes. Under Wine every Windows process is a Linux
// process, so the figures come from /proc through Wine's Z: drive; on Windows this
// script has nothing to read. For winrpc it also prints how many completions each
// delivery into JS carried.
import { spawn } from 'node:child_process';
import { openSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [protseq = 'ncalrpc', inFlight = '16', callCount = '3000', client = 'winrpc'] = process.argv.slice(2);
const n = Number(inFlight);
const calls = Number(callCount);
const PROC = 'Z:\\proc';
const TICK_US = 10_000; // USER_HZ 100

function readProc(path) {
  try {
    return readFileSync(`${PROC}\\${path}`, 'utf8');
  } catch {
    return undefined; // the process or thread is gone
  }
}

/** utime and stime in µs from a /proc stat line. */
function cpuOf(stat) {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    user: Number(fields[11]) * TICK_US,
    system: Number(fields[12]) * TICK_US,
    faults: Number(fields[7]),
  };
}

/** Total CPU (µs) of every Linux process whose command line passes `match`. */
function processCpu(match) {
  let total = 0;
  for (const pid of readdirSync(PROC).filter((name) => /^\d+$/.test(name))) {
    const cmdline = readProc(`${pid}\\cmdline`);
    const stat = cmdline !== undefined && match(cmdline, pid) ? readProc(`${pid}\\stat`) : undefined;
    if (stat === undefined) continue;
    const cpu = cpuOf(stat);
    total += cpu.user + cpu.system;
  }
  return total;
}

// This node.exe as Linux sees it (process.pid is the Windows process id).
const linuxPid = readdirSync(PROC)
  .filter((name) => /^\d+$/.test(name))
  .find((pid) => {
    const cmdline = readProc(`${pid}\\cmdline`) ?? '';
    return (
      cmdline.includes('node.exe') && cmdline.includes('wine-profile.mjs') && !cmdline.includes('node-exe.sh')
    );
  });

function threads() {
  const result = new Map();
  if (linuxPid === undefined) return result;
  for (const tid of readdirSync(`${PROC}\\${linuxPid}\\task`)) {
    const stat = readProc(`${linuxPid}\\task\\${tid}\\stat`);
    const status = readProc(`${linuxPid}\\task\\${tid}\\status`);
    if (stat === undefined || status === undefined) continue;
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const waits = Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0);
    result.set(tid, { name, ...cpuOf(stat), waits });
  }
  return result;
}

const { interfaceFromSource, RpcBinding, loadAddon } = await import(
  pathToFileURL(join(root, 'build', 'bench', 'winrpc.mjs')).href
);
const endpoint =
  protseq === 'ncacn_ip_tcp' ? String(40_000 + (process.pid % 20_000)) : `wr_profile_${process.pid}`;
const stringBinding =
  protseq === 'ncacn_ip_tcp' ? `ncacn_ip_tcp:127.0.0.1[${endpoint}]` : `${protseq}:[${endpoint}]`;
// WINRPC_PROFILE_TRACE=<file>: count wineserver requests. Run this script with
// WINEDEBUG=+server to trace winrpc's process; the C client is traced into <file>. The
// server is never traced (its stderr is not read).
const traceFile = process.env.WINRPC_PROFILE_TRACE;
const untraced = { ...process.env, WINEDEBUG: '-all' };
const server = spawn(join(root, 'build', 'servers', 'calc.exe'), [protseq, endpoint], {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: untraced,
});
try {
  await new Promise((resolve, reject) => {
    let output = '';
    server.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
      if (output.includes('LISTENING')) resolve();
    });
    server.once('exit', (code) => reject(new Error(`calc.exe exited with ${code}: ${output}`)));
  });
  // Only this prefix's wineserver: other Wine prefixes on the machine run their own.
  const prefix = /(?:^|\0)(WINEPREFIX=[^\0]*)/.exec(readProc(`${linuxPid}\\environ`) ?? '')?.[1];
  const ourWineserver = (pid) =>
    prefix === undefined || (readProc(`${pid}\\environ`) ?? '').split('\0').includes(prefix);
  if (prefix === undefined)
    console.log('  (no WINEPREFIX found: every wineserver on the machine is counted)');
  const others = () => ({
    wineserver: processCpu((c, pid) => c.includes('wineserver') && ourWineserver(pid)),
    server: processCpu((c) => c.includes('calc.exe') && c.includes(endpoint)),
  });
  const perCall = (us) => `${Math.round(us / calls)} µs/call`;
  const othersLine = (before, after) =>
    `  wineserver ${perCall(after.wineserver - before.wineserver)}, calc.exe ${perCall(after.server - before.server)}`;

  if (client === 'c') {
    const before = others();
    const result = await new Promise((resolve, reject) => {
      const child = spawn(
        join(root, 'build', 'bench', 'calc_async_client.exe'),
        [stringBinding, inFlight, callCount, '0'],
        {
          stdio: ['ignore', 'pipe', traceFile ? openSync(traceFile, 'w') : 'pipe'],
          env: traceFile ? { ...process.env, WINEDEBUG: '+server' } : untraced,
        },
      );
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (chunk) => {
        output += chunk;
      });
      child.once('close', (code) => {
        try {
          resolve(JSON.parse(output.trim().split('\n').at(-1)));
        } catch {
          reject(new Error(`the C client failed (${code}): ${output}`));
        }
      });
    });
    const after = others();
    console.log(
      `C client, ${protseq} N=${n}: ${Math.round(result.calls / result.seconds)} calls/s, ` +
        `${perCall(result.cpuSeconds * 1e6)} (its whole process, start-up included)`,
    );
    console.log(othersLine(before, after));
  } else {
    // Every delivery into JS, counted before the call engine sees it.
    const addon = loadAddon();
    const batches = [];
    const setCallback = addon.setCompletionCallback;
    addon.setCompletionCallback = (callback) =>
      setCallback.call(addon, (records) => {
        batches.push(records.length / 2);
        callback(records);
      });
    const binding = RpcBinding.fromString(stringBinding, { auth: 'none', nonCausal: true });
    const calc = interfaceFromSource(readFileSync(join(root, 'test', 'servers', 'calc.idl'), 'utf8'), {
      file: 'calc.idl',
    }).createClient(binding);
    // Each call's time from issue to result (µs): its median and quartiles resist the
    // load spikes of a shared machine better than calls/s over the whole run does.
    const latencies = [];
    const keepInFlight = async (total) => {
      let issued = 0;
      const lane = async () => {
        while (issued < total) {
          const a = issued++;
          const begun = process.hrtime.bigint();
          if ((await calc.Add(a, 1)) !== a + 1) throw new Error(`Add(${a}, 1) went wrong`);
          latencies.push(Number(process.hrtime.bigint() - begun) / 1000);
        }
      };
      await Promise.all(Array.from({ length: n }, lane));
    };
    await keepInFlight(Math.max(50, 2 * n));
    batches.length = 0;
    latencies.length = 0;
    const before = {
      threads: threads(),
      others: others(),
      cpu: process.cpuUsage(),
      start: process.hrtime.bigint(),
    };
    await keepInFlight(calls);
    const seconds = Number(process.hrtime.bigint() - before.start) / 1e9;
    const cpu = process.cpuUsage(before.cpu);
    const after = { threads: threads(), others: others() };
    console.log(
      `winrpc, ${protseq} N=${n}: ${Math.round(calls / seconds)} calls/s, ${perCall(cpu.user + cpu.system)} ` +
        `(user ${perCall(cpu.user)})`,
    );
    console.log(othersLine(before.others, after.others));
    latencies.sort((a, b) => a - b);
    const at = (q) => Math.round(latencies[Math.floor(q * (latencies.length - 1))]);
    console.log(`  latency per call: median ${at(0.5)} µs, quartiles ${at(0.25)}-${at(0.75)} µs`);
    const mean = batches.reduce((sum, b) => sum + b, 0) / batches.length;
    console.log(`  ${batches.length} deliveries into JS, ${mean.toFixed(1)} completions each on average`);
    const rows = [];
    for (const [tid, now] of after.threads) {
      const then = before.threads.get(tid) ?? { user: 0, system: 0, waits: 0 };
      const used = now.user + now.system - then.user - then.system;
      if (used > 0)
        rows.push({
          tid,
          name: now.name,
          used,
          user: now.user - then.user,
          waits: now.waits - then.waits,
          faults: now.faults - (then.faults ?? 0),
        });
    }
    rows.sort((a, b) => b.used - a.used);
    for (const row of rows.slice(0, 10)) {
      console.log(
        `  thread ${row.tid} ${row.name.padEnd(16)} ${perCall(row.used)} (user ${perCall(row.user)}), ` +
          `${(row.waits / calls).toFixed(2)} waits/call, ${(row.faults / calls).toFixed(2)} page faults/call`,
      );
    }
    binding.free();
  }
} finally {
  server.kill();
}
