// A union member a struct declares without a name (`[switch_is(dwInfoLevel)] union { ... };`,
// as [MS-SCMR]'s SC_RPC_CONFIG_INFOW does): the front end names it `u`; the runtime
// sends and reads it, and the generated types declare it, exactly as the member `u` of
// the same struct written with that name.
import { describe, expect, it } from 'vitest';
import { generateClient } from '../../lib/codegen/generate.js';
import { compileIdl } from '../../lib/ndr/compile.js';
import type { CompiledInterface, CompiledProcedure } from '../../lib/ndr/compiled.js';
import { decodeCall } from '../../lib/runtime/decode-call.js';
import { encodeCall } from '../../lib/runtime/encode-call.js';
import { callArena } from '../support/call-arena.js';

const idl = (
  memberName: string,
) => `[uuid(3d1c2b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d), version(1.0), pointer_default(unique)]
interface config {
  typedef struct { [string] wchar_t *lpDescription; } DESCRIPTION;
  typedef struct {
    unsigned long dwInfoLevel;
    [switch_is(dwInfoLevel)] union {
      [case(1)] DESCRIPTION *psd;
      [case(2)] long n;
      [default] ;
    }${memberName};
  } INFO;
  long Change([in] INFO *Info);
  long Query([out] INFO *Info);
}`;
const unnamed = compileIdl(idl(''), { file: 'config.idl' })[0] as CompiledInterface;
const named = compileIdl(idl(' u'), { file: 'config.idl' })[0] as CompiledInterface;

const proc = (iface: CompiledInterface, name: string) =>
  iface.procedures.find((p) => p.name === name) as CompiledProcedure;

describe('an unnamed union member of a struct', () => {
  it('is laid out and described as the member u', () => {
    expect(unnamed.types.INFO).toEqual(named.types.INFO);
    expect(unnamed.typeFormat).toEqual(named.typeFormat);
    expect(unnamed.procFormat).toEqual(named.procFormat);
  });

  it('is sent from the property u, with the same memory as the named member', () => {
    for (const info of [
      { dwInfoLevel: 1, u: { psd: { lpDescription: 'text' } } },
      { dwInfoLevel: 2, u: { case: 2, n: -5 } },
      { dwInfoLevel: 7, u: {} },
    ]) {
      const ours = encodeCall(proc(unnamed, 'Change'), [info]).encoded;
      const theirs = encodeCall(proc(named, 'Change'), [info]).encoded;
      expect([...ours.arena]).toEqual([...theirs.arena]);
      expect([...ours.relocations]).toEqual([...theirs.relocations]);
    }
    // The arm is the one dwInfoLevel selects; errors name the path through u.
    expect(() =>
      encodeCall(proc(unnamed, 'Change'), [{ dwInfoLevel: 2, u: { case: 1, psd: null } }]),
    ).toThrow(/\(Info\)\.u\.case: 1 contradicts its switch_is value \(2\)/);
    expect(() => encodeCall(proc(unnamed, 'Change'), [{ dwInfoLevel: 2 }])).toThrow(
      /\(Info\)\.u: expected a union/,
    );
  });

  it('is read into the property u', () => {
    const query = proc(unnamed, 'Query');
    const plan = encodeCall(query, []);
    const arena = callArena(plan.encoded).buffer as ArrayBuffer;
    const view = new DataView(arena);
    const at = plan.pointees.get('Info') as number;
    view.setUint32(at, 2, true); // dwInfoLevel
    view.setInt32(at + 8, -5, true); // the union, 8-aligned by its pointer arm
    const result = decodeCall(query, plan, { reply: 0n, arenaAddress: 0x10000n, arena, blocks: [] });
    expect(result).toEqual({ Info: { dwInfoLevel: 2, u: { case: 2, n: -5 } }, returnValue: 0 });
  });

  it('is declared as the property u in generated types, which say why', () => {
    const text = generateClient(idl(''), { file: 'config.idl' });
    expect(text).toMatch(
      /export interface INFO \{\n {2}dwInfoLevel: number;\n {2}\/\*\*\n {3}\* Unnamed in the IDL \(an anonymous union in MIDL's C header\): winrpc names it `u`,\n {3}\* as the SDK's NONAMELESSUNION names DUMMYUNIONNAME \(u, u2, u3\.\.\.\)\.\n {3}\*\/\n {2}u: INFO_u;\n\}/,
    );
    expect(text).toContain(
      'export type INFO_u = { case: 1; psd: DESCRIPTION | null; } | { case: 2; n: number; } | { case: number; };',
    );
    // Apart from that note, the client is the named member's.
    const withoutNote = text.replace(/ {2}\/\*\*\n {3}\* Unnamed in the IDL[\s\S]*?\*\/\n/g, '');
    expect(withoutNote).toBe(generateClient(idl(' u'), { file: 'config.idl' }));
  });
});
