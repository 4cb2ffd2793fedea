// decodeCall over reply memory laid out by hand from the x64 C layout and the NDR
// rules (MS-RPCE 2.2.5 / C706 14): context handles, __int3264, enums, unions, GUIDs,
// fixed, windowed (first_is/length_is) and byte arrays, and the reply-side checks.
// Written against surviving mutants of `npm run mutate` (docs/testing.md): every
// expected value is written out here, none is computed by the code under test.
import { describe, expect, it } from 'vitest';
import { compileIdl } from '../../lib/ndr/compile.js';
import type { CompiledInterface, CompiledProcedure } from '../../lib/ndr/compiled.js';
import { ContextHandle } from '../../lib/runtime/context-handle.js';
import { decodeCall } from '../../lib/runtime/decode-call.js';
import { type CallPlan, encodeCall } from '../../lib/runtime/encode-call.js';
import { RpcError } from '../../lib/runtime/rpc-error.js';
import { callArena } from '../support/call-arena.js';

const UUID = '3d1f7a52-9b4e-4c6a-8f21-6e0b5c9d7a13';
const ARENA_ADDRESS = 0x7ff6_1234_0000n;
const BLOCK_ADDRESS = 0x2a0_0000_1000n;

const replies: CompiledInterface = compileIdl(
  `[uuid(${UUID}), version(1.0), pointer_default(unique)]
  interface replies {
    typedef [context_handle] void *CTX;
    typedef enum { RED = 1, GREEN = -2 } COLOR;
    typedef union switch (long k) Value { case 1: long i; case 2: double d; case 3: ; } Value;
    typedef [switch_type(long)] union Arm { [case(1)] short s; [case(2)] hyper h; [default] ; } Arm;
    typedef struct Tagged { long k; [switch_is(k)] Arm arm; } Tagged;
    CTX OpenReturned([in] long n);
    void Open([out] CTX *h);
    void Close([in, out] CTX *h);
    __int3264 SignedSize([in] long n);
    unsigned __int3264 UnsignedSize([in] long n);
    void Sizes([out] __int3264 *s, [out] unsigned __int3264 *u);
    COLOR GetColorReturned(void);
    void GetColor([out] COLOR *c);
    void GetValue([out] Value *v);
    void GetTagged([out] Tagged *t);
    void GetId([out] GUID *id);
    void Fixed([out] long *len, [out, length_is(*len)] long values[4]);
    void FillFrom([in] long first, [in] long len, [out, first_is(first), length_is(len)] long values[6]);
    void Window([in] long size, [in] long first, [in] long len,
                [out, size_is(size), first_is(first), length_is(len)] long *values);
    void GetBytes([in] long n, [out, size_is(n)] byte *b);
    void RangedCount([in, out] long *n, [in, out, size_is(*n), range(0, 4)] long *v);
    void Name([in] long cap, [out, string, size_is(cap)] char *buf);
  }`,
  { file: 'replies.idl' },
)[0]!;

function procedure(name: string): CompiledProcedure {
  const proc = replies.procedures.find((p) => p.name === name);
  if (!proc) throw new Error(`no procedure ${name}`);
  return proc;
}

/** One completed call: the arena as the server left it, plus NDR-allocated blocks. */
class Reply {
  readonly plan: CallPlan;
  readonly view: DataView;
  readonly adopted: ContextHandle[] = [];
  private readonly arena: ArrayBuffer;
  private readonly blocks: { address: bigint; bytes: ArrayBuffer }[] = [];

  constructor(
    readonly proc: CompiledProcedure,
    args: unknown[],
  ) {
    this.plan = encodeCall(proc, args, UUID);
    this.plan.adoptHandle = (handle) => this.adopted.push(handle);
    this.arena = callArena(this.plan.encoded).buffer as ArrayBuffer;
    this.view = new DataView(this.arena);
  }

  pointee(name: string): number {
    const at = this.plan.pointees.get(name);
    if (at === undefined) throw new Error(`no pointee for ${name}`);
    return at;
  }

  block(bytes: Uint8Array): bigint {
    const address = BLOCK_ADDRESS + BigInt(this.blocks.length) * 0x1000n;
    this.blocks.push({ address, bytes: bytes.slice().buffer });
    return address;
  }

  decode(reply = 0n): unknown {
    return decodeCall(this.proc, this.plan, {
      reply,
      arenaAddress: ARENA_ADDRESS,
      arena: this.arena,
      blocks: this.blocks,
    });
  }

  /** The RpcError the decode throws (fails the test if it decodes). */
  error(): RpcError {
    try {
      this.decode();
    } catch (e) {
      if (e instanceof RpcError) return e;
      throw e;
    }
    throw new Error('decoded without an error');
  }
}

const reply = (name: string, ...args: unknown[]) => new Reply(procedure(name), args);

describe('decodeCall: context handles', () => {
  it('a returned handle is a new ContextHandle of its interface and type, adopted; NULL is null', () => {
    const call = reply('OpenReturned', 1);
    expect(call.decode(0n)).toBeNull();
    expect(call.adopted).toEqual([]);
    const handle = call.decode(0x1234_5678_9an) as ContextHandle;
    expect(handle).toBeInstanceOf(ContextHandle);
    expect(handle.value).toBe(0x1234_5678_9an);
    expect(handle.interfaceUuid).toBe(UUID);
    expect(handle.typeName).toBe('CTX');
    expect(call.adopted).toEqual([handle]);
  });

  it('an [out] handle is read from its pointee (8 bytes, little-endian)', () => {
    const call = reply('Open');
    expect(call.decode()).toEqual({ h: null });
    call.view.setBigUint64(call.pointee('h'), 0x0102_0304_0506_0708n, true);
    const { h } = call.decode() as { h: ContextHandle };
    expect(h.value).toBe(0x0102_0304_0506_0708n);
    expect(h.typeName).toBe('CTX');
    expect(call.adopted).toEqual([h]);
  });

  it("an [in, out] handle is the caller's object, updated; null once the server closed it", () => {
    const mine = new ContextHandle(UUID, 'CTX', 0x77n);
    const kept = reply('Close', mine);
    kept.view.setBigUint64(kept.pointee('h'), 0x99n, true);
    expect((kept.decode() as { h: unknown }).h).toBe(mine);
    expect(mine.value).toBe(0x99n);
    expect(kept.adopted).toEqual([]);

    const closed = reply('Close', mine);
    closed.view.setBigUint64(closed.pointee('h'), 0n, true);
    expect(closed.decode()).toEqual({ h: null });
    expect(mine.isOpen).toBe(false);
  });
});

describe('decodeCall: __int3264 and enums', () => {
  it('returns __int3264 from all 8 bytes of the reply, signed or not', () => {
    expect(reply('SignedSize', 0).decode(0xffff_ffff_ffff_fffdn)).toBe(-3);
    expect(reply('UnsignedSize', 0).decode(0x1_0000_0005n)).toBe(4294967301);
    expect(reply('UnsignedSize', 0).decode(0xffff_ffffn)).toBe(4294967295);
  });

  it('reads [out] __int3264 as 8 bytes in memory', () => {
    const call = reply('Sizes');
    // -3 as a little-endian int64, and 2^40 + 1 unsigned.
    call.view.setUint32(call.pointee('s'), 0xffff_fffd, true);
    call.view.setUint32(call.pointee('s') + 4, 0xffff_ffff, true);
    call.view.setUint32(call.pointee('u'), 1, true);
    call.view.setUint32(call.pointee('u') + 4, 0x100, true);
    expect(call.decode()).toEqual({ s: -3, u: 2 ** 40 + 1 });
  });

  it('reads an enum as a signed 32-bit value, returned or [out]', () => {
    expect(reply('GetColorReturned').decode(0xdead_beef_ffff_fffen)).toBe(-2);
    const call = reply('GetColor');
    call.view.setUint32(call.pointee('c'), 0xffff_fffe, true);
    expect(call.decode()).toEqual({ c: -2 });
  });
});

describe('decodeCall: unions', () => {
  it('an encapsulated union: the tag, then the arm at its offset (8: the double aligns it)', () => {
    const call = reply('GetValue');
    const at = call.pointee('v');
    call.view.setInt32(at, 2, true);
    call.view.setFloat64(at + 8, -2.25, true);
    expect(call.decode()).toEqual({ v: { case: 2, d: -2.25 } });
    call.view.setInt32(at, 1, true);
    call.view.setInt32(at + 8, -40, true);
    expect(call.decode()).toEqual({ v: { case: 1, i: -40 } });
  });

  it('an arm without a member decodes as its case alone', () => {
    const call = reply('GetValue');
    call.view.setInt32(call.pointee('v'), 3, true);
    expect(call.decode()).toEqual({ v: { case: 3 } });
  });

  it('a union in a struct switches on its sibling field; [default] takes any other tag', () => {
    const call = reply('GetTagged');
    const at = call.pointee('t');
    call.view.setInt32(at, 1, true); // k
    call.view.setInt16(at + 8, -5, true); // arm (hyper arm aligns it to 8)
    expect(call.decode()).toEqual({ t: { k: 1, arm: { case: 1, s: -5 } } });
    call.view.setInt32(at, 2, true);
    call.view.setBigInt64(at + 8, -(2n ** 40n), true);
    expect(call.decode()).toEqual({ t: { k: 2, arm: { case: 2, h: -(2n ** 40n) } } });
    call.view.setInt32(at, 7, true);
    expect(call.decode()).toEqual({ t: { k: 7, arm: { case: 7 } } });
  });

  it('an encapsulated tag that selects no arm is RPC_S_INVALID_TAG, naming the tag', () => {
    const call = reply('GetValue');
    call.view.setInt32(call.pointee('v'), 9, true);
    const error = call.error();
    expect(error).toMatchObject({ code: 'RPC_S_INVALID_TAG', status: 1733 });
    expect(error.message).toContain("the reply's union discriminant 9 selects no arm");
  });
});

describe('decodeCall: GUIDs and arrays', () => {
  it('an [out] GUID is its canonical string (Data1-3 little-endian, Data4 in order)', () => {
    const call = reply('GetId');
    const bytes = [
      0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
    ];
    for (const [i, b] of bytes.entries()) call.view.setUint8(call.pointee('id') + i, b);
    expect(call.decode()).toEqual({ id: '00112233-4455-6677-8899-aabbccddeeff' });
  });

  it('a fixed array with length_is holds its first length_is elements', () => {
    const call = reply('Fixed');
    const values = call.pointee('values');
    for (const [i, v] of [5, -6, 7, -8].entries()) call.view.setInt32(values + 4 * i, v, true);
    call.view.setInt32(call.pointee('len'), 2, true);
    expect(call.decode()).toEqual({ len: 2, values: [5, -6] });
    call.view.setInt32(call.pointee('len'), 0, true);
    expect(call.decode()).toEqual({ len: 0, values: [] });
  });

  it('first_is counts elements: the window starts first elements in', () => {
    const call = reply('FillFrom', 2, 3);
    const values = call.pointee('values');
    for (const i of [0, 1, 2, 3, 4, 5]) call.view.setInt32(values + 4 * i, 100 + i, true);
    expect(call.decode()).toEqual({ values: [102, 103, 104] });
  });

  it('a window that ends past the fixed array is RPC_X_INVALID_BOUND', () => {
    const error = reply('FillFrom', 4, 3).error();
    expect(error).toMatchObject({ code: 'RPC_S_INVALID_BOUND', status: 1734 });
    expect(error.message).toContain("an [out] array's elements 4..7 lie outside its 6");
    // Ending exactly at the last element is inside.
    expect(reply('FillFrom', 3, 3).decode()).toEqual({ values: [0, 0, 0] });
  });

  it('a conformant window is bounded by size_is, not by length_is', () => {
    const call = reply('Window', 6, 2, 3);
    const values = call.pointee('values');
    for (const i of [0, 1, 2, 3, 4, 5]) call.view.setInt32(values + 4 * i, -i, true);
    expect(call.decode()).toEqual({ values: [-2, -3, -4] });
    const past = reply('Window', 6, 2, 5).error();
    expect(past.message).toContain("an [out] array's elements 2..7 lie outside its 6");
  });

  it('byte elements come back as one Uint8Array; zero of them as an empty one', () => {
    const call = reply('GetBytes', 3);
    for (const [i, b] of [0xfe, 0x00, 0x7f].entries()) call.view.setUint8(call.pointee('b') + i, b);
    const { b } = call.decode() as { b: unknown };
    expect(b).toBeInstanceOf(Uint8Array);
    expect(Array.from(b as Uint8Array)).toEqual([0xfe, 0x00, 0x7f]);
    const empty = (reply('GetBytes', 0).decode() as { b: unknown }).b;
    expect(empty).toBeInstanceOf(Uint8Array);
    expect((empty as Uint8Array).length).toBe(0);
  });
});

describe('decodeCall: reply-side checks', () => {
  it('[range] on an [out] size: a size outside it is RPC_X_INVALID_BOUND', () => {
    const call = reply('RangedCount', 4, [1, 2, 3, 4]);
    call.view.setInt32(call.pointee('n'), 3, true);
    expect(call.decode()).toEqual({ n: 3, v: [1, 2, 3] });
    call.view.setInt32(call.pointee('n'), 5, true);
    const error = call.error();
    expect(error).toMatchObject({ code: 'RPC_S_INVALID_BOUND', status: 1734 });
    expect(error.message).toContain('an [out] array in the reply');
  });

  it('a negative size says what it was', () => {
    const call = reply('Fixed');
    call.view.setInt32(call.pointee('len'), -1, true);
    expect(call.error().message).toContain("an [out] array's size is -1");
  });

  it('a sized string reads up to its NUL; a size of 0 is the empty string', () => {
    expect(reply('Name', 0).decode()).toEqual({ buf: '' });
    const call = reply('Name', 4);
    for (const [i, b] of [0x68, 0x69, 0x00, 0x78].entries()) call.view.setUint8(call.pointee('buf') + i, b);
    expect(call.decode()).toEqual({ buf: 'hi' });
  });
});
