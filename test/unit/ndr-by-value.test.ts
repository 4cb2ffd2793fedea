// [in] structs and unions by value. x64 passes one of 1, 2, 4 or 8 bytes in the argument
// slot (IsByValue) and any other by reference to a copy (described as a simple ref
// pointer, as widl does); lib/runtime fills the slot the same way.
import { describe, expect, it } from 'vitest';
import { PARAM } from '../../lib/ndr/fc.js';
import { compileIdl } from '../../lib/ndr/index.js';
import { decodeProc } from './ndr-format-decode.js';

const IDL = `[uuid(11111111-2222-3333-4444-555555555515), version(1.0), pointer_default(unique)]
interface bv {
  typedef struct _RPC_CLIENT_ID { unsigned long UniqueProcess; unsigned long UniqueThread; } RPC_CLIENT_ID;
  typedef struct BIG { hyper a; hyper b; } BIG;
  typedef struct WITHPTR { long n; [string] wchar_t *s; } WITHPTR;
  typedef [switch_type(long)] union U { [case(1)] long a; [case(2)] hyper b; } U;
  long ChangeNotify([in] long h, [in] RPC_CLIENT_ID ClientId, [in] unsigned long Event);
  long Big([in] BIG b, [in] long x);
  long WithPtr([in] WITHPTR w);
  long ByValUnion([in] long k, [in, switch_is(k)] U u);
}`;

describe('structs and unions by value', () => {
  // Compiled inside each test, not while vitest collects the file (docs/testing.md).
  const param = (proc: string, index: number) => {
    const [c] = compileIdl(IDL, { file: 'bv.idl' });
    const p = c?.procedures.find((x) => x.name === proc);
    if (!c || !p) throw new Error(proc);
    const d = decodeProc(c.procFormat, p.procFormatOffset, c.typeFormat, true);
    return { compiled: p.params[index], desc: d.params[index], clientBuffer: d.clientBuffer };
  };

  it('passes an 8-byte struct in its slot (IsByValue) with a constant buffer size', () => {
    const { compiled, desc, clientBuffer } = param('ChangeNotify', 1);
    expect(compiled).toMatchObject({ name: 'ClientId', stackOffset: 24, type: { kind: 'struct', size: 8 } });
    expect(desc?.flags).toBe(PARAM.IsIn | PARAM.IsByValue | PARAM.MustFree);
    expect(desc?.type).toMatchObject({ struct: 0x15, memorySize: 8 }); // FC_STRUCT
    expect(clientBuffer).toBe(8 + 12 + 8); // h, the struct (size + alignment), Event
  });

  it('passes a 16-byte struct by reference to a copy (IsSimpleRef)', () => {
    expect(param('Big', 0).desc?.flags).toBe(PARAM.IsIn | PARAM.IsSimpleRef | PARAM.MustFree);
    expect(param('WithPtr', 0).desc?.flags).toBe(
      PARAM.IsIn | PARAM.IsSimpleRef | PARAM.MustFree | PARAM.MustSize,
    );
  });

  it('passes an 8-byte union by value with its switch_is correlation', () => {
    const { compiled, desc } = param('ByValUnion', 1);
    expect(compiled?.type).toMatchObject({ kind: 'union', switchIs: { source: 'param', name: 'k' } });
    expect(desc?.flags).toBe(PARAM.IsIn | PARAM.IsByValue | PARAM.MustFree | PARAM.MustSize);
    expect(desc?.type).toMatchObject({ union: 0x2b });
  });
});
