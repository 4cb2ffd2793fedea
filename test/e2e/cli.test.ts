// `winrpc call` against the calc server: the built command (bin/winrpc.mjs, dist/cli)
// in a process of its own, as a user runs it. Needs `npm run build:ts` first.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itUnlessWine } from '../support/lane.js';
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

describe('winrpc call: options and 64-bit values', () => {
  let types: RunningServer;
  let whoami: RunningServer;
  let dir: string;
  beforeAll(async () => {
    types = await startServer('types', 'ncalrpc');
    whoami = await startServer('whoami', 'ncacn_ip_tcp');
    dir = mkdtempSync(join(tmpdir(), 'winrpc-cli-'));
  });
  afterAll(async () => {
    await types.stop();
    await whoami.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const callTypes = (...args: string[]) =>
    winrpc('call', '--idl', 'test/servers/types.idl', '--binding', types.binding, ...args);

  it('takes a hyper as a string of digits and prints 64-bit results as plain JSON numbers', () => {
    expect(callTypes('EchoHyper', '"9007199254740993"')).toMatchObject({
      code: 0,
      stdout: '9007199254740993\n',
    });
    expect(callTypes('--', 'EchoHyper', '-9223372036854775808')).toMatchObject({
      code: 0,
      stdout: '-9223372036854775808\n',
    });
    // OutHyper answers v + 1 (wrapping), in an [out] pointer.
    expect(callTypes('OutHyper', '"12345678901234567"')).toMatchObject({
      code: 0,
      stdout: '{\n  "p": 12345678901234568\n}\n',
    });
  });

  it('--interface picks one interface of several', () => {
    const file = join(dir, 'two.idl');
    writeFileSync(
      file,
      `[uuid(6a2f0c1e-2b7d-4e51-9a3c-0d8e7f1b2c45), version(1.0)] interface first { long Other([in] long a); }\n${readFileSync(join(root, 'test/servers/calc.idl'), 'utf8')}`,
    );
    const args = ['call', '--idl', file, '--binding', server.binding];
    expect(winrpc(...args, '--interface', 'calc', 'Add', '2', '3')).toMatchObject({ code: 0, stdout: '5\n' });
    const wrong = winrpc(...args, 'Add', '2', '3');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('Add');
  });

  it('--acf adds an ACF, whose errors name the .acf file and position', () => {
    const good = join(dir, 'calc.acf');
    writeFileSync(good, '[explicit_handle] interface calc\n{\n}\n');
    const base = ['call', '--idl', 'test/servers/calc.idl', '--binding', server.binding];
    expect(winrpc(...base, '--acf', good, 'Add', '20', '22')).toMatchObject({ code: 0, stdout: '42\n' });
    const bad = join(dir, 'bad.acf');
    writeFileSync(bad, 'interface calc\n{\n    [comm_status] Add();\n}\n');
    const refused = winrpc(...base, '--acf', bad, 'Add', '20', '22');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/bad\.acf:3:\d+: /);
  });

  /** whoami's CallerAuth through `winrpc call --auth <service>`. */
  const callerAuth = (service: string) =>
    winrpc(
      'call',
      '--idl',
      'test/servers/whoami.idl',
      '--binding',
      whoami.binding,
      '--auth',
      service,
      'CallerAuth',
    );

  it('--auth none makes an unauthenticated call (the server sees RPC_S_BINDING_HAS_NO_AUTH)', () => {
    const result = callerAuth('none');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ returnValue: 1746 });
  });

  itUnlessWine(
    'a Wine server cannot complete calls at packet privacy',
    '--auth ntlm authenticates with the process credentials at packet privacy',
    () => {
      const result = callerAuth('ntlm');
      expect(result.code).toBe(0);
      // RPC_C_AUTHN_LEVEL_PKT_PRIVACY (6), RPC_C_AUTHN_WINNT (10)
      expect(JSON.parse(result.stdout)).toEqual({ level: 6, service: 10, returnValue: 0 });
    },
  );

  it('--auth with an unknown service is a usage error (exit 2)', () => {
    const result = callerAuth('basic');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--auth takes none, negotiate, ntlm, kerberos');
  });
});
