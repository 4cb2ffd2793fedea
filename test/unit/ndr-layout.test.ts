// lib/ndr/layout.ts: the x64 C layouts the runtime reads and writes memory by. Expected
// sizes and offsets are worked out by hand from the Microsoft x64 (LLP64) rules MSVC and
// mingw share: a scalar is aligned to its size (char/boolean/byte/small 1, wchar_t/short
// 2, long/float/error_status_t 4, hyper/double/pointers/__int3264 8), a member sits at
// the next multiple of its alignment, a struct or union is aligned to its largest member
// and its size rounded up to that. An encapsulated union is the C struct MIDL generates:
// `struct { discriminant; union { arms } u; }`. (ndr-layout-c.test.ts checks the
// fixtures' layouts against mingw gcc itself; it is too slow for mutation runs.)
import { describe, expect, it } from 'vitest';
import { compileBody } from './idl-body.js';

const compile = (body: string) => compileBody(body);

type Layout = { kind: string; size: number; align: number; fields?: { name: string; offset: number }[] };
const layoutOf = (body: string, name: string) => {
  const t = compile(body).types[name] as Layout | undefined;
  if (!t) throw new Error(`no type ${name}`);
  return t;
};
const offsets = (t: Layout) => Object.fromEntries((t.fields ?? []).map((f) => [f.name, f.offset]));
const USE = (names: string[]) =>
  `void F([in] handle_t h${names.map((n, i) => `, [in] ${n} *p${i}`).join('')});`;

describe('x64 C layouts', () => {
  it('every base type: its size and alignment', () => {
    // Each member after a char: it lands at its own alignment, so offset = alignment.
    const types = [
      ['boolean', 1],
      ['byte', 1],
      ['small', 1],
      ['unsigned small', 1],
      ['wchar_t', 2],
      ['short', 2],
      ['unsigned short', 2],
      ['long', 4],
      ['unsigned long', 4],
      ['float', 4],
      ['error_status_t', 4],
      ['hyper', 8],
      ['unsigned hyper', 8],
      ['double', 8],
      ['__int3264', 8],
      ['unsigned __int3264', 8],
    ] as const;
    for (const [type, size] of types) {
      const t = layoutOf(`typedef struct { char c; ${type} x; } S;\n${USE(['S'])}`, 'S');
      // offsetof(x) = size; sizeof = offsetof(x) + size, already a multiple of the alignment.
      expect([offsets(t).x, t.size, t.align], type).toEqual([size, 2 * size, size]);
    }
  });

  it('a struct: members at their alignment, size rounded up to the largest', () => {
    // c@0, w@2 (2-aligned), l@4, q@8, s@16, size 18 -> 24 (8-aligned).
    const t = layoutOf(
      `typedef struct { char c; wchar_t w; long l; hyper q; short s; } S;\n${USE(['S'])}`,
      'S',
    );
    expect(offsets(t)).toEqual({ c: 0, w: 2, l: 4, q: 8, s: 16 });
    expect([t.size, t.align]).toEqual([24, 8]);
    // Only 2-byte members: 3 bytes of members -> 4, aligned 2.
    const small = layoutOf(`typedef struct { short a; char b; } S;\n${USE(['S'])}`, 'S');
    expect([offsets(small).b, small.size, small.align]).toEqual([2, 4, 2]);
  });

  it('fixed arrays and counted strings: count times the element, aligned like it', () => {
    // b@0, s@2 (5 wchar_t = 10 bytes), a@12 (3 longs), size 24, aligned 4.
    const t = layoutOf(`typedef struct { byte b; [string] wchar_t s[5]; long a[3]; } S;\n${USE(['S'])}`, 'S');
    expect(offsets(t)).toEqual({ b: 0, s: 2, a: 12 });
    expect([t.size, t.align]).toEqual([24, 4]);
  });

  it('a conformant array adds nothing to sizeof (C flexible array member)', () => {
    // n@0, a@4 (2-aligned shorts), sizeof 4.
    const t = layoutOf(`typedef struct { long n; [size_is(n)] short a[]; } S;\n${USE(['S'])}`, 'S');
    expect(offsets(t)).toEqual({ n: 0, a: 4 });
    expect([t.size, t.align]).toEqual([4, 4]);
  });

  it('an [ignore] field is a pointer in C: 8 bytes, 8-aligned', () => {
    // n@0, p@8, t@16, size 18 -> 24.
    const t = layoutOf(`typedef struct { long n; [ignore] long *p; short t; } S;\n${USE(['S'])}`, 'S');
    expect(offsets(t)).toEqual({ n: 0, p: 8, t: 16 });
    expect([t.size, t.align]).toEqual([24, 8]);
    expect((t.fields?.[1] as unknown as { type: { kind: string } }).type.kind).toBe('ignore');
  });

  it('a non-encapsulated union: its largest arm, aligned to the most aligned arm', () => {
    // byte (1) and float (4): size 4, aligned 4; a default arm with no member adds nothing.
    const t = layoutOf(
      `typedef [switch_type(short)] union { [case(1)] byte b; [case(2)] float f; [default] ; } U;
       void F([in] handle_t h, [in] short k, [in, switch_is(k)] U *u);`,
      'U',
    );
    expect([t.kind, t.size, t.align]).toEqual(['union', 4, 4]);
    // wchar_t[3] (6 bytes, 2-aligned) and a long: 6 rounded up to 4 -> 8.
    const odd = layoutOf(
      `typedef [switch_type(short)] union { [case(1)] wchar_t w[3]; [case(2)] long l; } U;
       void F([in] handle_t h, [in] short k, [in, switch_is(k)] U *u);`,
      'U',
    );
    expect([odd.size, odd.align]).toEqual([8, 4]);
  });

  it.each([
    // struct { short k; union { byte b; } u; }: u@2, 3 bytes -> 4, aligned 2.
    ['short', 'byte b;', 2, 4, 2],
    // struct { long k; union { short s; } u; }: u@4, 6 bytes -> 8, aligned 4.
    ['long', 'short s;', 4, 8, 4],
    // struct { short k; union { long a; hyper h; } u; }: u@8 (8-aligned), 16 bytes, aligned 8.
    ['short', 'long a; case 2: hyper h;', 8, 16, 8],
    // struct { small k; union { wchar_t w; } u; }: u@2, 4 bytes, aligned 2.
    ['small', 'wchar_t w;', 2, 4, 2],
  ])(
    'an encapsulated union switched by %s with %s: the union at %i, size %i, aligned %i',
    (sw, arms, at, size, align) => {
      const t = layoutOf(
        `typedef union EU switch (${sw} k) u { case 1: ${arms} } EU;\n${USE(['EU'])}`,
        'EU',
      ) as Layout & { encapsulated: { unionOffset: number } };
      expect([t.encapsulated.unionOffset, t.size, t.align]).toEqual([at, size, align]);
    },
  );

  it('[ptr] is a full pointer; [unique] and [ref] keep their names', () => {
    const iface = compile('void F([in] handle_t h, [in, ptr] long *a, [in, unique] long *b, [in] long *c);');
    expect(iface.procedures[0]?.params.map((p) => (p.type as { pointer?: string }).pointer)).toEqual([
      'full',
      'unique',
      'ref',
    ]);
  });
});

describe('a union without [switch_type] takes its switch_is operand type (MIDL)', () => {
  const union = (operand: string, use = 'k') => {
    const iface = compile(`typedef enum { A = 1, B = 2 } E;
      typedef union { [case(1)] long a; [case(2)] short b; } U;
      void F([in] handle_t h, [in] ${operand}, [in, switch_is(${use})] U *u);`);
    const p = iface.procedures[0]?.params[1]?.type as { target: { switchType: unknown } };
    return p.target.switchType;
  };
  const prim = (primitive: string, size: number) => ({ kind: 'primitive', primitive, size, align: size });

  it.each([
    ['boolean', 'boolean', 1],
    ['byte', 'byte', 1],
    ['char', 'char', 1],
    ['small', 'small', 1],
    ['unsigned small', 'usmall', 1],
    ['wchar_t', 'wchar_t', 2],
    ['short', 'short', 2],
    ['long', 'long', 4],
    ['unsigned long', 'ulong', 4],
  ])('a %s operand', (type, primitive, size) => {
    expect(union(`${type} k`)).toEqual(prim(primitive, size));
  });

  it('an enum operand: the enum (FC_ENUM16 on the wire)', () => {
    expect(union('E k')).toMatchObject({ kind: 'enum', wire: 'enum16' });
  });

  it('through a pointer: the pointee type', () => {
    expect(union('unsigned short *k', '*k')).toEqual(prim('ushort', 2));
  });

  it("a [range] operand: the type without the operand's range", () => {
    expect(union('[range(0, 3)] short k')).toEqual(prim('short', 2));
  });

  it('a hyper operand is refused: no correlation descriptor reads 64 bits', () => {
    // Only F is refused (unavailable, with the reason), not the interface.
    const iface = compile(`typedef union { [case(1)] long a; [case(2)] short b; } U;
      void F([in] handle_t h, [in] hyper k, [in, switch_is(k)] U *u);`);
    expect(iface.procedures).toEqual([]);
    expect(iface.unavailable?.[0]?.reason).toMatch(
      /size\/length from 'k', which is not an integer of 32 bits or less/,
    );
  });
});
