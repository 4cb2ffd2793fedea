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

  it('an [in] handle puts its NDR_CCONTEXT in its slot', () => {
    const plan = encode('Use', open());
    expect(slot(plan, 'h', 'Use')).toBe(0x1122_3344_5566n);
    expect(plan.heldHandles).toEqual([]);
  });

  it('an [in, out] handle is written into its pointee, and held for the call', () => {
    const handle = open();
    const plan = encode('Swap', handle);
    expect(bytesAt(plan, 'h', 8)).toEqual([0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00, 0x00]);
    expect(plan.heldHandles).toEqual([handle]);
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
    expect(bytesAt(plan, 'h', 8)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
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
    const busy = open();
    busy.hold();
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
