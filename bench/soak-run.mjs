// The soak (`npm run soak`, inside Windows node.exe): mixed calls, `--inflight` at a
// time, against a calc and a sessions server over ncalrpc: plain calls, timeouts
// against a slow procedure, aborts, context handles opened and dropped or closed, and
// Workers terminated with calls in flight. Prints winrpc's own counters and the RSS as
// it goes; at the end the counters must be back to zero (exit 1 otherwise). Its last
// line, `soak-result: {...}`, is what test/e2e/soak.test.ts (CI's 50,000-call run) reads.
//
// With --c-client (`npm run soak` passes it), the C async client of `npm run bench`
// (build/bench/calc_async_client.exe: calc's Add on the raw runtime through an I/O
// completion port) then makes as many calls, as many in flight, against the same calc
// server in its own process on the same runtime, and its RSS growth per call is printed
// beside winrpc's: under Wine the runtime itself grows a client's RSS, which this
// baseline measures.
//
//   node --expose-gc bench/soak-run.mjs [--calls=N] [--inflight=N] [--c-client]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const option = (name, fallback) => {
  const found = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
};
const CALLS = option('calls', 1_000_000);
const WITH_C_CLIENT = process.argv.includes('--c-client');
const IN_FLIGHT = option('inflight', 64);
const REPORT_EVERY = Math.max(1000, Math.floor(CALLS / 20));
const WORKER_EVERY = 10_000;

const winrpcUrl = pathToFileURL(join(root, 'dist', 'esm', 'index.js')).href;
const { diagnostics, interfaceFromSource, RpcBinding } = await import(winrpcUrl);
const idl = (name) => readFileSync(join(root, 'test', 'servers', `${name}.idl`), 'utf8');

const servers = [];
process.once('exit', () => {
  for (const server of servers) server.kill();
});
function startServer(name) {
  const endpoint = `winrpc_soak_${name}_${process.pid}`;
  const child = spawn(join(root, 'build', 'servers', `${name}.exe`), ['ncalrpc', endpoint], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  servers.push(child);
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      if (String(chunk).includes('LISTENING')) resolve(`ncalrpc:[${endpoint}]`);
    });
    child.once('exit', (code) => reject(new Error(`${name} server exited with ${code}`)));
  });
}

const calcBinding = await startServer('calc');
const sessionsBinding = await startServer('sessions');
const calc = interfaceFromSource(idl('calc'), { file: 'calc.idl' }).createClient(
  RpcBinding.fromString(calcBinding),
);
const sessionsInterface = interfaceFromSource(idl('sessions'), { file: 'sessions.idl' });
// Under Wine, the first binds of one association race: when the runners' 64 bindings
// first connect at once, the server makes several association groups, and a context
// handle opened over one connection then fails with RPC_X_SS_CONTEXT_MISMATCH over
// another, for the rest of the run (docs/reliability.md). One call completed first
// settles the group; this binding keeps it alive until the end.
const sessionsWarmup = RpcBinding.fromString(sessionsBinding);
await sessionsInterface.createClient(sessionsWarmup).OpenCounters();

const counts = { plain: 0, timeouts: 0, aborts: 0, handles: 0, workers: 0, errors: 0 };
const unexpected = (what) => {
  counts.errors++;
  if (counts.errors <= 10) console.log(`unexpected: ${what}`);
};

async function oneCall(i, sessions) {
  const kind = i % 100;
  if (kind < 85) {
    const sum = await calc.Add(i & 0xffff, 1);
    if (sum !== (i & 0xffff) + 1) unexpected(`Add gave ${sum}`);
    counts.plain++;
  } else if (kind < 90) {
    const result = await calc.Delay(50, { timeout: 5 }).catch((error) => error.code);
    if (result !== 'RPC_S_TIMEOUT' && result !== 50) unexpected(`timeout call gave ${result}`);
    counts.timeouts++;
  } else if (kind < 95) {
    const controller = new AbortController();
    const pending = calc.Delay(20, { signal: controller.signal }).catch((error) => error.code);
    controller.abort();
    const result = await pending;
    if (result !== 'RPC_S_CALL_CANCELLED') unexpected(`aborted call gave ${result}`);
    counts.aborts++;
  } else {
    const handle = await sessions.OpenCounterRet(i);
    if ((await sessions.NextValue(handle)) !== i) unexpected('NextValue');
    if (kind % 2 === 0) await sessions.CloseCounter(handle); // the others are dropped
    counts.handles++;
  }
}

async function terminateWorker() {
  const worker = new Worker(join(root, 'test', 'e2e', 'fixtures', 'calls-in-worker.mjs'), {
    workerData: { winrpc: winrpcUrl, idl: idl('calc'), binding: calcBinding, count: 100, delayMs: 200 },
  });
  await new Promise((resolve) => worker.once('message', resolve));
  await worker.terminate();
  counts.workers++;
}

function mb(bytes) {
  return (bytes / 2 ** 20).toFixed(1);
}

/** The C async client, as many calls as the soak made: its own RSS growth per call. */
async function runCClient(calls) {
  const exe = join(root, 'build', 'bench', 'calc_async_client.exe');
  const child = spawn(exe, [calcBinding, String(IN_FLIGHT), String(calls), '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const [code] = await once(child, 'exit');
  const line = stdout.split(/\r?\n/).find((l) => l.startsWith('{'));
  if (!line) {
    unexpected(`C client exited with ${code} and no result: ${stderr.trim()}`);
    return undefined;
  }
  const result = JSON.parse(line);
  const growth = Math.round((result.rssAfter - result.rssBefore) / Math.max(result.calls, 1));
  if (result.errors !== 0) unexpected(`C client: ${result.errors} calls failed (first ${result.firstError})`);
  console.log(
    `C client rss: ${mb(result.rssBefore)} -> ${mb(result.rssAfter)} MB, ${growth} bytes per call (${result.calls} Add calls, ${IN_FLIGHT} in flight, ${Math.round(result.calls / result.seconds)}/s, same server and runtime)`,
  );
  return { ...result, rssGrowthPerCall: growth };
}

function report(done, started) {
  globalThis.gc?.();
  const seconds = (performance.now() - started) / 1000;
  const { rss, heapUsed } = process.memoryUsage();
  console.log(
    `${done} calls, ${Math.round(done / seconds)}/s, rss ${(rss / 2 ** 20).toFixed(1)} MB, heap ${(heapUsed / 2 ** 20).toFixed(1)} MB, ${JSON.stringify(diagnostics())}`,
  );
  return rss;
}

const started = performance.now();
const rssAtStart = report(0, started);
let next = 0;
let done = 0;
async function runner() {
  const sessions = sessionsInterface.createClient(RpcBinding.fromString(sessionsBinding));
  while (next < CALLS) {
    const i = next++;
    if (i > 0 && i % WORKER_EVERY === 0) await terminateWorker();
    await oneCall(i, sessions).catch((error) => {
      unexpected(`${error.procedure ?? ''} ${error.code ?? error.message}`);
    });
    done++;
    if (done % REPORT_EVERY === 0) report(done, started);
  }
}
await Promise.all(Array.from({ length: IN_FLIGHT }, runner));
const rssAtEnd = report(done, started);
sessionsWarmup.free();

// Abandoned calls end when the server replies; dropped handles when collected.
for (let i = 0; i < 200; i++) {
  const now = diagnostics();
  if (now.liveNativeCalls === 0 && now.contextHandles === 0) break;
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
}
const final = diagnostics();
const seconds = Math.round((performance.now() - started) / 100) / 10;
console.log(`done: ${JSON.stringify(counts)} in ${seconds} s`);
console.log(`final counters: ${JSON.stringify(final)}`);
const rssGrowthPerCall = Math.round((rssAtEnd - rssAtStart) / Math.max(done, 1));
console.log(
  `winrpc rss: ${mb(rssAtStart)} -> ${mb(rssAtEnd)} MB, ${rssGrowthPerCall} bytes per call (the mix, Workers included)`,
);
const cClient = WITH_C_CLIENT ? await runCClient(done) : undefined;
// The calc client's binding is still referenced here; the runners' were collected.
const flat = Object.entries(final).every(
  ([key, value]) => value === 0 || (key === 'bindingHandles' && value <= 1),
);
const passed = flat && counts.errors === 0;
console.log(
  passed ? 'soak: counters back to zero' : 'soak: FAILED (counters not back to zero, or unexpected results)',
);
console.log(
  `soak-result: ${JSON.stringify({ calls: done, seconds, counts, final, rssGrowthPerCall, ...(cClient ? { cClient } : {}) })}`,
);
process.exit(passed ? 0 : 1);
