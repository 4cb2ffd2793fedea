// `winrpc call` against the calc server: the built command (bin/winrpc.mjs, dist/cli)
// in a process of its own, as a user runs it. Needs `npm run build:ts` first.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../support/rpc-server.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
let server: RunningServer;

beforeAll(async () => {
  server = await startServer('calc', 'ncalrpc');
});
afterAll(async () => {
  await server.stop();
});

function winrpc(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/winrpc.mjs', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const call = (...args: string[]) =>
  winrpc('call', '--idl', 'test/servers/calc.idl', '--binding', server.binding, ...args);

describe('winrpc call', () => {
  it('prints the return value as JSON and exits 0', () => {
    expect(call('Add', '2', '40')).toEqual({ code: 0, stdout: '42\n', stderr: '' });
  });

  it('prints [out] values with the return value', () => {
    const result = call('Divide', '7', '2');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ remainder: 1, returnValue: 3 });
  });

  it('prints the RpcError code and message and exits non-zero', () => {
    const result = call('Divide', '1', '0');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^winrpc call: RPC_S_ZERO_DIVIDE \(1767\): .*\[calc\.Divide\]\n$/);
  });

  it('applies --timeout', () => {
    const result = call('--timeout', '200', 'Delay', '3000');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('RPC_S_TIMEOUT');
  });

  it('rejects wrong arguments before calling, naming the parameter', () => {
    const result = call('Add', '"two"', '2');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Add(a): expected an integer');
  });

  it('reports a dead endpoint as RPC_S_SERVER_UNAVAILABLE', () => {
    const result = winrpc(
      'call',
      '--idl',
      'test/servers/calc.idl',
      '--binding',
      'ncalrpc:[winrpc_nobody_listens_here]',
      'Add',
      '1',
      '2',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('RPC_S_SERVER_UNAVAILABLE');
  });
});
