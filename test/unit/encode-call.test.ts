// encodeCall on its own (pure: no addon, no server): every wrong argument is a
// TypeError or RangeError naming its parameter path, and right ones become the
// arena, relocations and slots the native engine expects.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileIdl } from '../../lib/ndr/compile.js';
import type { CompiledInterface, CompiledProcedure } from '../../lib/ndr/compiled.js';
import { encodeCall } from '../../lib/runtime/encode-call.js';
import { linkRecursion } from '../../lib/runtime/link-recursion.js';

const typesIdl = readFileSync(new URL('../servers/types.idl', import.meta.url), 'utf8');
const types = compileIdl(typesIdl, { file: 'types.idl' })[0]!;

// Shapes the types server lacks: size fields inside structs, a conformant struct,
// size_is with length_is on an [in] array, an operator, a unique [in, out] pointer.
const extraIdl = `
[uuid(6a0c3f52-8d1e-4b7a-9c25-3e4f5a6b7c8d), version(1.0), pointer_default(unique)]
interface extra {
  typedef struct Blob { long n; [size_is(n)] long *data; } Blob;
  typedef struct Vec { short n; [size_is(n)] long items[]; } Vec;
  void PutBlob([in] Blob *b);
  void PutVec([in] Vec *v);
  void Put([in] long max, [in] long len, [in, size_is(max), length_is(len)] const long *v);
  void PutPlusOne([in] long n, [in, size_is(n + 1)] const long *v);
  void MaybeInOut([in, out, unique] long *p);
  void PutCharSized([in] char n, [in, size_is(n)] const long *v);
}`;
const extra = compileIdl(extraIdl, { file: 'extra.idl' })[0]!;

function procedure(iface: CompiledInterface, name: string): CompiledProcedure {
  const proc = iface.procedures.find((p) => p.name === name);
  if (!proc) throw new Error(`no procedure ${name}`);
  return proc;
}
const encodeTypes = (name: string, ...args: unknown[]) => encodeCall(procedure(types, name), args);
const encodeExtra = (name: string, ...args: unknown[]) => encodeCall(procedure(extra, name), args);

/** Escapes a parameter path for a RegExp that must find it in a message. */
const path = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `);

const POINT = { x: 1, y: 2n, z: 3.5, tag: 4, c: 'c' };

describe('encodeCall rejects wrong JS types', () => {
  it.each([
    ['EchoLong', ['1'], 'EchoLong(v)'],
    ['EchoLong', [1.5], 'EchoLong(v)'],
    ['EchoLong', [1n], 'EchoLong(v)'],
    ['EchoBoolean', [1], 'EchoBoolean(v)'],
    ['EchoHyper', [1.5], 'EchoHyper(v)'],
    ['EchoHyper', [2 ** 60], 'EchoHyper(v)'],
    ['EchoChar', ['ab'], 'EchoChar(v)'],
    ['EchoChar', ['\u20ac'], 'EchoChar(v)'],
    ['EchoWchar', ['\u{1f600}'], 'EchoWchar(v)'],
    ['EchoFloat', ['1.5'], 'EchoFloat(v)'],
    ['EchoDouble', [null], 'EchoDouble(v)'],
    ['InOutLong', [{}], 'InOutLong(p)'],
    ['StringLengthA', [42], 'StringLengthA(s)'],
    ['StringLengthW', [['a']], 'StringLengthW(s)'],
    ['SumLongs', [2, 'ab'], 'SumLongs(values)'],
    ['SumLongs', [2, new DataView(new ArrayBuffer(8))], 'SumLongs(values)'],
    ['SumLongs', [2, ['1', 2]], 'SumLongs(values)[0]'],
    ['ScaleDoubles', [1, [1], 'x'], 'ScaleDoubles(factor)'],
    ['TransformPoint', [5], 'TransformPoint(in)'],
    ['TransformPoint', [[1, 2]], 'TransformPoint(in)'],
    ['TransformPoint', [{ ...POINT, y: 'a' }], 'TransformPoint(in).y'],
    ['TransformPoint', [{ ...POINT, c: 99.5 }], 'TransformPoint(in).c'],
    ['InOutPoint', [{ ...POINT, z: 1n }], 'InOutPoint(p).z'],
  ])('%s(%o): TypeError at %s', (name, args, at) => {
    expect(() => encodeTypes(name, ...args)).toThrow(TypeError);
    expect(() => encodeTypes(name, ...args)).toThrow(path(at));
  });
});

describe('encodeCall rejects missing and extra arguments', () => {
  it('names a missing scalar, string, pointee or struct field', () => {
    expect(() => encodeTypes('EchoLong')).toThrow(new TypeError('EchoLong(v): missing argument'));
    expect(() => encodeTypes('MixedArgs', 1, 2, 3, 4n, 5, 6)).toThrow(
      new TypeError('MixedArgs(g): missing argument'),
    );
    expect(() => encodeTypes('StringLengthA')).toThrow(new TypeError('StringLengthA(s): missing argument'));
    expect(() => encodeTypes('InOutShort')).toThrow(new TypeError('InOutShort(p): missing argument'));
    const { y: _, ...noY } = POINT;
    expect(() => encodeTypes('TransformPoint', noY)).toThrow(path('TransformPoint(in).y'));
  });

  it('does not take [out] parameters as arguments', () => {
    expect(() => encodeTypes('OutLong', 1, 2)).toThrow(
      new TypeError('OutLong: expected at most 1 arguments (v), got 2'),
    );
    expect(() => encodeTypes('FillLongs', 1, 2, 3)).toThrow(TypeError);
  });

  it('rejects too many arguments', () => {
    expect(() => encodeTypes('EchoLong', 1, 2)).toThrow(/^EchoLong: expected at most 1 arguments/);
    expect(() => encodeTypes('SumLongs', 1, [1], 1)).toThrow(TypeError);
  });

  it('needs a size that only [out] data has', () => {
    expect(() => encodeTypes('FillLongs', undefined, 3)).toThrow(
      new TypeError('FillLongs(max): missing argument'),
    );
  });
});

describe('encodeCall rejects out-of-range values', () => {
  it.each([
    ['EchoByte', 256],
    ['EchoByte', -1],
    ['EchoSmall', 128],
    ['EchoSmall', -129],
    ['EchoShort', 0x8000],
    ['EchoShort', -0x8001],
    ['EchoLong', 0x80000000],
    ['EchoLong', -0x80000001],
    ['EchoInt', 2 ** 40],
    ['EchoStatus', -1],
    ['EchoStatus', 0x100000000],
    ['EchoHyper', 2n ** 63n],
    ['EchoHyper', -(2n ** 63n) - 1n],
    ['EchoFloat', 1e39],
    ['EchoFloat', -3.5e38],
  ])('%s(%s): RangeError', (name, value) => {
    expect(() => encodeTypes(name, value)).toThrow(RangeError);
    expect(() => encodeTypes(name, value)).toThrow(path(`${name}(v)`));
  });

  it('accepts the limits themselves, and non-finite floats', () => {
    for (const [name, value] of [
      ['EchoByte', 255],
      ['EchoSmall', -128],
      ['EchoShort', -0x8000],
      ['EchoLong', 0x7fffffff],
      ['EchoStatus', 0xffffffff],
      ['EchoHyper', -(2n ** 63n)],
      ['EchoFloat', 3.4028234663852886e38],
      ['EchoFloat', -Infinity],
      ['EchoFloat', Number.NaN],
    ] as const) {
      expect(() => encodeTypes(name, value)).not.toThrow();
    }
  });

  it('names the element or field that is out of range', () => {
    expect(() => encodeTypes('SumLongs', undefined, [1, 2 ** 31])).toThrow(path('SumLongs(values)[1]'));
    expect(() => encodeTypes('ScaleDoubles', 1, [1], 2)).not.toThrow();
    expect(() => encodeTypes('TransformPoint', { ...POINT, tag: 40_000 })).toThrow(RangeError);
    expect(() => encodeTypes('TransformPoint', { ...POINT, tag: 40_000 })).toThrow(
      path('TransformPoint(in).tag'),
    );
    expect(() => encodeTypes('TransformPoint', { ...POINT, y: 2n ** 64n })).toThrow(
      path('TransformPoint(in).y'),
    );
  });

  it('checks a size argument as itself before it sizes any memory', () => {
    // 2^40 elements would be terabytes: the long's own range check comes first.
    expect(() => encodeTypes('FillLongs', 2 ** 40, 1)).toThrow(RangeError);
    expect(() => encodeTypes('FillLongs', 2 ** 40, 1)).toThrow(path('FillLongs(max)'));
    expect(() => encodeTypes('FillLongs', 1.5, 1)).toThrow(path('FillLongs(max)'));
  });
});

describe('encodeCall checks arrays against size_is and length_is', () => {
  it('rejects arrays that contradict size_is', () => {
    expect(() => encodeTypes('SumLongs', 2, [1, 2, 3])).toThrow(
      new RangeError('SumLongs(values): 3 elements contradict size_is (2)'),
    );
    expect(() => encodeTypes('SumLongs', 4, [1])).toThrow(RangeError);
    expect(() => encodeTypes('ScaleDoubles', 0, [1], 2)).toThrow(path('ScaleDoubles(values)'));
  });

  it('rejects negative sizes', () => {
    expect(() => encodeTypes('SumLongs', -1, [])).toThrow(RangeError);
    expect(() => encodeTypes('SumLongs', -1, [])).toThrow(path('SumLongs(values)'));
    expect(() => encodeTypes('FillLongs', -1, 3)).toThrow(
      new RangeError('FillLongs(values): its size_is value -1 is negative'),
    );
  });

  it('rejects arrays that contradict length_is, or a length_is above size_is', () => {
    expect(() => encodeExtra('Put', 4, 3, [1, 2])).toThrow(
      new RangeError('Put(v): 2 elements contradict length_is (3)'),
    );
    expect(() => encodeExtra('Put', 2, 3, [1, 2, 3])).toThrow(
      new RangeError('Put(v): length_is 3 exceeds size_is 2'),
    );
    expect(() => encodeExtra('Put', 4, 2, [1, 2])).not.toThrow();
  });

  it('rejects sizes in structs that contradict their data', () => {
    expect(() => encodeExtra('PutBlob', { n: 2, data: [1, 2, 3] })).toThrow(
      new RangeError('PutBlob(b).data: 3 elements contradict size_is (2)'),
    );
    expect(() => encodeExtra('PutVec', { n: 1, items: [] })).toThrow(path('PutVec(v).items'));
    expect(() => encodeExtra('PutVec', { items: Array(0x8000).fill(0) })).toThrow(path('PutVec(v).n'));
  });

  it("names a conformant struct's missing trailing array (found by fuzz-encode: was a bare TypeError)", () => {
    expect(() => encodeExtra('PutVec', { n: 0 })).toThrow(
      new TypeError('PutVec(v).items: expected an array, got undefined'),
    );
  });
});

describe('encodeCall checks strings', () => {
  it('rejects strings too long for size_is', () => {
    expect(() => encodeTypes('ShoutA', 3, 'abc')).toThrow(
      new RangeError('ShoutA(buf): 3 characters and the terminator exceed size_is (3)'),
    );
    expect(() => encodeTypes('ShoutA', 4, '\u00e9\u00e9')).toThrow(RangeError); // 4 UTF-8 bytes
    expect(() => encodeTypes('ShoutW', 2, '\u{1f600}')).toThrow(path('ShoutW(buf)')); // 2 UTF-16 units
    expect(() => encodeTypes('ShoutA', 4, 'abc')).not.toThrow();
  });

  it('rejects NUL inside strings', () => {
    expect(() => encodeTypes('StringLengthA', 'a\0b')).toThrow(
      new TypeError('StringLengthA(s): a [string] cannot contain NUL characters'),
    );
    expect(() => encodeTypes('StringLengthW', '\0')).toThrow(path('StringLengthW(s)'));
    expect(() => encodeTypes('ShoutW', 10, 'x\0')).toThrow(TypeError);
    expect(() => encodeTypes('UniqueStringLength', 'a\0', 1)).toThrow(path('UniqueStringLength(s)'));
  });
});

describe('encodeCall checks pointers', () => {
  it('rejects null for [ref] pointers', () => {
    expect(() => encodeTypes('InOutLong', null)).toThrow(
      new TypeError('InOutLong(p): a [ref] pointer cannot be null'),
    );
    expect(() => encodeTypes('StringLengthA', null)).toThrow(path('StringLengthA(s)'));
    expect(() => encodeTypes('TransformPoint', null)).toThrow(path('TransformPoint(in)'));
    expect(() => encodeTypes('SumLongs', 0, null)).toThrow(path('SumLongs(values)'));
  });

  it('sends NULL for null or undefined unique pointers, [in] and [in, out]', () => {
    for (const value of [null, undefined]) {
      const plan = encodeTypes('UniqueOrDefault', value, 3);
      expect(plan.encoded.slots[2]).toBe(0n);
      expect(plan.encoded.pointerSlots).toEqual(new Uint32Array([]));
      expect(plan.pointees.has('p')).toBe(false);
      expect(encodeExtra('MaybeInOut', value).encoded.slots[2]).toBe(0n);
    }
    const given = encodeExtra('MaybeInOut', -2);
    expect(given.encoded.pointerSlots).toEqual(new Uint32Array([2]));
    expect(new DataView(given.encoded.arena.buffer).getInt32(Number(given.encoded.slots[2]), true)).toBe(-2);
  });
});

describe('encodeCall checks enums', () => {
  it.each([
    ['EchoShape', 'SHAPE_HEXAGON'],
    ['EchoShape', 'shape_circle'],
    ['EchoShape', 1],
    ['EchoShape', true],
    ['EchoLevel', 'LEVEL_LOW '],
    ['EchoLevel', 0],
    ['InOutShape', 'SQUARE'],
  ])('%s(%o): TypeError listing the enumerators', (name, value) => {
    const at = name.startsWith('InOut') ? `${name}(p)` : `${name}(v)`;
    expect(() => encodeTypes(name, value)).toThrow(TypeError);
    expect(() => encodeTypes(name, value)).toThrow(path(at));
    expect(() => encodeTypes(name, value)).toThrow(/SHAPE_CIRCLE, SHAPE_SQUARE, SHAPE_TRIANGLE|LEVEL_LOW/);
  });

  it('sends the value of a name', () => {
    expect(encodeTypes('EchoShape', 'SHAPE_TRIANGLE').encoded.slots[2]).toBe(9n);
    expect(encodeTypes('EchoLevel', 'LEVEL_LOW').encoded.slots[2]).toBe(2n ** 64n - 1n);
  });
});

describe('encodeCall lays out right arguments', () => {
  const doubleBits = (v: number) => {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, v, true);
    return view.getBigUint64(0, true);
  };

  it('puts floats in their slots as doubles (C varargs promotion)', () => {
    const { slots } = encodeTypes('MixedArgs', -1, 0.5, 1.5, -2n, 2.5, -3, 0.25).encoded;
    expect([...slots.slice(2, 9)]).toEqual([
      2n ** 64n - 1n,
      doubleBits(0.5),
      doubleBits(1.5),
      2n ** 64n - 2n,
      doubleBits(2.5),
      2n ** 64n - 3n,
      doubleBits(0.25),
    ]);
  });

  it('fills size_is from the data when the size is undefined', () => {
    expect(encodeTypes('SumLongs', undefined, [7, 8, 9]).encoded.slots[2]).toBe(3n);
    expect(encodeTypes('SumLongs', undefined, new Int32Array(5)).encoded.slots[2]).toBe(5n);
    expect(encodeTypes('ShoutA', undefined, 'h\u00e9').encoded.slots[2]).toBe(4n); // 3 bytes + NUL
    expect(encodeTypes('ShoutW', undefined, 'h\u{1f600}').encoded.slots[2]).toBe(4n); // 3 units + NUL
    expect(encodeExtra('PutPlusOne', undefined, [1, 2, 3]).encoded.slots[2]).toBe(2n);
    const both = encodeExtra('Put', undefined, undefined, [4, 5]).encoded.slots;
    expect([both[2], both[3]]).toEqual([2n, 2n]);
  });

  it('sizes an array by a char parameter: its character code, as the decoder counts it', () => {
    const plan = encodeExtra('PutCharSized', '\x03', [7, 8, 9]);
    const { arena } = plan.encoded;
    const view = new DataView(arena.buffer, arena.byteOffset, arena.byteLength);
    const at = plan.pointees.get('v')!;
    expect([0, 4, 8].map((o) => view.getInt32(at + o, true))).toEqual([7, 8, 9]);
    expect(arena.byteLength - at).toBe(12);
    expect(() => encodeExtra('PutCharSized', '\x02', [7, 8, 9])).toThrow(/PutCharSized\(v\)/);
  });

  it('fills size fields of structs from their data', () => {
    const { arena, relocations } = encodeExtra('PutBlob', { data: [1, 2, 3] }).encoded;
    const view = new DataView(arena.buffer, arena.byteOffset, arena.byteLength);
    expect(view.getInt32(0, true)).toBe(3);
    expect([...relocations]).toEqual([8]);
    const data = Number(view.getBigUint64(8, true));
    expect([0, 1, 2].map((i) => view.getInt32(data + i * 4, true))).toEqual([1, 2, 3]);
  });

  it('makes room for the trailing array of a conformant struct', () => {
    const { arena } = encodeExtra('PutVec', { items: [5, 6] }).encoded;
    const view = new DataView(arena.buffer, arena.byteOffset, arena.byteLength);
    expect(arena.byteLength).toBe(12);
    expect([view.getInt16(0, true), view.getInt32(4, true), view.getInt32(8, true)]).toEqual([2, 5, 6]);
  });

  it('points a [ref] pointer to an empty array inside the arena', () => {
    // Native code accepts only pointer slots inside the arena; NULL would break [ref].
    // Slots: async state, handle, then the parameters; SumLongs' values is slot 3,
    // FillLongs' len and values are slots 4 and 5.
    const cases = [
      { plan: encodeTypes('SumLongs', 0, []), pointers: [3] },
      { plan: encodeTypes('FillLongs', 0, 0), pointers: [4, 5] },
    ];
    for (const { plan, pointers } of cases) {
      // Inside the whole arena: an [out] array lies in the space native code reserves.
      const { arenaSize, slots, pointerSlots } = plan.encoded;
      expect([...pointerSlots]).toEqual(pointers);
      for (const slot of pointers) expect(Number(slots[slot])).toBeLessThan(arenaSize);
    }
  });

  it('lays out a struct with its padding, zeroed', () => {
    const { arena } = encodeTypes('TransformPoint', { x: -1, y: -2n, z: 0.5, tag: -3, c: 'A' }).encoded;
    const view = new DataView(arena.buffer, arena.byteOffset, arena.byteLength);
    expect(view.getInt32(0, true)).toBe(-1);
    expect(view.getUint32(4, true)).toBe(0);
    expect(view.getBigInt64(8, true)).toBe(-2n);
    expect(view.getFloat64(16, true)).toBe(0.5);
    expect(view.getInt16(24, true)).toBe(-3);
    expect(view.getUint8(26)).toBe(0x41);
    // The [out] Point3 follows, zeroed (Wine's unmarshaller needs that).
    expect(arena.subarray(32, 64).every((b) => b === 0)).toBe(true);
  });
});

// [range], enum16 values beyond its wire type, and a conformant struct ending in a
// [string] array (test/servers/structs.idl runs them against a server).
const structs = compileIdl(readFileSync(new URL('../servers/structs.idl', import.meta.url), 'utf8'), {
  file: 'structs.idl',
})[0]!;
const encodeStructs = (name: string, ...args: unknown[]) => encodeCall(procedure(structs, name), args);

describe('encodeCall: [range], enum16 and [string] tails', () => {
  it('refuses [range] values outside the range, on parameters and fields', () => {
    expect(() => encodeStructs('Ranged', 1)).not.toThrow();
    expect(() => encodeStructs('Ranged', 100)).not.toThrow();
    expect(() => encodeStructs('Ranged', 0)).toThrow(
      new RangeError('Ranged(v): 0 is outside [range(1, 100)]'),
    );
    expect(() => encodeStructs('BoundedValue', { v: 101 })).toThrow(path('BoundedValue(in).v'));
  });

  it('refuses enum16 members that do not fit 0..0x7fff', () => {
    expect(() => encodeStructs('WideValue', 'WIDE_EDGE')).not.toThrow();
    expect(() => encodeStructs('WideValue', 'WIDE_OVER')).toThrow(RangeError);
    expect(() => encodeStructs('WideValue', 70000)).toThrow(path('WideValue(w)'));
  });

  it('sizes a conformant struct by its trailing [string] array', () => {
    const { arena } = encodeStructs('ReverseLabel', { text: 'a😀' }).encoded;
    const view = new DataView(arena.buffer, arena.byteOffset, arena.byteLength);
    // capacity (filled in: 3 units + NUL), then the UTF-16 units and the terminator.
    expect(view.getInt32(0, true)).toBe(4);
    expect([2, 3, 4, 5].map((i) => view.getUint16(4 + (i - 2) * 2, true))).toEqual([0x61, 0xd83d, 0xde00, 0]);
    expect(arena.byteLength).toBeGreaterThanOrEqual(12);
  });
});

describe('encodeCall: [range] on an element count, on a pointee, and expression sizes', () => {
  const [ranged] = compileIdl(
    `[uuid(5b2d6c1e-7f3a-4e8b-9a0c-1d2e3f4a5b6c), version(1.0), pointer_default(unique)]
    interface ranged {
      void Bytes([in, out, unique] long *cb, [in, out, unique, size_is(cb ? *cb : 0), range(0, 4)] byte *data);
      void Pointee([in, range(1, 9)] long *p);
      void Window([in] long f, [in] long n, [in, first_is(f), length_is(n)] short a[6]);
      typedef struct W { long first; long len; [first_is(first), length_is(len)] byte data[12]; } W;
      void PutW([in] W *w);
    }`,
    { file: 'ranged.idl' },
  );
  const encode = (name: string, ...args: unknown[]) =>
    encodeCall(procedure(ranged as CompiledInterface, name), args);

  it('checks the count a [range] bounds, from an expression size_is', () => {
    expect(() => encode('Bytes', 4, [1, 2, 3, 4])).not.toThrow();
    expect(() => encode('Bytes', null, null)).not.toThrow(); // NULL: size 0
    expect(() => encode('Bytes', 5, [1, 2, 3, 4, 5])).toThrow(
      new RangeError('Bytes(data): size_is 5 is outside [range(0, 4)]'),
    );
    expect(() => encode('Bytes', 3, [1, 2])).toThrow(
      new RangeError('Bytes(data): 2 elements contradict size_is (3)'),
    );
  });

  it('checks a [range] on a pointer to an integer against the integer', () => {
    expect(() => encode('Pointee', 9)).not.toThrow();
    expect(() => encode('Pointee', 10)).toThrow(new RangeError('Pointee(p): 10 is outside [range(1, 9)]'));
  });

  it('writes a first_is window at its index', () => {
    const { encoded, pointees } = encode('Window', 2, 3, [7, 8, 9]);
    const view = new DataView(encoded.arena.buffer, encoded.arena.byteOffset, encoded.arena.byteLength);
    const at = pointees.get('a') as number;
    expect([0, 1, 2, 3, 4, 5].map((i) => view.getInt16(at + i * 2, true))).toEqual([0, 0, 7, 8, 9, 0]);
    const w = encode('PutW', { first: 10, len: 2, data: [3, 4] });
    const wView = new DataView(
      w.encoded.arena.buffer,
      w.encoded.arena.byteOffset,
      w.encoded.arena.byteLength,
    );
    const wAt = w.pointees.get('w') as number;
    expect(
      [0, 4, 8 + 10, 8 + 11].map((o, i) => (i < 2 ? wView.getInt32(wAt + o, true) : wView.getUint8(wAt + o))),
    ).toEqual([10, 2, 3, 4]);
    // Fields left out: first_is 0, length_is from the data.
    const z = encode('PutW', { data: [5] });
    const zView = new DataView(
      z.encoded.arena.buffer,
      z.encoded.arena.byteOffset,
      z.encoded.arena.byteLength,
    );
    const zAt = z.pointees.get('w') as number;
    expect([zView.getInt32(zAt, true), zView.getInt32(zAt + 4, true), zView.getUint8(zAt + 8)]).toEqual([
      0, 1, 5,
    ]);
    expect(() => encode('Window', 4, 3, [7, 8, 9])).toThrow(
      new RangeError("Window(a): first_is 4 + length_is 3 exceeds the array's 6"),
    );
  });
});

// Found by test/unit/fuzz-encode.test.ts: a cyclic value behind [unique] pointers
// overflowed the stack (a RangeError naming nothing).
describe('encodeCall refuses cycles that only full pointers can send', () => {
  const lists = linkRecursion(
    compileIdl(
      `[uuid(2f6a1c3e-5b7d-4e9f-8a1b-3c5d7e9f1a2b), version(1.0), pointer_default(unique)]
      interface lists {
        typedef struct NODE { struct NODE *next; long v; } NODE;
        typedef struct FULL { [ptr] struct FULL *next; long v; } FULL;
        void Put([in] NODE *list);
        void PutTwo([in] NODE *a, [in] NODE *b);
        void PutFull([in, ptr] FULL *list);
      }`,
      { file: 'lists.idl' },
    )[0]!,
  );
  const encodeList = (name: string, ...args: unknown[]) => encodeCall(procedure(lists, name), args);

  it('names the pointer that closes a cycle', () => {
    const self: { next: unknown; v: number } = { next: null, v: 1 };
    self.next = self;
    expect(() => encodeList('Put', self)).toThrow(path('Put(list).next'));
    const second = { next: null as unknown, v: 2 };
    const first = { next: second, v: 1 };
    second.next = first;
    expect(() => encodeList('Put', first)).toThrow(path('Put(list).next.next'));
    expect(() => encodeList('Put', first)).toThrow(TypeError);
  });

  it('still sends one value twice where it is no cycle', () => {
    const leaf = { next: null, v: 7 };
    expect(encodeList('PutTwo', leaf, leaf).encoded.arena.byteLength).toBe(32);
    expect(() => encodeList('Put', { next: leaf, v: 1 })).not.toThrow();
  });

  it('sends a cycle through a full pointer as an alias', () => {
    const self: { next: unknown; v: number } = { next: null, v: 5 };
    self.next = self;
    const { encoded, pointees } = encodeList('PutFull', self);
    const view = new DataView(encoded.arena.buffer, encoded.arena.byteOffset, encoded.arena.byteLength);
    const at = pointees.get('list') as number;
    expect(Number(view.getBigUint64(at, true))).toBe(at);
  });
});
