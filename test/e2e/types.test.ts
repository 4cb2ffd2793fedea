// Every type of the supported subset through the real runtime against the types
// server, on every protocol sequence. The server transforms what it gets (types.idl:
// integers + 1 wrapping, booleans negated, floats negated, enums to the next
// enumerator), so each reply is checked against the transform, never an echo.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInterface, RpcBinding, type RpcClient, type RpcInterface } from '../../lib/index.js';
import { PROTSEQS, type RunningServer, startServer, TEST_BINDING_OPTIONS } from '../support/rpc-server.js';

const typesIdl = new URL('../servers/types.idl', import.meta.url);
let types: RpcInterface;

beforeAll(async () => {
  types = await loadInterface(typesIdl);
});

/** One base type: the procedures' name suffix, edge values, and the server's transform. */
interface BaseCase {
  name: string;
  values: unknown[];
  next: (v: never) => unknown;
}

const wrapInt = (bits: number) => (v: number) => {
  const span = 2 ** bits;
  const half = span / 2;
  return ((((v + 1 + half) % span) + span) % span) - half;
};
const wrapUint = (bits: number) => (v: number) => (v + 1) % 2 ** bits;
const nextChar = (max: number) => (v: string) => String.fromCharCode((v.charCodeAt(0) + 1) % (max + 1));
const cycle =
  (order: number[]) =>
  (v: number): number =>
    order[(order.indexOf(v) + 1) % order.length]!;

// Float values exactly representable in float32, so nothing is lost on the way.
const FLOAT_VALUES = [0, -0, 1.5, -2.25, 3.4028234663852886e38, 1.401298464324817e-45, 16777216, Infinity];
const DOUBLE_VALUES = [0, -0, Math.PI, -1e-300, Number.MAX_VALUE, Number.MIN_VALUE, -Infinity, 2 ** 53 + 2];

const BASE_CASES: BaseCase[] = [
  { name: 'Boolean', values: [true, false], next: (v: boolean) => !v },
  { name: 'Byte', values: [0, 1, 0x7f, 0xfe, 0xff], next: wrapUint(8) },
  { name: 'Char', values: ['a', '\u0001', '\u007f', '\u00e9', '\u00ff'], next: nextChar(0xff) },
  // unsigned char is FC_CHAR on the wire like char, but a number in JS (UCHAR, BOOLEAN).
  { name: 'Uchar', values: [0, 1, 0x7f, 0xfe, 0xff], next: wrapUint(8) },
  { name: 'Wchar', values: ['a', '\u00e9', '\u20ac', '\ud800', '\ufffe', '\uffff'], next: nextChar(0xffff) },
  { name: 'Small', values: [0, -1, -0x80, 0x7f, 42], next: wrapInt(8) },
  { name: 'Short', values: [0, -1, -0x8000, 0x7fff, 1234], next: wrapInt(16) },
  { name: 'Long', values: [0, -1, -0x80000000, 0x7fffffff, 123456789], next: wrapInt(32) },
  { name: 'Int', values: [0, -1, -0x80000000, 0x7fffffff, -987654321], next: wrapInt(32) },
  {
    name: 'Hyper',
    values: [0n, -1n, -(2n ** 63n), 2n ** 63n - 1n, 0x123456789abcdefn, 2n ** 32n],
    next: (v: bigint) => BigInt.asIntN(64, v + 1n),
  },
  { name: 'Float', values: FLOAT_VALUES, next: (v: number) => -v },
  { name: 'Double', values: DOUBLE_VALUES, next: (v: number) => -v },
  { name: 'Status', values: [0, 1, 5, 0x7fffffff, 0x80000000, 0xffffffff], next: wrapUint(32) },
];

const SHAPES = { SHAPE_CIRCLE: 0, SHAPE_SQUARE: 4, SHAPE_TRIANGLE: 9 };
const LEVELS = { LEVEL_LOW: -1, LEVEL_MID: 100, LEVEL_HIGH: 100000 };
const ENUM_CASES = [
  { name: 'Shape', members: SHAPES, next: cycle(Object.values(SHAPES)) },
  { name: 'Level', members: LEVELS, next: cycle(Object.values(LEVELS)) },
];

describe.each(PROTSEQS)('types over %s', (protseq) => {
  let server: RunningServer;
  let binding: RpcBinding;
  let client: RpcClient;
  const call = (name: string, ...args: unknown[]) => client[name]!(...args);

  beforeAll(async () => {
    server = await startServer('types', protseq);
    binding = RpcBinding.fromString(server.binding, TEST_BINDING_OPTIONS);
    client = types.createClient(binding);
  });
  afterAll(async () => {
    binding.free();
    await server.stop();
  });

  describe.each(BASE_CASES)('$name', ({ name, values, next }) => {
    it('returns the value (Echo)', async () => {
      for (const v of values) expect(await call(`Echo${name}`, v)).toEqual(v);
    });
    it('transforms an [in, out] pointee (InOut)', async () => {
      for (const v of values) expect(await call(`InOut${name}`, v)).toEqual({ p: next(v as never) });
    });
    it('fills an [out] pointee (Out)', async () => {
      for (const v of values) expect(await call(`Out${name}`, v)).toEqual({ p: next(v as never) });
    });
  });

  it('keeps NaN a NaN through float and double', async () => {
    for (const proc of ['Float', 'Double']) {
      expect(await call(`Echo${proc}`, Number.NaN)).toBeNaN();
      expect(((await call(`InOut${proc}`, Number.NaN)) as { p: number }).p).toBeNaN();
      expect(((await call(`Out${proc}`, Number.NaN)) as { p: number }).p).toBeNaN();
    }
  });

  it('rounds a double to the nearest float32 for float parameters', async () => {
    expect(await call('EchoFloat', 0.1)).toBe(Math.fround(0.1));
    expect(await call('OutFloat', 1 / 3)).toEqual({ p: -Math.fround(1 / 3) });
  });

  it('accepts character codes as well as one-character strings', async () => {
    expect(await call('EchoChar', 0x41)).toBe('A');
    expect(await call('OutWchar', 0x263a)).toEqual({ p: '\u263b' });
  });

  it('accepts safe-integer numbers for hyper and returns bigints', async () => {
    expect(await call('EchoHyper', -5)).toBe(-5n);
    expect(await call('OutHyper', Number.MAX_SAFE_INTEGER)).toEqual({ p: 2n ** 53n });
  });

  describe.each(ENUM_CASES)('enum $name', ({ name, members, next }) => {
    it('passes enumerators by name or value and returns their values', async () => {
      for (const [member, value] of Object.entries(members)) {
        expect(await call(`Echo${name}`, member)).toBe(value);
        expect(await call(`Echo${name}`, value)).toBe(value);
        expect(await call(`InOut${name}`, member)).toEqual({ p: next(value) });
        expect(await call(`Out${name}`, value)).toEqual({ p: next(value) });
      }
    });
  });

  describe('MixedArgs (float and double slots between integers)', () => {
    it('delivers every argument to its own parameter', async () => {
      // Powers of two far apart: a swapped or mangled argument changes the sum's bits.
      const sum = await call('MixedArgs', 1, 2 ** 10, 2 ** 20, 2n ** 30n, 2 ** 40, 2 ** 14, 2 ** -3);
      expect(sum).toBe(1 + 2 ** 10 + 2 ** 20 + 2 ** 30 + 2 ** 40 + 2 ** 14 + 2 ** -3);
    });
    it('keeps float precision and signs', async () => {
      const c = Math.fround(1.1);
      const g = Math.fround(-2.7);
      expect(await call('MixedArgs', -7, 0.5, c, -3n, 1e10, -32768, g)).toBe(
        -7 + 0.5 + c + -3 + 1e10 + -32768 + g,
      );
    });
    it('passes zeros', async () => {
      expect(await call('MixedArgs', 0, 0, 0, 0n, 0, 0, 0)).toBe(0);
    });
  });

  describe('[in, string] char* (UTF-8) and wchar_t* (UTF-16)', () => {
    const bytesOf = (s: string) => new TextEncoder().encode(s);
    const unitsOf = (s: string) => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i));
    const sum = (xs: Iterable<number>) => [...xs].reduce((a, b) => a + b, 0);
    const samples = [
      '',
      'a',
      'hello, world',
      'caf\u00e9 \u20ac',
      '\u65e5\u672c\u8a9e',
      'emoji \u{1f600}\u{10ffff}',
    ];

    it.each(samples)('char* %j travels as UTF-8 bytes', async (s) => {
      const bytes = bytesOf(s);
      expect(await call('StringLengthA', s)).toEqual({ returnValue: bytes.length, codeSum: sum(bytes) });
    });
    it.each(samples)('wchar_t* %j travels as UTF-16 units (surrogate pairs kept)', async (s) => {
      const units = unitsOf(s);
      expect(await call('StringLengthW', s)).toEqual({ returnValue: units.length, codeSum: sum(units) });
    });
    it('carries long strings', async () => {
      const long = 'x\u00e9'.repeat(50_000);
      expect(await call('StringLengthA', long)).toEqual({
        returnValue: 150_000,
        codeSum: sum(bytesOf(long)),
      });
      expect(await call('StringLengthW', long)).toEqual({
        returnValue: 100_000,
        codeSum: sum(unitsOf(long)),
      });
    });
  });

  describe('[in, out, string, size_is] buffers', () => {
    it('returns the server-modified string, with room for more', async () => {
      expect(await call('ShoutA', 16, 'hello')).toEqual({ buf: 'HELLO!' });
      expect(await call('ShoutW', 16, 'hello \u00e9\u{1f600}')).toEqual({ buf: 'HELLO \u00e9\u{1f600}!' });
    });
    it('fills in size_is from the string when it is undefined (exactly its length + 1)', async () => {
      expect(await call('ShoutA', undefined, 'abc')).toEqual({ buf: 'ABC' });
      expect(await call('ShoutW', undefined, 'abc')).toEqual({ buf: 'ABC' });
    });
    it('handles empty strings', async () => {
      expect(await call('ShoutA', 1, '')).toEqual({ buf: '' });
      expect(await call('ShoutW', 2, '')).toEqual({ buf: '!' });
      expect(await call('ShoutA', undefined, '')).toEqual({ buf: '' });
    });
    it('handles buffers of many characters', async () => {
      const text = 'ab'.repeat(40_000);
      expect(await call('ShoutA', 80_002, text)).toEqual({ buf: `${'AB'.repeat(40_000)}!` });
      expect(await call('ShoutW', 80_002, text)).toEqual({ buf: `${'AB'.repeat(40_000)}!` });
    });
  });

  describe('unique pointers', () => {
    it('passes NULL for null and undefined', async () => {
      expect(await call('UniqueOrDefault', null, 17)).toBe(17);
      expect(await call('UniqueOrDefault', undefined, -3)).toBe(-3);
      expect(await call('UniqueStringLength', null, 99)).toBe(99);
    });
    it('passes the pointee when there is one', async () => {
      expect(await call('UniqueOrDefault', 42, 17)).toBe(42);
      expect(await call('UniqueOrDefault', 0, 17)).toBe(0);
      expect(await call('UniqueStringLength', 'four', 99)).toBe(4);
      expect(await call('UniqueStringLength', '', 99)).toBe(0);
    });
  });

  describe('Point3 (a struct with padding)', () => {
    const point = { x: -0x80000000, y: 2n ** 63n - 1n, z: -1.25, tag: 0x7fff, c: 'q' };
    const transformed = { x: -0x7fffffff, y: -(2n ** 63n), z: 1.25, tag: -0x8000, c: 'r' };

    it('goes in by [in] pointer and comes back by [out] pointer', async () => {
      expect(await call('TransformPoint', point)).toEqual({ out: transformed });
      expect(await call('TransformPoint', { x: 0, y: 0n, z: 0, tag: 0, c: '\u00ff' })).toEqual({
        out: { x: 1, y: 1n, z: -0, tag: 1, c: '\u0000' },
      });
    });
    it('is transformed in place by [in, out] pointer', async () => {
      expect(await call('InOutPoint', point)).toEqual({ p: transformed });
    });
  });

  describe('conformant arrays', () => {
    it('sums [in, size_is(n)] arrays, n given or filled in', async () => {
      expect(await call('SumLongs', 3, [1, -2, 0x7fffffff])).toBe(0x7fffffffn - 1n);
      expect(await call('SumLongs', undefined, [10, 20, 30])).toBe(60n);
      expect(await call('SumLongs', 2, new Int32Array([-0x80000000, -0x80000000]))).toBe(-(2n ** 32n));
    });
    it('accepts empty arrays', async () => {
      expect(await call('SumLongs', 0, [])).toBe(0n);
      expect(await call('SumLongs', undefined, [])).toBe(0n);
      expect(await call('FillLongs', 0, 5)).toEqual({ len: 0, values: [] });
      expect(await call('ScaleDoubles', 0, [], 2)).toEqual({ values: [] });
    });
    it('decodes [out, size_is(max), length_is(*len)] by the returned length', async () => {
      expect(await call('FillLongs', 10, 4)).toEqual({ len: 4, values: [1, 4, 7, 10] });
      expect(await call('FillLongs', 3, 100)).toEqual({ len: 3, values: [1, 4, 7] });
      expect(await call('FillLongs', 5, -1)).toEqual({ len: 0, values: [] });
    });
    it('scales [in, out, size_is(n)] doubles', async () => {
      expect(await call('ScaleDoubles', 3, [1, -2.5, Infinity], -2)).toEqual({ values: [-2, 5, -Infinity] });
      expect(await call('ScaleDoubles', undefined, new Float64Array([0.5, 4]), 0.5)).toEqual({
        values: [0.25, 2],
      });
    });
    it('carries 100k-element arrays', async () => {
      const n = 100_000;
      const values = Array.from({ length: n }, (_, i) => i * 7 - 300_000);
      const expected = values.reduce((a, b) => a + BigInt(b), 0n);
      expect(await call('SumLongs', undefined, values)).toBe(expected);

      const filled = (await call('FillLongs', n, n)) as { len: number; values: number[] };
      expect(filled.len).toBe(n);
      expect(filled.values).toEqual(Array.from({ length: n }, (_, i) => 3 * i + 1));

      const doubles = Array.from({ length: n }, (_, i) => i / 4);
      const scaled = (await call('ScaleDoubles', n, doubles, 3)) as { values: number[] };
      expect(scaled.values).toEqual(doubles.map((d) => d * 3));
    }, 60_000);
  });
});
