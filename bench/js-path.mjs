// lib/runtime's own CPU per call, without Windows: `node bench/js-path.mjs [--calls=N]
// [--inflight=N] [--root=DIR]` bundles lib/ with a fake addon in place of
// lib/runtime/load-addon.ts and times client.Add with N calls in flight on plain
// (Linux) node. The fake completes each issued call in batches on the next macrotask,
// as the completion thread's ThreadSafeFunction call would, so what is measured is
// encode, issue, completion routing, decode and the promise chain: what `npm run bench`
// pays on the JS thread per call on top of the runtime. --root bundles another
// checkout (a git worktree of an older commit) for a before/after comparison.
// --bulk=BYTES (default 1 MiB, 0 skips) adds JS CPU per MB of a byte buffer sent [in]
// and received [out] (bulk.Put / bulk.Get below; the fake allocates the call's arena
// and hands it back as native startCall and takeCall do, so that allocation is counted
// too, though native code does it in C and without zeroing).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const options = { calls: 200_000, inflight: 16, rounds: 5, bulk: 1 << 20, root: join(here, '..') };
for (const arg of process.argv.slice(2)) {
  const match = /^--([a-z]+)=(.*)$/.exec(arg);
  if (!match || !(match[1] in options)) throw new Error(`js-path: unknown option ${arg}`);
  options[match[1]] = match[1] === 'root' ? resolve(match[2]) : Number(match[2]);
}

// The fake addon: handles are plain objects; a started call completes (status 0) in
// the next batch, and its reply is Add's sum, read back from the argument slots.
const fakeAddon = `
const pending = [];
// By id & 4095 (the engine never has that many in flight here), not Maps: a Map whose
// entries churn keeps its values alive through V8's incremental marking (lib/runtime/
// call-engine.ts), which would charge the fake's garbage to the runtime.
const replies = new Array(4096).fill(0n);
const arenas = new Array(4096).fill(undefined);
let callback;
let scheduled = false;
function flush() {
  scheduled = false;
  const records = new Uint32Array(pending.length * 2);
  for (let i = 0; i < pending.length; i++) records[i * 2] = pending[i];
  pending.length = 0;
  callback(records);
}
const addon = {
  setCompletionCallback(cb) { callback = cb; },
  registerInterface() { return {}; },
  createBinding() { return {}; },
  freeBinding() {},
  setBindingAuth() { return 0; },
  setBindingOption() { return 0; },
  startCall(id, iface, binding, offset, arena, relocations, slots, pointerSlots, arenaSize) {
    replies[id & 4095] = BigInt.asUintN(32, slots[2] + slots[3]);
    // Native code copies the arena into a block of arenaSize bytes here (C, not JS) and
    // hands that block back in takeCall; the fake does both in takeCall, in JS.
    arenas[id & 4095] = arenaSize > 0 ? { arena, arenaSize } : undefined;
    pending.push(id);
    if (!scheduled) { scheduled = true; setImmediate(flush); }
    return 0;
  },
  takeReply(id) { arenas[id & 4095] = undefined; return replies[id & 4095]; },
  takeCall(id) {
    const reply = replies[id & 4095];
    const memory = arenas[id & 4095]; arenas[id & 4095] = undefined;
    const arena = new ArrayBuffer(memory ? memory.arenaSize : 0);
    if (memory) new Uint8Array(arena).set(memory.arena);
    return { reply, arenaAddress: 0x10000n, arena, blocks: [] };
  },
  cancelCall() { return 0; },
  abandonCall() {},
  callStatus() { return 0; },
};
export function loadAddon() { return addon; }
export function requireWindows() {}
export function addonPath() { return ''; }
`;

const bundle = await build({
  stdin: {
    contents: "export { interfaceFromSource, RpcBinding } from './lib/index.ts';",
    resolveDir: options.root,
    sourcefile: 'js-path-entry.ts',
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  write: false,
  logLevel: 'warning',
  plugins: [
    {
      name: 'fake-addon',
      setup(b) {
        b.onResolve({ filter: /load-addon\.js$/ }, () => ({ path: 'fake-addon', namespace: 'fake' }));
        b.onLoad({ filter: /.*/, namespace: 'fake' }, () => ({ contents: fakeAddon, loader: 'js' }));
      },
    },
  ],
});
const code = bundle.outputFiles[0].text;
const { interfaceFromSource, RpcBinding } = await import(
  `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`
);

const calcIdl = readFileSync(join(options.root, 'test', 'servers', 'calc.idl'), 'utf8');
const binding = RpcBinding.fromString('ncalrpc:[js_path]', { auth: 'none' });
const client = interfaceFromSource(calcIdl, { file: 'calc.idl' }).createClient(binding);

async function keepInFlight(n, calls) {
  let issued = 0;
  const lane = async () => {
    while (issued < calls) {
      const a = issued++;
      const sum = await client.Add(a, 1);
      if (sum !== a + 1) throw new Error(`Add(${a}, 1) returned ${sum}`);
    }
  };
  await Promise.all(Array.from({ length: n }, lane));
}

await keepInFlight(options.inflight, 20_000); // warm-up: optimised code, settled heap
const samples = [];
for (let round = 0; round < options.rounds; round++) {
  const cpu = process.cpuUsage();
  await keepInFlight(options.inflight, options.calls);
  const used = process.cpuUsage(cpu);
  samples.push((used.user + used.system) / options.calls);
}
samples.sort((a, b) => a - b);
console.log(
  `js-path: ${options.root}: ${samples[samples.length >> 1].toFixed(2)} µs CPU per call ` +
    `(median of ${options.rounds} x ${options.calls} calls, ${options.inflight} in flight; ` +
    `all: ${samples.map((s) => s.toFixed(2)).join(' ')})`,
);

// Bulk: one buffer of options.bulk bytes per call, 4 in flight (a bulk transfer is
// rarely wider), each direction timed alone.
if (options.bulk > 0) {
  const bulkIdl = `[uuid(3f1c2a70-1b9e-4c55-9d1e-6b0f00b1c001), version(1.0)]
interface bulk {
  long Put([in] long n, [in, size_is(n)] const byte *data);
  void Get([in] long n, [out, size_is(n)] byte *data);
}`;
  const bulk = interfaceFromSource(bulkIdl, { file: 'bulk.idl' }).createClient(binding);
  const data = new Uint8Array(options.bulk).fill(7);
  const megabytes = options.bulk / 1e6;
  const calls = Math.max(20, Math.round(2e9 / options.bulk / 10)); // about 200 MB per round
  const perMb = async (label, call) => {
    const lane = async (left) => {
      for (; left > 0; left--) await call();
    };
    await Promise.all(Array.from({ length: 4 }, () => lane(5))); // warm-up
    const rounds = [];
    for (let round = 0; round < options.rounds; round++) {
      const cpu = process.cpuUsage();
      await Promise.all(Array.from({ length: 4 }, () => lane(calls / 4)));
      const used = process.cpuUsage(cpu);
      rounds.push((used.user + used.system) / 1000 / (calls * megabytes));
    }
    rounds.sort((a, b) => a - b);
    console.log(
      `js-path: ${label} ${options.bulk} bytes: ${rounds[rounds.length >> 1].toFixed(3)} ms CPU per MB ` +
        `(median of ${options.rounds} x ${calls} calls; all: ${rounds.map((r) => r.toFixed(3)).join(' ')})`,
    );
  };
  await perMb('[in]', () => bulk.Put(data.length, data));
  await perMb('[out]', async () => {
    const { data: back } = await bulk.Get(data.length);
    if (back.length !== data.length) throw new Error(`Get returned ${back.length} bytes`);
  });
}
