// NODE_DEBUG=winrpc traces each call through util.debuglog, in a child process (the
// environment variable is read at start-up). The runtime is bundled with a fake addon
// in place of lib/runtime/load-addon.ts (as bench/js-path.mjs does), so the real
// call path runs on Linux node: encode, issue, completion, decode, settle.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

// Calls complete on the next macrotask: Add with the sum of its slots, Divide by zero
// with RPC_S_ZERO_DIVIDE (1767).
const fakeAddon = `
const replies = new Map();
let callback;
export function loadAddon() { return addon; }
export function requireWindows() {}
export function addonPath() { return ''; }
const addon = {
  setCompletionCallback(cb) { callback = cb; },
  registerInterface() { return {}; },
  createBinding() { return {}; },
  freeBinding() {},
  setBindingAuth() { return 0; },
  setBindingOption() { return 0; },
  bindingToString() { throw new Error('unused'); },
  startCall(id, iface, binding, offset, arena, relocations, slots) {
    const status = offset > 0 ? 1767 : 0; // Divide's header follows Add's
    replies.set(id, BigInt.asUintN(32, slots[2] + slots[3]));
    setImmediate(() => callback(Uint32Array.of(id, status)));
    return 0;
  },
  takeReply(id) { const r = replies.get(id); replies.delete(id); return r; },
  takeCall(id) { const r = replies.get(id); replies.delete(id); return { reply: r, arenaAddress: 0x10000n, arena: new ArrayBuffer(8), blocks: [] }; },
  cancelCall() { return 0; },
  abandonCall() {},
  callStatus() { return 0; },
};
`;

const script = `
import { interfaceFromSource, RpcBinding } from './winrpc.mjs';
const calc = interfaceFromSource(
  '[uuid(b818072d-1d65-4af0-8ac8-fe86f0518b2b), version(1.0)] interface calc {' +
  ' long Add([in] long a, [in] long b); long Divide([in] long a, [in] long b, [out] long *r); }',
  { file: 'calc.idl' },
);
const binding = RpcBinding.fromString('ncacn_ip_tcp:127.0.0.1[4747]', {
  auth: { service: 'ntlm', level: 'privacy', credentials: { user: 'alice', domain: 'LAB', password: 'hunter2-secret' } },
});
const client = calc.createClient(binding);
console.log('sum', await client.Add(2, 3));
await client.Divide(1, 0).catch((e) => console.log('error', e.code));
`;

let dir = '';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'winrpc-trace-'));
  const bundle = await build({
    entryPoints: [join(root, 'lib', 'index.ts')],
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
  writeFileSync(join(dir, 'winrpc.mjs'), bundle.outputFiles[0]!.text);
  writeFileSync(join(dir, 'main.mjs'), script);
});
afterAll(() => {
  if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
});

function run(env: NodeJS.ProcessEnv) {
  const child = spawnSync(process.execPath, ['main.mjs'], { cwd: dir, env, encoding: 'utf8' });
  return { stdout: child.stdout, stderr: child.stderr, status: child.status };
}

describe('NODE_DEBUG=winrpc', () => {
  it('logs interface, procedure, binding, status and duration of each call', () => {
    const { stdout, stderr, status } = run({ ...process.env, NODE_DEBUG: 'winrpc' });
    expect(status).toBe(0);
    expect(stdout).toBe('sum 5\nerror RPC_S_ZERO_DIVIDE\n');
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^WINRPC \d+: calc\.Add over binding ncacn_ip_tcp:127\.0\.0\.1\[4747\], ntlm at privacy, explicit credentials -> RPC_S_OK \(0\), returned 5 in \d+\.\d\d ms$/,
    );
    expect(lines[1]).toMatch(
      /^WINRPC \d+: calc\.Divide over binding .* -> RPC_S_ZERO_DIVIDE \(1767\) in \d+\.\d\d ms$/,
    );
  });

  it('never logs credentials', () => {
    const { stderr } = run({ ...process.env, NODE_DEBUG: 'winrpc' });
    expect(stderr).toContain('calc.Add');
    expect(stderr).not.toMatch(/hunter2|alice|LAB/);
  });

  it('logs nothing without it (or for another section)', () => {
    for (const NODE_DEBUG of [undefined, 'http,net']) {
      const env = { ...process.env, NODE_DEBUG };
      if (NODE_DEBUG === undefined) delete env.NODE_DEBUG;
      const { stdout, stderr } = run(env);
      expect(stdout).toBe('sum 5\nerror RPC_S_ZERO_DIVIDE\n');
      expect(stderr).not.toContain('WINRPC');
    }
  });
});
