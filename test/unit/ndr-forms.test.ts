// MIDL's own forms, pinned byte for byte against real MIDL 8.01 x64 -Oicf output. Each
// expectation names the generated file and the offset in its __MIDL_TypeFormatString
// (or proc format string) it was read from; the files are public MIDL output committed
// next to their IDL:
// - ms-lsar_x64.c (trustedsec/Windows-MS-LSAT-RPC-Example, MIDL 8.01.0626, /protocol dce:
//   6-byte correlation descriptors), [MS-LSAD]'s lsarpc with [ms_union];
// - drsr_c.c (CredDefense/CredDefense, DSInternals' drsr.idl, MIDL 8.01.0622), no ms_union;
// - ms-par_c.c (Prepouce/CoercedPotato, MIDL 8.01.0628, /target NT60 forms);
// - RogueOxidResolver_s.c (antonioCoco/RemotePotato0, MIDL 8.01.0622), [idempotent].
import { beforeEach, describe, expect, it } from 'vitest';
import { IdlError } from '../../lib/idl/errors.js';
import { type CompiledInterface, compileIdl } from '../../lib/ndr/index.js';
import { encodeCall } from '../../lib/runtime/encode-call.js';
import { interfaceFromSource } from '../../lib/runtime/rpc-interface.js';
import { compileBody, headWith, TEST_UUID } from './idl-body.js';

const u16 = (a: Uint8Array, o: number) => (a[o] as number) | ((a[o + 1] as number) << 8);
const hex = (a: ArrayLike<number>) => Array.from(a, (b) => b.toString(16).padStart(2, '0')).join(' ');

const compile = (
  body: string,
  attrs = '',
  options: { robust?: boolean; rangeOnConformance?: boolean } = {},
) =>
  compileBody(body, {
    head: headWith(`uuid(${TEST_UUID}), version(1.0)${attrs}`),
    file: 'input.idl',
    ...options,
  });

/** Where the proc header of `name` starts, and where its parameter descriptors start. */
function procAt(iface: CompiledInterface, name: string): { header: number; params: number } {
  const p = iface.procedures.find((x) => x.name === name);
  if (!p) throw new Error(`no procedure ${name}`);
  const f = iface.procFormat;
  let o = p.procFormatOffset + 10;
  if (f[p.procFormatOffset] === 0) o += 4;
  o += 6;
  return { header: p.procFormatOffset, params: o + (f[o] as number) };
}

/** The type format offset of parameter `index` (IDL order, not counting handle_t). */
function paramType(iface: CompiledInterface, name: string, index: number): number {
  return u16(iface.procFormat, procAt(iface, name).params + index * 6 + 4);
}

/** The descriptor a pointer at `at` points to (its offset field is relative to itself). */
function pointee(iface: CompiledInterface, at: number): number {
  const rel = (u16(iface.typeFormat, at + 2) << 16) >> 16;
  return at + 2 + rel;
}

/** A non-encapsulated union at `at`: its switch type, switch_is descriptor and arm table. */
function union(iface: CompiledInterface, at: number, corrSize = 6) {
  const t = iface.typeFormat;
  expect(t[at], 'FC_NON_ENCAPSULATED_UNION').toBe(0x2b);
  const tableRef = at + 2 + corrSize;
  const table = tableRef + ((u16(t, tableRef) << 16) >> 16);
  return {
    switchFc: t[at + 1],
    correlation: hex(t.subarray(at + 2, at + 2 + corrSize)),
    memorySize: u16(t, table),
    armCount: u16(t, table + 2),
  };
}

const REVISION_INFO = `
  typedef struct _V1 { unsigned long Revision; unsigned long SupportedFeatures; } V1;
  typedef [switch_type(unsigned long)] union { [case(1)] V1 V1; } REVISION_INFO;
  long Open3([in] handle_t h, [in] unsigned long InVersion,
             [in, switch_is(InVersion)] REVISION_INFO *In,
             [out] unsigned long *OutVersion, [out, switch_is(*OutVersion)] REVISION_INFO *Out);`;

// LSAPR_POLICY_DOMAIN_INFORMATION's shape: a long arm, a long + pointer arm, a hyper arm.
const DOMAIN_INFO = `
  typedef struct { unsigned long Q; } QOS;
  typedef struct { unsigned long n; [size_is(n)] unsigned char *blob; } EFS;
  typedef struct { hyper a; hyper b; } KERB;
  typedef [switch_type(unsigned long)] union {
    [case(1)] QOS Qos; [case(2)] EFS Efs; [case(3)] KERB Kerb;
  } DOMAIN_INFO;
  long Query([in] handle_t h, [in] unsigned long c, [out, switch_is(c)] DOMAIN_INFO **info);`;

describe('[ms_union]: the arm table records the largest arm alignment', () => {
  it('a union of 4-byte aligned arms: 0x3001 (ms-lsar_x64.c @2650, LSAPR_REVISION_INFO)', () => {
    const iface = compile(REVISION_INFO, ', ms_union');
    // MIDL: 2b 09 | 29 00 1800 0100 | arm table 0800 0130 (memory size 8, 1 arm, alignment 4).
    // Both are simple ref pointers: the parameter names the union itself, as in MIDL's.
    const inUnion = union(iface, paramType(iface, 'Open3', 1));
    expect(inUnion).toEqual({
      switchFc: 0x09,
      correlation: '29 00 08 00 01 00',
      memorySize: 8,
      armCount: 0x3001,
    });
    // [out, switch_is(*OutVersion)]: FC_DEREFERENCE, not early (ms-lsar_x64.c @2666: 29 54 2800 0100).
    const outUnion = union(iface, paramType(iface, 'Open3', 3));
    expect(outUnion.correlation).toBe('29 54 18 00 01 00');
    expect(outUnion.armCount).toBe(0x3001);
  });

  it('a union with a hyper arm: 0x7003 (ms-lsar_x64.c @2004, LSAPR_POLICY_DOMAIN_INFORMATION)', () => {
    const iface = compile(DOMAIN_INFO, ', ms_union');
    const outer = paramType(iface, 'Query', 1); // FC_RP -> FC_UP -> union
    const u = union(iface, pointee(iface, pointee(iface, outer)));
    expect(u.armCount).toBe(0x7003);
    expect(u.memorySize).toBe(16);
  });

  it('pointers count by their 4-byte wire alignment: 0x3000 | arms (ms-lsar_x64.c @1236, 0x300d)', () => {
    const iface = compile(
      `typedef struct { unsigned long n; [string] wchar_t *name; } NAMED;
       typedef [switch_type(unsigned long)] union { [case(1)] NAMED a; [case(2)] unsigned long *p; } U;
       long Q([in] handle_t h, [in] unsigned long c, [in, switch_is(c)] U *u);`,
      ', ms_union',
    );
    expect(union(iface, paramType(iface, 'Q', 1)).armCount).toBe(0x3002);
  });

  it('[ms_union] on the typedef has the same effect', () => {
    const iface = compile(DOMAIN_INFO.replace('typedef [switch_type', 'typedef [ms_union, switch_type'));
    const u = union(iface, pointee(iface, pointee(iface, paramType(iface, 'Query', 1))));
    expect(u.armCount).toBe(0x7003);
  });

  it('without ms_union the nibble is 0, even with hyper arms (drsr_c.c: every arm table)', () => {
    const iface = compile(DOMAIN_INFO);
    const u = union(iface, pointee(iface, pointee(iface, paramType(iface, 'Query', 1))));
    expect(u.armCount).toBe(0x0003);
  });

  it('inside a struct too (the same arm table serves every use)', () => {
    const iface = compile(
      `${DOMAIN_INFO.replace(/long Query[\s\S]*$/, '')}
       typedef struct { unsigned long level; [switch_is(level)] DOMAIN_INFO u; } HOLDER;
       long Put([in] handle_t h, [in] HOLDER *x);`,
      ', ms_union',
    );
    const t = iface.typeFormat;
    const at = t.indexOf(0x2b);
    // A field correlation: FC_ULONG at offset -8 from the union (it is 8-aligned), early.
    expect(union(iface, at)).toEqual({
      switchFc: 0x09,
      correlation: '09 00 f8 ff 01 00',
      memorySize: 16,
      armCount: 0x7003,
    });
  });
});

describe('switch_is without [switch_type]: the discriminant has the operand type', () => {
  // RPC_PrintPropertyValue: an enum field and an anonymous union switched on it.
  const PROPERTY = `
    typedef enum { kString = 1, kInt32 = 2, kInt64 = 3 } KIND;
    typedef struct {
      KIND ePropertyType;
      [switch_is(ePropertyType)] union {
        [case(kString)] [string] wchar_t *s; [case(kInt32)] long i; [case(kInt64)] hyper l;
      } value;
    } VALUE;
    long Get([in] handle_t h, [out] VALUE *v);`;

  it('an enum field: FC_ENUM16, read as FC_SHORT (ms-par_c.c @2704: 2b 0d 06 00 f8ff 0100)', () => {
    const iface = compile(PROPERTY);
    const at = iface.typeFormat.indexOf(0x2b);
    const u = union(iface, at);
    expect(u.switchFc).toBe(0x0d);
    expect(u.correlation).toBe('06 00 f8 ff 01 00');
    // The struct aligns to the union's hyper: the layout the runtime reads is unchanged.
    expect(iface.types.VALUE?.size).toBe(16);
  });

  it('an enum parameter: FC_ENUM16, read as FC_SHORT (ms-lsar_x64.c @382: 2b 0d 26 00 0800 0100)', () => {
    const iface = compile(
      `typedef enum { A = 1, B = 2 } CLS;
       typedef union { [case(A)] long a; [case(B)] short b; } U;
       long Q([in] handle_t h, [in] CLS c, [out, switch_is(c)] U **u);`,
    );
    const u = union(iface, pointee(iface, pointee(iface, paramType(iface, 'Q', 1))));
    expect(u.switchFc).toBe(0x0d);
    expect(u.correlation).toBe('26 00 08 00 01 00');
    const p = iface.procedures[0]?.params[1]?.type;
    const target = p?.kind === 'pointer' && p.target.kind === 'pointer' ? p.target.target : undefined;
    expect(target?.kind === 'union' && target.switchType.kind).toBe('enum');
  });

  it('short, small and unsigned long operands keep their own type', () => {
    for (const [c, fc] of [
      ['short', 0x06],
      ['small', 0x03],
      ['unsigned short', 0x07],
      ['unsigned long', 0x09],
    ] as const) {
      const iface = compile(
        `typedef union { [case(1)] long a; [case(2)] short b; } U;
         long Q([in] handle_t h, [in] ${c} k, [in, switch_is(k)] U *u);`,
      );
      const u = union(iface, paramType(iface, 'Q', 1));
      expect(u.switchFc, c).toBe(fc);
      expect(u.correlation.slice(0, 2), c).toBe(`2${fc.toString(16)}`);
    }
  });

  it('an explicit [switch_type] wins over the operand (ms-lsar_x64.c: enum switch_type, FC_ENUM16)', () => {
    const iface = compile(
      `typedef [switch_type(long)] union { [case(1)] long a; } U;
       long Q([in] handle_t h, [in] short k, [in, switch_is(k)] U *u);`,
    );
    expect(union(iface, paramType(iface, 'Q', 1)).switchFc).toBe(0x08);
  });
});

describe('[idempotent], [maybe], [broadcast]: the Oi header rpc_flags', () => {
  const rpcFlags = (iface: CompiledInterface, name: string) => {
    const at = procAt(iface, name).header + 2;
    return u16(iface.procFormat, at) | (u16(iface.procFormat, at + 2) << 16);
  };
  it('writes RPC_NCA_FLAGS_* (RogueOxidResolver_s.c @2: NdrFcLong(0x1) for [idempotent])', () => {
    const iface = compile(`
      [idempotent] long A([in] handle_t h);
      [maybe] void B([in] handle_t h, [in] long x);
      [broadcast] long C([in] handle_t h);
      [broadcast, idempotent] long D([in] handle_t h);
      long E([in] handle_t h);`);
    expect(['A', 'B', 'C', 'D', 'E'].map((n) => rpcFlags(iface, n))).toEqual([1, 4, 2, 3, 0]);
  });
  it('refuses [maybe] with an [out] parameter, with its position', () => {
    expect(() => compile('[maybe] void B([in] handle_t h, [out] long *x);')).toThrow(IdlError);
    expect(() => compile('[maybe] void B([in] handle_t h, [out] long *x);')).toThrow(/input\.idl:2:/);
  });
});

// [MS-SCMR]'s RCreateServiceW, cut down to the parameters that carry ranges. Its MIDL
// output is ms_scmr_c.c (M0nster3/RpcsDemo, MIDL 8.01.0628 x64, built by Visual Studio
// with `/target "NT60"` per its midl.command.1.tlog).
const CREATE_SERVICE = `
  long C([in] handle_t h,
    [in, string, range(0, 257)] wchar_t *lpServiceName,
    [in, string, unique, range(0, 257)] wchar_t *lpDisplayName,
    [in, unique, size_is(dwDependSize)] unsigned char *lpDependencies,
    [in, range(0, 4096)] unsigned long dwDependSize);`;

describe('range on conformance (CompileOptions.rangeOnConformance, MIDL /target NT60)', () => {
  // Compiled before each test, not while vitest collects the file nor in beforeAll: a
  // mutation-testing run sees the compile and knows which tests depend on it
  // (test/unit/shared-compile.ts, docs/testing.md).
  let nt60: CompiledInterface;
  let nt51: CompiledInterface;
  let t: Uint8Array;
  beforeEach(() => {
    nt60 = compile(CREATE_SERVICE, '', { rangeOnConformance: true });
    nt51 = compile(CREATE_SERVICE);
    t = nt60.typeFormat;
  });
  const param = (iface: CompiledInterface, i: number) => {
    const at = procAt(iface, 'C').params + i * 6;
    return { flags: u16(iface.procFormat, at), type: u16(iface.procFormat, at + 4) };
  };

  it('marks every procedure HasRangeOnConformance (ms-even_c.c: ext flags 0x45, 0x41 ...)', () => {
    const ext = (iface: CompiledInterface) => iface.procFormat[procAt(iface, 'C').params - 9];
    expect(ext(nt60)).toBe(0x45); // new corr desc, srv corr check, range on conformance
    expect(ext(nt51)).toBe(0x05);
  });

  it('[string, range] wchar_t *: FC_RP -> FC_SUPPLEMENT (ms_scmr_c.c @292-309)', () => {
    const p = param(nt60, 0);
    expect(p.flags).toBe(0x000b); // must size, must free, in: not a simple ref (MIDL @702)
    expect(hex(t.subarray(p.type, p.type + 18))).toBe(
      '11 00 02 00 b6 25 0a 00 00 00 00 00 01 01 00 00 25 5c',
    );
    const u = param(nt60, 1);
    expect(hex(t.subarray(u.type, u.type + 18))).toBe(
      '12 00 02 00 b6 25 0a 00 00 00 00 00 01 01 00 00 25 5c',
    );
  });

  it('a ranged count: 16-byte descriptor, flag 0x10 and the bounds (ms_scmr_c.c @368-389)', () => {
    const p = param(nt60, 2);
    // The unique pointer carries [maybenull_sizeis] in the NT60 forms (MIDL @364: 12 20).
    expect(hex(t.subarray(p.type, p.type + 2))).toBe('12 20');
    const array = pointee(nt60, p.type);
    // MIDL: 1b 00 0100 | 29 00 5800 1000 | 01 00 00000000 00100000 | 02 5b (stack offset differs).
    expect(hex(t.subarray(array, array + 22))).toBe(
      '1b 00 01 00 29 00 20 00 10 00 01 00 00 00 00 00 00 10 00 00 02 5b',
    );
    // The count itself: FC_RANGE with the signed code, as MIDL writes it (@390: b7 08).
    const n = param(nt60, 3);
    expect(hex(t.subarray(n.type, n.type + 10))).toBe('b7 08 00 00 00 00 00 10 00 00');
  });

  it('an unranged correlation: 14 bytes with zero range data; early when the count comes first', () => {
    const iface = compile(
      'long P([in] handle_t h, [in] unsigned long n, [in, size_is(n)] long *a, [in, size_is(m)] long *b, [in] short m);',
      '',
      { rangeOnConformance: true },
    );
    // Simple ref pointers: each parameter names its FC_CARRAY.
    const a = paramType(iface, 'P', 1);
    expect(hex(iface.typeFormat.subarray(a + 4, a + 18))).toBe('29 00 08 00 01 00 00 00 00 00 00 00 00 00');
    const b = paramType(iface, 'P', 2);
    expect(hex(iface.typeFormat.subarray(b + 4, b + 18))).toBe('26 00 20 00 00 00 00 00 00 00 00 00 00 00');
  });

  it('off (the default, MIDL /target NT51 forms): 6-byte descriptors, plain strings, winrpc checks the bounds', () => {
    const p = param(nt51, 0);
    expect(p.flags & 0x0100).toBe(0x0100); // a simple ref to the string
    expect(hex(nt51.typeFormat.subarray(p.type, p.type + 2))).toBe('25 5c');
    expect(hex(nt51.typeFormat.subarray(param(nt51, 2).type, param(nt51, 2).type + 2))).toBe('12 00');
    const array = pointee(nt51, param(nt51, 2).type);
    expect(hex(nt51.typeFormat.subarray(array, array + 12))).toBe('1b 00 01 00 29 00 20 00 00 00 02 5b');
    // The layout keeps the bounds for the runtime's own check.
    const s = nt51.procedures[0]?.params[0]?.type;
    expect(s?.kind === 'pointer' && s.target.kind === 'string' && s.target.range).toEqual({
      min: 0,
      max: 257,
    });
  });

  it('refuses rangeOnConformance without robust descriptors', () => {
    expect(() => compile(CREATE_SERVICE, '', { rangeOnConformance: true, robust: false })).toThrow(
      /rangeOnConformance needs robust/,
    );
  });
});

describe('[range] on a string: the runtime checks the bounds in either form', () => {
  for (const rangeOnConformance of [false, true]) {
    it(`rangeOnConformance: ${rangeOnConformance}`, () => {
      const iface = compile('long S([in] handle_t h, [in, string, range(2, 4)] wchar_t *name);', '', {
        rangeOnConformance,
      });
      const proc = iface.procedures[0];
      if (!proc) throw new Error('no procedure');
      // The count includes the terminator: 1 to 3 characters fit range(2, 4).
      expect(() => encodeCall(proc, ['abc'])).not.toThrow();
      expect(() => encodeCall(proc, ['abcd'])).toThrow(
        new RangeError('S(name): 4 characters and the terminator are outside [range(2, 4)]'),
      );
      expect(() => encodeCall(proc, [''])).toThrow(RangeError);
    });
  }
});

// MS-DRSR's ENTINFLIST, a linked list: drsr_c.c (MIDL 8.01.0622) @3974 describes it as
// 1a 03 2800 0000 0800 | 36 4c 00 <ENTINF> 5b | 12 00 f0ff: a bogus struct whose pointer
// layout's FC_UP points back at the struct itself.
const LIST = `
  typedef struct { long a; [string] wchar_t *s; } ENTINF;
  typedef struct ENTINFLIST { struct ENTINFLIST *pNextEntInf; ENTINF Entinf; } ENTINFLIST;
  typedef struct _A { struct _B *b; long v; } A;
  typedef struct _B { struct _A *a; short w; } B;
  void Put([in] handle_t h, [in] ENTINFLIST *list);
  void Get([in] handle_t h, [out] ENTINFLIST **list);
  void Mutual([in] handle_t h, [in] A *a);`;

describe('recursive structs', () => {
  // Compiled before each test, not while vitest collects the file nor in beforeAll: a
  // mutation-testing run sees the compile and knows which tests depend on it
  // (test/unit/shared-compile.ts, docs/testing.md).
  let iface: CompiledInterface;
  let t: Uint8Array;
  beforeEach(() => {
    iface = compile(LIST, ', pointer_default(unique)');
    t = iface.typeFormat;
  });

  it('a linked list: FC_BOGUS_STRUCT whose FC_UP points back at itself (drsr_c.c @3974)', () => {
    const at = paramType(iface, 'Put', 0); // a simple ref: the struct itself
    expect(hex(t.subarray(at, at + 10))).toBe('1a 03 18 00 00 00 08 00 36 4c');
    expect(t[at + 13]).toBe(0x5b);
    const layout = at + 6 + u16(t, at + 6);
    expect(hex(t.subarray(layout, layout + 2))).toBe('12 00');
    expect(pointee(iface, layout)).toBe(at);
  });

  it('mutual recursion: each struct points at the other', () => {
    const a = paramType(iface, 'Mutual', 0);
    const aPtr = a + 6 + u16(t, a + 6);
    const b = pointee(iface, aPtr);
    expect(t[b]).toBe(0x1a);
    expect(pointee(iface, b + 6 + u16(t, b + 6))).toBe(a);
  });

  it('keeps the compiled interface JSON (the recursion is a named reference)', () => {
    const rest = {
      ...iface,
      procFormat: Array.from(iface.procFormat),
      typeFormat: Array.from(iface.typeFormat),
    };
    expect(JSON.parse(JSON.stringify(rest))).toEqual(rest);
    const next =
      iface.types.ENTINFLIST?.kind === 'struct' ? iface.types.ENTINFLIST.fields[0]?.type : undefined;
    expect(next?.kind === 'pointer' && next.target).toMatchObject({ kind: 'recursion', name: 'ENTINFLIST' });
  });

  it('the runtime links the reference and encodes a list of any length', () => {
    const rpc =
      interfaceFromSource(`[uuid(12345678-1234-1234-1234-123456789abc), version(1.0), pointer_default(unique)]
      interface T { ${LIST.replace(/\[in\] handle_t h, /g, '')} }`);
    const put = rpc.procedures.find((p) => p.name === 'Put');
    if (!put) throw new Error('no Put');
    const node = (a: number, next: unknown) => ({ pNextEntInf: next, Entinf: { a, s: `n${a}` } });
    const plan = encodeCall(put, [node(1, node(2, node(3, null)))]);
    const arena = plan.encoded.arena;
    const view = new DataView(arena.buffer, arena.byteOffset, arena.byteLength);
    // Three nodes in the arena (pointers hold arena offsets until native relocates them).
    const values: number[] = [];
    for (let at = plan.pointees.get('list') ?? -1; at >= 0; ) {
      values.push(view.getInt32(at + 8, true));
      const next = Number(view.getBigUint64(at, true));
      at = next === 0 ? -1 : next;
    }
    expect(values).toEqual([1, 2, 3]);
    expect(() => encodeCall(put, [node(1, { pNextEntInf: 5 })])).toThrow(TypeError);
  });
});

describe('switch_is expressions: an expression callback', () => {
  // [MS-PAR]'s switch_is(0x00FFFFFF & Level): MIDL 8.01 /target NT60 writes FC_EXPR with
  // an FC_LONG discriminant (ms-par_c.c @2414); winrpc writes FC_CALLBACK, which every
  // engine reads, and the same FC_LONG.
  const EXPR = `
    typedef struct { unsigned long n; } L1;
    typedef struct {
      unsigned long Level;
      [switch_is(0x00FFFFFF & Level)] union { [case(1)] L1 *p1; [case(2)] long v; } u;
    } C;
    long F([in] handle_t h, [in] C *c);
    long G([in] handle_t h, [in] unsigned long k, [in, switch_is(k & 0xffff)] C *c);`;

  it('a field expression: FC_LONG, a field FC_CALLBACK descriptor and its program', () => {
    const iface = compile(EXPR.replace(/\s*long G[^;]*;/, ''));
    const at = iface.typeFormat.indexOf(0x2b);
    const u = union(iface, at);
    expect(u.switchFc).toBe(0x08);
    expect(u.correlation).toBe('00 59 00 00 00 00'); // field, FC_CALLBACK, program 0
    expect(iface.exprPrograms).toHaveLength(1);
  });

  it('the runtime selects the arm by the expression', () => {
    const rpc = interfaceFromSource(`[uuid(12345678-1234-1234-1234-123456789abc), version(1.0)]
      interface T { ${EXPR.replace(/\s*long G[^;]*;/, '').replace('[in] handle_t h, ', '')} }`);
    const f = rpc.procedures.find((p) => p.name === 'F');
    if (!f) throw new Error('no F');
    expect(() => encodeCall(f, [{ Level: 0x7f000002, u: { case: 2, v: 5 } }])).not.toThrow();
    expect(() => encodeCall(f, [{ Level: 0x7f000002, u: { case: 1, p1: { n: 1 } } }])).toThrow(
      /contradicts its switch_is value \(2\)/,
    );
  });
});

describe('more of MIDL 8.01 forms (fixtures of the midl-oracle branch)', () => {
  it('boolean is FC_SMALL; constant max_is is a constant correlation (lpp_c.c @8, @52)', () => {
    const iface = compile(
      'long G([in] handle_t h, [in, string, max_is(257)] const wchar_t *username, [in] const boolean isSetOperation);',
    );
    const at = procAt(iface, 'G').params;
    expect(iface.procFormat[at + 6 + 4]).toBe(0x03); // FC_SMALL
    const s = paramType(iface, 'G', 0);
    // MIDL: 25 44 | 40 00 0201 | 0100 (constant 258, early).
    expect(hex(iface.typeFormat.subarray(s, s + 8))).toBe('25 44 40 00 02 01 01 00');
  });

  it('an [in, out] context handle cannot be NULL (ms-lsar_x64.c: 0xe1 in the type format string)', () => {
    const iface = compile(`typedef [context_handle] void *H;
      long Close([in, out] H *h);`);
    const ctx = iface.typeFormat.indexOf(0x30);
    expect(hex(iface.typeFormat.subarray(ctx, ctx + 2))).toBe('30 e1');
    // The header's binding copy is 0xe0, as in LsarClose's header (ms-lsar_x64.c @10).
    const [auto] = compileIdl(
      `[uuid(12345678-1234-1234-1234-123456789abc), version(1.0)] interface T {
        typedef [context_handle] void *H; long Close([in, out] H *h); }`,
      { async: false, binding: 'auto' },
    );
    expect(auto?.procFormat.subarray(10, 12)).toEqual(Uint8Array.of(0x30, 0xe0));
  });

  it('a struct by value of more than 8 bytes sets HasBigByValueParam (WinGetServer_c.c: 0x83)', () => {
    const iface = compile(`long C([in] handle_t h, [in] GUID clsid, [in] GUID iid, [in] unsigned long flags,
      [out, ref] unsigned long *pcbBuffer, [out, ref, size_is(, *pcbBuffer)] byte **ppBuffer);`);
    expect(iface.procFormat[procAt(iface, 'C').params - 9]).toBe(0x83);
  });
});

describe('[size_is(n,)] on a struct field: only the outer level sized ([MS-DRSR] DRS_MSG_REVMEMB_REQ_V1)', () => {
  it('is a unique pointer to a conformant array of pointers, sized by the field', () => {
    const iface = compile(`
      typedef struct { long n; } DSNAME;
      typedef struct { [range(1, 10000)] unsigned long cDsNames; [size_is(cDsNames,)] DSNAME **ppDsNames; } REQ;
      long F([in] handle_t h, [in] REQ *r);`);
    const req = iface.types.REQ;
    const field = req?.kind === 'struct' ? req.fields[1]?.type : undefined;
    const array = field?.kind === 'pointer' ? field.target : undefined;
    expect(array).toMatchObject({ kind: 'array', sizeIs: { source: 'field', name: 'cDsNames' } });
    expect(array?.kind === 'array' && array.element.kind).toBe('pointer');
    // FC_BOGUS_ARRAY of pointers sized by the field at offset 0 of the struct (field pointer, FC_ULONG, early).
    const at = iface.typeFormat.indexOf(0x21);
    expect(hex(iface.typeFormat.subarray(at, at + 10))).toBe('21 03 00 00 19 00 00 00 01 00');
  });
});

describe('[range] on an enum', () => {
  it('FC_RANGE over FC_ENUM16, embedded in its struct (drsr_c.c @2100: b7 0d 01000000 07000000)', () => {
    const iface = compile(`
      typedef enum { A = 1, B, C, D, E, F, G, H } OP;
      typedef struct { unsigned long dwFlags; [range(1,7)] OP OperationType; } REQ;
      long F([in] handle_t h, [in] REQ *r);`);
    const at = iface.typeFormat.indexOf(0xb7);
    expect(hex(iface.typeFormat.subarray(at, at + 10))).toBe('b7 0d 01 00 00 00 07 00 00 00');
    const proc = iface.procedures[0];
    if (!proc) throw new Error('no procedure');
    expect(() => encodeCall(proc, [{ dwFlags: 0, OperationType: 'G' }])).not.toThrow();
    expect(() => encodeCall(proc, [{ dwFlags: 0, OperationType: 'H' }])).toThrow(
      /8 \(H\) is outside \[range\(1, 7\)\]/,
    );
  });
});
