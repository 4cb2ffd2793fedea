// encodeCall's arena and slots checked byte for byte against the x64 C layout, and the
// argument checks the encoder owns (context handles, [range] on strings and enums,
// full-pointer aliasing). Written against surviving mutants of `npm run mutate`
// (docs/testing.md): every expected byte and message is written out here.
import { describe, expect, it } from 'vitest';
import { compileIdl } from '../../lib/ndr/compile.js';
import type { CompiledProcedure } from '../../lib/ndr/compiled.js';
import { ContextHandle } from '../../lib/runtime/context-handle.js';
import { type CallPlan, encodeCall } from '../../lib/runtime/encode-call.js';

const UUID = '5a0c3e71-8d24-4f6b-9e13-2c7d4b8a6f05';
const OTHER_UUID = '5a0c3e71-8d24-4f6b-9e13-2c7d4b8a6f06';

const iface = compileIdl(
  `[uuid(${UUID}), version(1.0), pointer_default(unique)]
  interface arena {
    typedef [context_handle] void *CTX;
    typedef [context_handle] void *OTHER;
    typedef enum { RED = 0, GREEN = 1, BLUE = 2 } COLOR;
    typedef struct P { long v; } P;
    void Use([in] CTX h);
    void Swap([in, out] CTX *h);
    void Open([out] CTX *h);
    void Wide([in, string] wchar_t *s);
    void Narrow([in, string] char *s);
    void Bounded([in, string, range(2, 4)] char *s);
    void Paint([in, range(1, 2)] COLOR c);
    void Two([in, ptr] P *a, [in, ptr] P *b);
    typedef union switch (long k) Value { case 1: long i; case 2: double d; case 3: ; } Value;
    typedef [switch_type(long)] union Arm { [case(1)] short s; [case(2)] hyper h; } Arm;
    typedef struct Tagged { long k; [switch_is(k)] Arm arm; } Tagged;
    void PutValue([in] Value *v);
    void PutArm([in] long k, [in, switch_is(k)] Arm *a);
    void PutTagged([in] Tagged *t);
    void PutSizes([in] __int3264 s, [in] unsigned __int3264 u);
    void PutSizesAt([in] __int3264 *s);
    void PutId([in] GUID *id);
    typedef struct Pair { short a; short b; } Pair;
    typedef struct Skip { [ignore] long *p; long v; } Skip;
    typedef struct Fixed { long a[2]; } Fixed;
    void ByValue([in] Pair p);
    void PutSkip([in] Skip *s);
    void PutFixed([in] Fixed *f);
    void PutColor([in] COLOR *c);
    void PutCount([in] long n, [in, size_is(n), range(1, 4)] long *v);
  }`,
  { file: 'arena.idl', acf: '[strict_context_handle] interface arena {}' },
)[0]!;

function procedure(name: string): CompiledProcedure {
  const proc = iface.procedures.find((p) => p.name === name);
  if (!proc) throw new Error(`no procedure ${name}`);
  return proc;
}

const encode = (name: string, ...args: unknown[]): CallPlan => encodeCall(procedure(name), args, UUID);

/** The 8-byte argument slot of a parameter (after the async state and the binding). */
function slot(plan: CallPlan, name: string, procName: string): bigint {
  const param = procedure(procName).params.find((p) => p.name === name);
  if (!param) throw new Error(`no parameter ${name}`);
  return plan.encoded.slots[param.stackOffset / 8] as bigint;
}

function bytesAt(plan: CallPlan, name: string, length: number): number[] {
  const at = plan.pointees.get(name);
  if (at === undefined) throw new Error(`no pointee for ${name}`);
  return Array.from(plan.encoded.arena.subarray(at, at + length));
}

describe('encodeCall: context handles', () => {
  const open = (typeName = 'CTX', uuid = UUID, value = 0x1122_3344_5566n) =>
    new ContextHandle(uuid, typeName, value);

  it('an [in] handle puts its NDR_CCONTEXT in its slot, and is held (shared) for the call', () => {
    const handle = open();
    const plan = encode('Use', handle);
    expect(slot(plan, 'h', 'Use')).toBe(0x1122_3344_5566n);
    expect(plan.heldHandles).toEqual([{ handle, exclusive: false }]);
  });

  it('an [in, out] handle is written into its pointee, and held for the call', () => {
    const handle = open();
    const plan = encode('Swap', handle);
    expect(bytesAt(plan, 'h', 8)).toEqual([0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00, 0x00]);
    expect(plan.heldHandles).toEqual([{ handle, exclusive: true, at: plan.pointees.get('h') }]);
  });

  it('null for an [in, out] handle is a NULL handle in a pointee, not a NULL pointer', () => {
    const plan = encode('Swap', null);
    expect(bytesAt(plan, 'h', 8)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    // The slot is a pointer into the arena (relocated by native code), not NULL.
    const param = procedure('Swap').params[0]!;
    expect(Array.from(plan.encoded.pointerSlots)).toContain(param.stackOffset / 8);
    expect(plan.heldHandles).toEqual([]);
  });

  it('an [out] handle takes no argument and holds nothing', () => {
    const plan = encode('Open');
    // Its 8 bytes are reserved past what JS writes: native code zeroes them (NULL: a new handle).
    expect(plan.encoded.arena.length).toBe(0);
    expect(plan.pointees.get('h')).toBe(0);
    expect(plan.encoded.arenaSize).toBe(8);
    expect(plan.heldHandles).toEqual([]);
  });

  it('refuses what is not a handle, a handle of another interface, type, closed or busy', () => {
    expect(() => encode('Use', 5)).toThrow(
      new TypeError('Use(h): expected a context handle this interface returned, got number 5'),
    );
    expect(() => encode('Use', open('CTX', OTHER_UUID))).toThrow(
      new TypeError('Use(h): the context handle belongs to another interface'),
    );
    expect(() => encode('Use', open('OTHER'))).toThrow(
      new TypeError('Use(h): expected a CTX context handle, got OTHER'),
    );
    expect(() => encode('Use', open('CTX', UUID, 0n))).toThrow(
      new TypeError('Use(h): the context handle was closed'),
    );
    const inUse = open();
    inUse.hold(false);
    expect(() => encode('Use', inUse)).not.toThrow();
    expect(() => encode('Swap', inUse)).toThrow(
      /^Swap\(h\): the context handle is in use by 1 call\(s\) in flight/,
    );
    const busy = open();
    busy.hold(true);
    expect(() => encode('Use', busy)).toThrow(/^Use\(h\): the context handle is busy: /);
    expect(() => encode('Swap', busy)).toThrow(/^Swap\(h\): the context handle is busy: /);
  });
});

describe('encodeCall: strings in the arena', () => {
  it('a wchar_t string is UTF-16LE code units and a 2-byte NUL', () => {
    const plan = encode('Wide', 'h\u00e9\u{1f600}');
    expect(bytesAt(plan, 's', 10)).toEqual([0x68, 0, 0xe9, 0, 0x3d, 0xd8, 0x00, 0xde, 0, 0]);
  });

  it('a char string is UTF-8 and a NUL', () => {
    expect(bytesAt(encode('Narrow', 'h\u00e9'), 's', 4)).toEqual([0x68, 0xc3, 0xa9, 0]);
  });

  it('[range] on a string counts its characters and the terminator', () => {
    expect(() => encode('Bounded', 'a')).not.toThrow(); // 2 with the NUL
    expect(() => encode('Bounded', 'abc')).not.toThrow(); // 4
    expect(() => encode('Bounded', '')).toThrow(
      new RangeError('Bounded(s): 0 characters and the terminator are outside [range(2, 4)]'),
    );
    expect(() => encode('Bounded', 'abcd')).toThrow(
      new RangeError('Bounded(s): 4 characters and the terminator are outside [range(2, 4)]'),
    );
  });
});

describe('encodeCall: enums and full pointers', () => {
  it('[range] on an enum bounds the member value, by name or by number', () => {
    expect(slot(encode('Paint', 'GREEN'), 'c', 'Paint')).toBe(1n);
    expect(slot(encode('Paint', 2), 'c', 'Paint')).toBe(2n);
    expect(() => encode('Paint', 'RED')).toThrow(
      new RangeError('Paint(c): 0 (RED) is outside [range(1, 2)]'),
    );
  });

  it('two full pointers to one object share one pointee; equal objects do not', () => {
    const p = { v: 7 };
    const shared = encode('Two', p, p);
    expect(shared.pointees.get('b')).toBe(shared.pointees.get('a'));
    expect(slot(shared, 'b', 'Two')).toBe(slot(shared, 'a', 'Two'));
    const apart = encode('Two', { v: 7 }, { v: 7 });
    expect(apart.pointees.get('b')).not.toBe(apart.pointees.get('a'));
    expect(bytesAt(apart, 'b', 4)).toEqual([7, 0, 0, 0]);
  });
});

describe('encodeCall: unions', () => {
  it('an encapsulated union: the tag, then the arm at its offset (8: the double aligns it)', () => {
    const plan = encode('PutValue', { case: 2, d: -2.25 });
    // -2.25 as a little-endian IEEE double: 0xc002000000000000.
    expect(bytesAt(plan, 'v', 16)).toEqual([2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0xc0]);
    expect(bytesAt(encode('PutValue', { case: 3 }), 'v', 16)).toEqual([3, ...new Array(15).fill(0)]);
  });

  it('refuses a tag with no arm, and what is not a union object', () => {
    expect(() => encode('PutValue', { case: 9 })).toThrow(
      new RangeError('PutValue(v).case: 9 selects no arm of the union (and it has no default)'),
    );
    for (const value of [5, [1]])
      expect(() => encode('PutValue', value)).toThrow(
        /^PutValue\(v\): expected a union object \(\{ case, … \}\), got /,
      );
  });

  it('a switch_is union: the arm alone in memory; the switch implied from case, or case from the switch', () => {
    const plan = encode('PutArm', 1, { case: 1, s: -5 });
    expect(bytesAt(plan, 'a', 2)).toEqual([0xfb, 0xff]);
    const implied = encode('PutArm', undefined, { case: 2, h: -(2n ** 40n) });
    expect(slot(implied, 'k', 'PutArm')).toBe(2n);
    expect(bytesAt(implied, 'a', 8)).toEqual([0, 0, 0, 0, 0, 0xff, 0xff, 0xff]);
    expect(bytesAt(encode('PutArm', 1, { s: 7 }), 'a', 2)).toEqual([7, 0]);
    expect(() => encode('PutArm', 1, { case: 2, h: 0n })).toThrow(
      new RangeError('PutArm(a).case: 2 contradicts its switch_is value (1)'),
    );
  });

  it('a union in a struct switches on its sibling field, which case fills in when left out', () => {
    const plan = encode('PutTagged', { k: undefined, arm: { case: 1, s: 3 } });
    expect(bytesAt(plan, 't', 10)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 3, 0]);
  });
});

describe('encodeCall: __int3264 and GUIDs', () => {
  it('__int3264 fills its 8-byte slot; the value must fit the 4 bytes it travels as', () => {
    const plan = encode('PutSizes', -1, 0xffff_ffff);
    expect(slot(plan, 's', 'PutSizes')).toBe(0xffff_ffff_ffff_ffffn);
    expect(slot(plan, 'u', 'PutSizes')).toBe(0xffff_ffffn);
    expect(() => encode('PutSizes', -0x8000_0000, 0)).not.toThrow();
    expect(() => encode('PutSizes', 0x8000_0000, 0)).toThrow(
      new RangeError('PutSizes(s): 2147483648 is outside __int3264 (-2147483648..2147483647)'),
    );
    expect(() => encode('PutSizes', 0, -1)).toThrow(
      new RangeError('PutSizes(u): -1 is outside __int3264 (0..4294967295)'),
    );
    expect(() => encode('PutSizes', 0, 0x1_0000_0000)).toThrow(RangeError);
    expect(() => encode('PutSizes', 1.5, 0)).toThrow(/^PutSizes\(s\): expected an integer, got /);
  });

  it('an __int3264 in memory is 8 bytes, sign-extended', () => {
    expect(bytesAt(encode('PutSizesAt', -2), 's', 8)).toEqual([
      0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    ]);
  });

  it('a GUID string is Data1-3 little-endian, Data4 in order', () => {
    const plan = encode('PutId', '00112233-4455-6677-8899-AABBCCDDEEFF');
    expect(bytesAt(plan, 'id', 16)).toEqual([
      0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
    ]);
    expect(() => encode('PutId', 5)).toThrow(TypeError);
  });
});

describe('encodeCall: small structs, [ignore], fixed arrays, enums and [range] counts', () => {
  it('a struct of 8 bytes or less travels by value in its slot, little-endian', () => {
    // Pair { short a = 0x0102; short b = -2 }: bytes 02 01 fe ff.
    expect(slot(encode('ByValue', { a: 0x0102, b: -2 }), 'p', 'ByValue')).toBe(0xfffe_0102n);
  });

  it('an [ignore] field is a NULL pointer and takes only null', () => {
    const plan = encode('PutSkip', { p: null, v: 9 });
    expect(bytesAt(plan, 's', 12)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0]);
    expect(() => encode('PutSkip', { p: 5, v: 9 })).toThrow(
      /^PutSkip\(s\)\.p: an \[ignore\] field takes null, got /,
    );
  });

  it('a fixed array field takes exactly its element count, and says what it got', () => {
    expect(bytesAt(encode('PutFixed', { a: [1, -1] }), 'f', 8)).toEqual([1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
    expect(() => encode('PutFixed', { a: [1, 2, 3] })).toThrow(
      new TypeError('PutFixed(f).a: expected an array of 2 elements, got 3 elements'),
    );
    expect(() => encode('PutFixed', { a: 'no' })).toThrow(
      /^PutFixed\(f\)\.a: expected an array of 2 elements, got (?!\d+ elements)/,
    );
  });

  it('an enum in memory is 4 bytes, little-endian', () => {
    expect(bytesAt(encode('PutColor', 'BLUE'), 'c', 4)).toEqual([2, 0, 0, 0]);
  });

  it('[range] on size_is takes its bounds themselves', () => {
    expect(() => encode('PutCount', 1, [7])).not.toThrow();
    expect(() => encode('PutCount', 4, [1, 2, 3, 4])).not.toThrow();
    expect(() => encode('PutCount', 5, [1, 2, 3, 4, 5])).toThrow(
      new RangeError('PutCount(v): size_is 5 is outside [range(1, 4)]'),
    );
    expect(() => encode('PutCount', 0, [])).toThrow(RangeError);
  });
});
