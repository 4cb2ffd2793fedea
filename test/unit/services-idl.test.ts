// [MS-SCMR] as the specification publishes it (examples/services/ms-scmr.idl, Appendix A
// unchanged) against winrpc's compiler: the whole interface compiles, and the generated
// svcctl client the example and the e2e tests use is kept equal to what the generator
// makes (UPDATE_GOLDEN=1 rewrites it, as for test/golden).
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateClient } from '../../lib/codegen/generate.js';
import { parseIdl } from '../../lib/idl/index.js';
import { compileIdl } from '../../lib/ndr/compile.js';

const dir = new URL('../../examples/services/', import.meta.url);
const spec = readFileSync(new URL('ms-scmr.idl', dir), 'utf8');
const readFile = (path: string) =>
  path === 'ms-dtyp.idl' ? readFileSync(new URL('ms-dtyp.idl', dir), 'utf8') : undefined;
const options = { file: 'ms-scmr.idl', readFile };

describe('[MS-SCMR] Appendix A', () => {
  it('compiles unchanged: all 65 opnums of svcctl 2.0, none unavailable', () => {
    const [svcctl] = compileIdl(spec, options);
    expect(svcctl?.uuid).toBe('367abb81-9844-35f1-ad32-98f038001003');
    expect(svcctl?.procedures.map((p) => p.opnum)).toEqual(Array.from({ length: 65 }, (_, i) => i));
    expect(svcctl?.unavailable).toBeUndefined();
  });

  it('reads the three constructs that needed rewriting before', () => {
    const [iface] = parseIdl(spec, options).interfaces;
    const param = (proc: string, name: string) =>
      iface?.procedures.find((p) => p.name === proc)?.params.find((p) => p.name === name)?.type;
    // typedef [context_handle] PVOID SC_RPC_HANDLE ([MS-DTYP] PVOID is void *).
    expect(param('RCloseServiceHandle', 'hSCObject')).toMatchObject({
      kind: 'pointer',
      target: { kind: 'context_handle', alias: 'SC_RPC_HANDLE' },
    });
    // [out, string, size_is(*lpcchBuffer)] LPSTR: a char string sized by *lpcchBuffer.
    for (const [proc, name] of [
      ['RGetServiceDisplayNameA', 'lpDisplayName'],
      ['RGetServiceKeyNameA', 'lpKeyName'],
    ])
      expect(param(proc as string, name as string)).toMatchObject({
        kind: 'pointer',
        target: { kind: 'string', char: 'char', size: { is: { kind: 'unary', op: '*' } } },
      });
    // The unnamed unions of SC_RPC_CONFIG_INFOA/W and SC_RPC_NOTIFY_PARAMS: member `u`.
    for (const name of ['SC_RPC_CONFIG_INFOA', 'SC_RPC_CONFIG_INFOW', 'SC_RPC_NOTIFY_PARAMS']) {
      const s = iface?.types[name];
      expect(s?.kind === 'struct' && s.fields.map((f) => [f.name, f.unnamed ?? false])).toEqual([
        ['dwInfoLevel', false],
        ['u', true],
      ]);
    }
  });

  it('gives the generated client examples/services/svcctl.client.ts', () => {
    const text = generateClient(spec, { ...options, file: 'examples/services/ms-scmr.idl' });
    const path = new URL('svcctl.client.ts', dir);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, text);
    expect(text, 'stale: regenerate with UPDATE_GOLDEN=1').toBe(readFileSync(path, 'utf8'));
  });
});
