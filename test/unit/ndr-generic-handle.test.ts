// [handle] typedefs (generic binding handles): MIDL binds through the leftmost [in]
// parameter of such a type and still transmits its value; winrpc keeps the parameter and
// binds with its own primitive handle, so the wire is the same.
import { describe, expect, it } from 'vitest';
import { IdlError, parseIdl } from '../../lib/idl/index.js';
import { compileIdl } from '../../lib/ndr/index.js';
import { decodeProc } from './ndr-format-decode.js';

const IDL = `[uuid(11111111-2222-3333-4444-555555555509), version(1.0), pointer_default(unique)]
interface gh {
  typedef [handle, string] wchar_t *SRV_HANDLE;
  typedef [handle] wchar_t *WK_HANDLE;
  long A([in, string, unique] SRV_HANDLE ServerName, [in] long x, [out] long *y);
  long B([in] WK_HANDLE ServerName, [in] long x);
  long C([in] long x, [in, string, unique] SRV_HANDLE s);
  long D([in] handle_t h, [in, string, unique] SRV_HANDLE s);
}`;

describe('[handle] typedefs', () => {
  const iface = parseIdl(IDL, { file: 'gh.idl' }).interfaces[0];
  const procs = Object.fromEntries((iface?.procedures ?? []).map((p) => [p.name, p]));

  it('records the generic binding handle and keeps it as a parameter', () => {
    expect(procs.A?.genericBinding).toEqual({
      name: 'ServerName',
      index: 0,
      typeName: 'SRV_HANDLE',
      viaPointer: false,
    });
    expect(procs.A?.params.map((p) => p.name)).toEqual(['ServerName', 'x', 'y']);
    expect(procs.A?.params[0]).toMatchObject({
      genericHandle: 'SRV_HANDLE',
      type: { kind: 'pointer', pointer: 'unique', target: { kind: 'string', char: 'wchar_t' } },
    });
    // The leftmost one binds, wherever it is; an explicit handle_t wins over it.
    expect(procs.C?.genericBinding).toMatchObject({ name: 's', index: 1 });
    expect(procs.D?.genericBinding).toBeUndefined();
    expect(procs.D?.params[0]?.genericHandle).toBe('SRV_HANDLE');
  });

  it('async mode: the primitive handle binds, the generic handle is sent like any [in] value', () => {
    const [c] = compileIdl(IDL, { file: 'gh.idl' });
    const a = c?.procedures.find((p) => p.name === 'A');
    if (!c || !a) throw new Error('no A');
    expect(a.params[0]).toMatchObject({ name: 'ServerName', stackOffset: 16, genericHandle: 'SRV_HANDLE' });
    const d = decodeProc(c.procFormat, a.procFormatOffset, c.typeFormat, true);
    expect(d.explicitHandle).toEqual({ kind: 0x32, flags: 0, offset: 8 });
    expect(d.params[0]).toMatchObject({ flags: 0x0b, stackOffset: 16 }); // must size, must free, in
  });

  it('widl-comparison mode: FC_BIND_GENERIC with the size and a routine index per type', () => {
    const [c] = compileIdl(IDL, { file: 'gh.idl', async: false, binding: 'auto', robust: false });
    if (!c) throw new Error('no interface');
    const header = (name: string) => {
      const p = c.procedures.find((x) => x.name === name);
      if (!p) throw new Error(name);
      return decodeProc(c.procFormat, p.procFormatOffset, c.typeFormat, false).explicitHandle;
    };
    // widl 7 writes the same bytes for A, B and C.
    expect(header('A')).toEqual({ kind: 0x31, flags: 0x08, offset: 0, routine: 0 });
    expect(header('B')).toEqual({ kind: 0x31, flags: 0x08, offset: 0, routine: 1 });
    expect(header('C')).toEqual({ kind: 0x31, flags: 0x08, offset: 8, routine: 0 });
  });

  it('takes a [handle] struct by value or through a pointer (x64: 8 slot bytes beyond 8-byte structs)', () => {
    const text = `[uuid(11111111-2222-3333-4444-555555555509)] interface T {
      typedef [handle] struct { wchar_t *machine; char *nickname; } BIG;
      typedef [handle] struct { long id; } SMALL;
      long A([in] BIG h); long B([in] SMALL h); long C([in] SMALL *h); }`;
    const m = parseIdl(text, { file: 'x.idl' }).interfaces[0];
    expect(m?.procedures.map((p) => p.genericBinding)).toEqual([
      { name: 'h', index: 0, typeName: 'BIG', viaPointer: false },
      { name: 'h', index: 0, typeName: 'SMALL', viaPointer: false },
      { name: 'h', index: 0, typeName: 'SMALL', viaPointer: true },
    ]);
    const [c] = compileIdl(text, { file: 'x.idl', async: false, binding: 'auto', robust: false });
    const flags = c?.procedures.map(
      (p) => decodeProc(c.procFormat, p.procFormatOffset, c.typeFormat, false).explicitHandle?.flags,
    );
    expect(flags).toEqual([0x08, 0x04, 0x84]);
  });

  it.each([
    ['on void', 'typedef [handle] void NOPE;', /\[handle\] needs a data type/],
    ['on handle_t', 'typedef [handle] handle_t NOPE;', /\[handle\] needs a data type/],
  ])('rejects [handle] %s', (_what, decl, message) => {
    const text = `[uuid(11111111-2222-3333-4444-555555555509)] interface T { ${decl} void F(void); }`;
    expect(() => parseIdl(text, { file: 'x.idl' })).toThrow(IdlError);
    expect(() => parseIdl(text, { file: 'x.idl' })).toThrow(message);
  });
});
