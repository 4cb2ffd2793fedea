// Correlation descriptors and expression callbacks in the type format string, byte by byte.
// The expected bytes are written from the format-string rules ("RPC NDR Format Strings",
// the correlation descriptor: a type byte that is the location (0x00 a field, 0x10 a
// field behind a pointer, 0x20 a parameter, 0x40 a constant) or'ed with the operand's
// base type; an operator byte (0 none, FC_DEREFERENCE 0x54, FC_DIV_2 0x55, FC_MULT_2
// 0x56, FC_ADD_1 0x57, FC_SUB_1 0x58, FC_CALLBACK 0x59); a 16-bit offset; and under
// /robust the 16-bit correlation flags, 0x0001 "early"), checked against MIDL where a
// fixture has the form (named in each test), and for callbacks from the interpreter that
// runs them (native/win/expr_eval.cc: LOAD 0x03 width signed <address>, ADDR 0x02 + 4
// bytes, CONST 0x01 + 8 bytes, binary operators `+ - * /` 0x20..0x23; a program is a
// has-first byte, [the first_is expression], then the count).
//
// Synchronous procedures with the handle_t in slot 0: the first parameter after it sits
// at stack offset 8, the next at 16.
import { describe, expect, it } from 'vitest';
import type { CompiledInterface } from '../../lib/ndr/index.js';
import { compileBody } from './idl-body.js';

const u16 = (a: Uint8Array, o: number) => (a[o] as number) | ((a[o + 1] as number) << 8);
const hex = (a: ArrayLike<number>) => Array.from(a, (b) => b.toString(16).padStart(2, '0')).join(' ');

/** Why `name` is unavailable: a refused procedure leaves the rest of the interface compiled. */
const reasonOf = (iface: CompiledInterface, name: string) =>
  iface.unavailable?.find((u) => u.name === name)?.reason;

const compile = (body: string) => compileBody(body);

/** The type format offset of parameter `index` (IDL order, not counting handle_t) of `name`. */
function paramType(iface: CompiledInterface, name: string, index: number): number {
  const p = iface.procedures.find((x) => x.name === name);
  if (!p) throw new Error(`no procedure ${name}`);
  const f = iface.procFormat;
  // Oi header (10 bytes with rpc flags, +4 with an explicit handle), 6 bytes of sizes and
  // flags, then the extension (its first byte is its size).
  let o = p.procFormatOffset + 10;
  if (f[p.procFormatOffset] === 0) o += 4;
  o += 6;
  return u16(f, o + (f[o] as number) + index * 6 + 4);
}

/** The descriptor a pointer at `at` points to (its offset field is relative to itself). */
function pointee(iface: CompiledInterface, at: number): number {
  return at + 2 + ((u16(iface.typeFormat, at + 2) << 16) >> 16);
}

/**
 * Where an [in, size_is(...)] pointer parameter's array is described: a [ref] pointer is
 * described by its pointee (IsSimpleRef), a [unique] one by its FC_UP, followed here.
 */
function arrayOf(iface: CompiledInterface, proc: string, index: number): number {
  const at = paramType(iface, proc, index);
  const fc = iface.typeFormat[at] as number;
  return fc >= 0x11 && fc <= 0x14 ? pointee(iface, at) : at;
}

/** The 6-byte size descriptor of the conformant array an [in, size_is(...)] pointer parameter points to. */
function sizeDescriptor(iface: CompiledInterface, proc: string, index: number): string {
  const array = arrayOf(iface, proc, index);
  expect(iface.typeFormat[array], 'FC_CARRAY').toBe(0x1b);
  return hex(iface.typeFormat.subarray(array + 4, array + 10));
}

// Expression program pieces (native/win/expr_eval.cc).
const le = (v: number, n: number) => Array.from({ length: n }, (_, i) => (v / 2 ** (8 * i)) & 0xff);
const load = (width: number, signed: number, offset: number) => [0x03, width, signed, 0x02, ...le(offset, 4)];
const constant = (v: number) => [0x01, ...le(v, 8)];

describe('correlation descriptors: the operand type byte', () => {
  // [in] T n, [in, size_is(n)] byte *p: a parameter (0x20) of n's type at offset 8, early
  // (n comes before p). MIDL reads a byte as FC_SMALL (ms-frs2_c.c @710), an enum16 as
  // FC_SHORT and a [v1_enum] as FC_LONG (ms-lsar_x64.c), a char as FC_USMALL (widl).
  it.each([
    ['long', '28'],
    ['unsigned long', '29'],
    ['short', '26'],
    ['unsigned short', '27'],
    ['small', '23'],
    ['unsigned small', '24'],
    ['char', '24'],
    ['byte', '23'],
    ['wchar_t', '25'],
    ['boolean', '23'],
    ['E16', '26'],
    ['E32', '28'],
  ])('size_is of a %s parameter: type byte 0x%s', (type, byte) => {
    const iface = compile(`typedef enum { A = 1 } E16; typedef [v1_enum] enum { B = 1 } E32;
      void F([in] handle_t h, [in] ${type} n, [in, size_is(n)] byte *p);`);
    expect(sizeDescriptor(iface, 'F', 1)).toBe(`${byte} 00 08 00 01 00`);
  });

  it.each(['hyper', 'float', 'double', '__int3264'])('refuses a %s count, with its position', (type) => {
    const text = `void F([in] handle_t h, [in] ${type} n,\n  [in, size_is(n)] byte *p);`;
    // Only F is refused (unavailable, with the reason), not the interface.
    expect(reasonOf(compile(text), 'F')).toMatch(
      /^t\.idl:3:.*size\/length from 'n', which is not an integer of 32 bits or less is not supported yet$/,
    );
  });
});

describe('correlation descriptors: the operators NDR evaluates itself', () => {
  it.each([
    ['n', '00'],
    ['n + 1', '57'],
    ['1 + n', '57'],
    ['n - 1', '58'],
    ['n * 2', '56'],
    ['2 * n', '56'],
    ['n / 2', '55'],
  ])('size_is(%s): operator 0x%s', (expr, op) => {
    const iface = compile(`void F([in] handle_t h, [in] long n, [in, size_is(${expr})] byte *p);`);
    expect(sizeDescriptor(iface, 'F', 1)).toBe(`28 ${op} 08 00 01 00`);
  });

  it('size_is(*pn): FC_DEREFERENCE, typed by the pointee (ms-lsar_x64.c @2672: early too)', () => {
    const iface = compile('void F([in] handle_t h, [in] unsigned short *pn, [in, size_is(*pn)] byte *p);');
    expect(sizeDescriptor(iface, 'F', 1)).toBe('27 54 08 00 01 00');
  });

  it('a count that comes after the array is not early', () => {
    const iface = compile('void F([in] handle_t h, [in, size_is(n)] byte *p, [in] long n);');
    expect(sizeDescriptor(iface, 'F', 0)).toBe('28 00 10 00 00 00');
  });

  it('a field: location 0x00, offset from the conformant array (ms-drsr_c.c @160: 09 57 fcff, NameLen + 1)', () => {
    const iface = compile(`typedef struct { unsigned long n; [size_is(n + 1)] long a[]; } S;
      void F([in] handle_t h, [in] S *s);`);
    const t = iface.typeFormat;
    const cstruct = arrayOf(iface, 'F', 0);
    expect(t[cstruct], 'FC_CSTRUCT').toBe(0x17);
    const array = cstruct + 4 + ((u16(t, cstruct + 4) << 16) >> 16);
    expect(hex(t.subarray(array, array + 10))).toBe('1b 03 04 00 09 57 fc ff 01 00');
  });

  it('a field behind a pointer: location 0x10, offset from the struct (ms-drsr_c.c @4894: 17 55 0200)', () => {
    const iface =
      compile(`typedef struct { unsigned short len; unsigned short max; [size_is(max / 2)] wchar_t *s; } S;
      void F([in] handle_t h, [in] S *s);`);
    const t = iface.typeFormat;
    const at = t.indexOf(0x1b);
    expect(hex(t.subarray(at, at + 10))).toBe('1b 01 02 00 17 55 02 00 01 00');
  });

  it('a constant: 0x40, then the value in 3 bytes (high byte, then the low 16 bits), always early', () => {
    const iface = compile('void F([in] handle_t h, [in, size_is(0x123456)] byte *p);');
    expect(sizeDescriptor(iface, 'F', 0)).toBe('40 12 56 34 01 00');
    const max = compile('void F([in] handle_t h, [in, size_is(0xffffff)] byte *p);');
    expect(sizeDescriptor(max, 'F', 0)).toBe('40 ff ff ff 01 00');
  });

  it.each([
    ['0x1000000', '16777216'],
    ['-1', '-1'],
  ])('refuses a constant size of %s (it does not fit the 24 bits)', (value, shown) => {
    expect(reasonOf(compile(`void F([in] handle_t h, [in, size_is(${value})] byte *p);`), 'F')).toMatch(
      new RegExp(`constant size ${shown} is not supported yet`),
    );
  });
});

describe('expression callbacks for what NDR cannot evaluate', () => {
  const program = (iface: CompiledInterface, i = 0) => Array.from(iface.exprPrograms?.[i] ?? []);

  it('size_is(*pn + 1): a dereference with an operator is a callback (FC_CALLBACK, not early)', () => {
    const iface = compile('void F([in] handle_t h, [in] long *pn, [in, size_is(*pn + 1)] byte *p);');
    expect(sizeDescriptor(iface, 'F', 1)).toBe('20 59 00 00 00 00');
    // + (*pn) 1: *pn loads 4 signed bytes from the address loaded from slot 8.
    expect(program(iface)).toEqual([0, 0x20, 0x03, 4, 1, ...load(8, 0, 8), ...constant(1)]);
  });

  it.each([
    ['n - 2', 0x21, 2],
    ['n * 3', 0x22, 3],
    ['n / 4', 0x23, 4],
    ['n + 2', 0x20, 2],
  ])('size_is(%s): another constant is a callback', (expr, op, k) => {
    const iface = compile(`void F([in] handle_t h, [in] long n, [in, size_is(${expr})] byte *p);`);
    expect(sizeDescriptor(iface, 'F', 1)).toBe('20 59 00 00 00 00');
    expect(program(iface)).toEqual([0, op, ...load(4, 1, 8), ...constant(k)]);
  });

  // first_is needs one callback for offset and length: the length's NDR operator becomes
  // the expression it stands for.
  it.each([
    ['n', []],
    ['n + 1', [0x20]],
    ['n - 1', [0x21]],
    ['n * 2', [0x22]],
    ['n / 2', [0x23]],
  ] as const)('first_is(f), length_is(%s): one program for both', (length, op) => {
    const iface = compile(
      `void F([in] handle_t h, [in] long f, [in] short n, [in, size_is(16), first_is(f), length_is(${length})] long *p);`,
    );
    const array = arrayOf(iface, 'F', 2);
    // FC_CVARRAY, 4-aligned 4-byte elements, constant size 16, then the variance callback.
    expect(hex(iface.typeFormat.subarray(array, array + 16))).toBe(
      '1c 03 04 00 40 00 10 00 01 00 20 59 00 00 00 00',
    );
    const count = op.length
      ? [...op, ...load(2, 1, 16), ...constant(op[0] === 0x22 || op[0] === 0x23 ? 2 : 1)]
      : load(2, 1, 16);
    expect(program(iface)).toEqual([1, ...load(4, 1, 8), ...count]);
  });

  it('first_is(*pf) and a constant first_is', () => {
    const deref = compile(
      'void F([in] handle_t h, [in] long *pf, [in] long n, [in, size_is(16), first_is(*pf), length_is(n)] long *p);',
    );
    expect(program(deref)).toEqual([1, 0x03, 4, 1, ...load(8, 0, 8), ...load(4, 1, 16)]);
    const fixed = compile(
      'void F([in] handle_t h, [in] long n, [in, size_is(16), first_is(3), length_is(n)] long *p);',
    );
    expect(program(fixed)).toEqual([1, ...constant(3), ...load(4, 1, 8)]);
  });

  it('location: 0x00 for an embedded array, 0x10 behind a pointer', () => {
    const iface = compile(`typedef struct { long n; [size_is(n * 3)] long a[]; } S1;
      typedef struct { long n; [size_is(n * 3)] long *p; } S2;
      void F([in] handle_t h, [in] S1 *a, [in] S2 *b);`);
    const t = hex(iface.typeFormat);
    expect(t).toContain('1b 03 04 00 00 59 00 00 00 00');
    expect(t).toContain('1b 03 04 00 10 59 01 00 00 00');
    // Both programs: n * 3, n 4 bytes before the embedded array, at the pointer's struct's start.
    expect(program(iface, 0)).toEqual([0, 0x22, ...load(4, 1, -4 >>> 0), ...constant(3)]);
    expect(program(iface, 1)).toEqual([0, 0x22, ...load(4, 1, 0), ...constant(3)]);
  });

  it('one program per distinct expression, shared by every use', () => {
    const iface = compile(`void F([in] handle_t h, [in] long n, [in, size_is(n * 3)] byte *p);
      void G([in] handle_t h, [in] long n, [in, size_is(n * 5)] byte *p);
      void H([in] handle_t h, [in] long n, [in, size_is(n * 3)] byte *p);`);
    expect(iface.exprPrograms).toHaveLength(2);
    expect(sizeDescriptor(iface, 'F', 1)).toBe('20 59 00 00 00 00');
    expect(sizeDescriptor(iface, 'G', 1)).toBe('20 59 01 00 00 00');
    expect(sizeDescriptor(iface, 'H', 1)).toBe('20 59 00 00 00 00');
  });

  it('the addon has 256 callback routines: 256 programs compile, the 257th is refused', () => {
    const procs = (n: number) =>
      Array.from(
        { length: n },
        (_, i) => `void P${i}([in] handle_t h, [in] long n, [in, size_is(n * ${i + 3})] byte *p);`,
      ).join('\n');
    expect(compile(procs(256)).exprPrograms).toHaveLength(256);
    const over = compile(procs(257));
    expect(over.exprPrograms).toHaveLength(256);
    expect(reasonOf(over, 'P256')).toMatch(
      /^t\.idl:258:.*more than 256 expression callbacks in one interface is not supported yet$/,
    );
  });
});
