// decodeCall against hand-made memory: a fake arena and NDR-allocated blocks at
// made-up addresses, as native code hands them over after a completed call.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileIdl } from '../../lib/ndr/compile.js';
import type { CompiledInterface, CompiledProcedure } from '../../lib/ndr/compiled.js';
import { decodeCall } from '../../lib/runtime/decode-call.js';
import { type CallPlan, encodeCall } from '../../lib/runtime/encode-call.js';
import { linkRecursion } from '../../lib/runtime/link-recursion.js';
import { MemoryView } from '../../lib/runtime/memory-view.js';
import type { NativeCallResult } from '../../lib/runtime/native-addon.js';
import { RpcError } from '../../lib/runtime/rpc-error.js';
import { callArena } from '../support/call-arena.js';

const types = compileIdl(readFileSync(new URL('../servers/types.idl', import.meta.url), 'utf8'), {
  file: 'types.idl',
})[0]!;

// [out] data the NDR engine allocates: a string behind a pointer, a struct with an
// embedded conformant pointer.
const extra = compileIdl(
  `[uuid(0b9e6f4c-2d7a-4c11-8e3f-5a6b7c8d9e0f), version(1.0), pointer_default(unique)]
  interface extra {
    typedef struct Blob { long n; [size_is(n)] long *data; } Blob;
    void GetName([out, string] char **name);
    void GetWideName([out, string] wchar_t **name);
    void GetBlob([out] Blob *b);
  }`,
  { file: 'extra.idl' },
)[0]!;

function procedure(iface: CompiledInterface, name: string): CompiledProcedure {
  const proc = iface.procedures.find((p) => p.name === name);
  if (!proc) throw new Error(`no procedure ${name}`);
  return proc;
}

const ARENA_ADDRESS = 0x7ff6_1234_0000n;
const BLOCK_ADDRESS = 0x2a0_0000_1000n;

/** A completed call as native code reports it: the arena (as the server left it) and blocks. */
class FakeCall {
  readonly arena: ArrayBuffer;
  readonly view: DataView;
  readonly blocks: { address: bigint; bytes: ArrayBuffer }[] = [];

  constructor(
    readonly proc: CompiledProcedure,
    readonly plan: CallPlan,
  ) {
    this.arena = callArena(plan.encoded).buffer as ArrayBuffer;
    this.view = new DataView(this.arena);
  }

  /** The arena offset of a parameter's pointee. */
  pointee(name: string): number {
    const at = this.plan.pointees.get(name);
    if (at === undefined) throw new Error(`no pointee for ${name}`);
    return at;
  }

  /** Adds an NDR-allocated block and returns its address. */
  block(bytes: Uint8Array, address = BLOCK_ADDRESS + BigInt(this.blocks.length) * 0x1000n): bigint {
    this.blocks.push({ address, bytes: bytes.slice().buffer });
    return address;
  }

  decode(reply = 0n): unknown {
    const result: NativeCallResult = {
      reply,
      arenaAddress: ARENA_ADDRESS,
      arena: this.arena,
      blocks: this.blocks,
    };
    return decodeCall(this.proc, this.plan, result);
  }
}

function fake(iface: CompiledInterface, name: string, ...args: unknown[]): FakeCall {
  const proc = procedure(iface, name);
  return new FakeCall(proc, encodeCall(proc, args));
}

describe('decodeCall: return values from the reply', () => {
  it('reads each base type from the low bytes, whatever the high bytes hold', () => {
    const garbage = 0xdead_beef_0000_0000n;
    expect(fake(types, 'EchoShort', 0).decode(garbage | 0xfffen)).toBe(-2);
    expect(fake(types, 'EchoByte', 0).decode(garbage | 0x1ffn)).toBe(0xff);
    expect(fake(types, 'EchoBoolean', true).decode(garbage | 0x100n)).toBe(false);
    expect(fake(types, 'EchoChar', 'a').decode(0x41n)).toBe('A');
    expect(fake(types, 'EchoWchar', 'a').decode(0x263an)).toBe('\u263a');
    expect(fake(types, 'EchoLong', 0).decode(garbage | 0x8000_0000n)).toBe(-0x80000000);
    expect(fake(types, 'EchoStatus', 0).decode(0xffff_ffffn)).toBe(0xffffffff);
    expect(fake(types, 'EchoHyper', 0n).decode(2n ** 64n - 1n)).toBe(-1n);
    expect(fake(types, 'EchoLevel', 'LEVEL_LOW').decode(0xffff_ffffn)).toBe(-1);
  });

  it('reads floats as float32 and doubles as float64 bits', () => {
    const bits = new DataView(new ArrayBuffer(8));
    bits.setFloat32(0, -1.5, true);
    expect(fake(types, 'EchoFloat', 0).decode(bits.getBigUint64(0, true))).toBe(-1.5);
    bits.setFloat64(0, Math.PI, true);
    expect(fake(types, 'EchoDouble', 0).decode(bits.getBigUint64(0, true))).toBe(Math.PI);
  });
});

describe('decodeCall: [out] values from the arena', () => {
  it('reads [out] and [in, out] scalars where their pointees are', () => {
    const out = fake(types, 'OutLong', 1);
    out.view.setInt32(out.pointee('p'), -7, true);
    expect(out.decode()).toEqual({ p: -7 });

    const inOut = fake(types, 'InOutHyper', 5n);
    expect(inOut.decode()).toEqual({ p: 5n }); // untouched by the "server"
    inOut.view.setBigInt64(inOut.pointee('p'), -(2n ** 63n), true);
    expect(inOut.decode()).toEqual({ p: -(2n ** 63n) });
  });

  it('returns the return value beside the [out] values', () => {
    const call = fake(types, 'StringLengthA', 'abc');
    call.view.setUint32(call.pointee('codeSum'), 294, true);
    expect(call.decode(3n)).toEqual({ codeSum: 294, returnValue: 3 });
  });

  it('reads a struct with its padding skipped', () => {
    const call = fake(types, 'TransformPoint', { x: 0, y: 0n, z: 0, tag: 0, c: 'a' });
    const at = call.pointee('out');
    call.view.setInt32(at, 5, true);
    call.view.setUint32(at + 4, 0xffffffff, true); // padding: ignored
    call.view.setBigInt64(at + 8, 6n, true);
    call.view.setFloat64(at + 16, -0.5, true);
    call.view.setInt16(at + 24, -9, true);
    call.view.setUint8(at + 26, 0x7a);
    expect(call.decode()).toEqual({ out: { x: 5, y: 6n, z: -0.5, tag: -9, c: 'z' } });
  });

  it('reads an [out] array by its length_is, from another [out] parameter', () => {
    const call = fake(types, 'FillLongs', 4, 4);
    call.view.setInt32(call.pointee('len'), 3, true);
    const values = call.pointee('values');
    for (const [i, v] of [10, -20, 30, 40].entries()) call.view.setInt32(values + i * 4, v, true);
    expect(call.decode()).toEqual({ len: 3, values: [10, -20, 30] });
  });

  it('reads a sized [in, out] string up to its NUL, or up to size_is without one', () => {
    const call = fake(types, 'ShoutA', 4, 'abc');
    expect(call.decode()).toEqual({ buf: 'abc' });
    call.view.setUint8(call.pointee('buf') + 3, 0x21); // no terminator within size_is
    expect(call.decode()).toEqual({ buf: 'abc!' });
  });

  it('encodes and decodes char strings as UTF-8 and wchar_t strings as UTF-16 (bytes written out by hand)', () => {
    const bytes = (call: FakeCall, n: number) => [...new Uint8Array(call.arena, call.pointee('buf'), n)];
    // [in]: "\u00e9\u00e9" is C3 A9 C3 A9 in UTF-8, then the NUL.
    const call = fake(types, 'ShoutA', 6, '\u00e9\u00e9');
    expect(bytes(call, 5)).toEqual([0xc3, 0xa9, 0xc3, 0xa9, 0x00]);
    // [out]: the server's bytes E2 82 AC C3 A9 00 are "\u20ac\u00e9".
    new Uint8Array(call.arena, call.pointee('buf'), 6).set([0xe2, 0x82, 0xac, 0xc3, 0xa9, 0x00]);
    expect(call.decode()).toEqual({ buf: '\u20ac\u00e9' });
    // U+1F600 is the surrogate pair D83D DE00, little-endian on the wire and in memory.
    const wide = fake(types, 'ShoutW', 4, '\u{1f600}x');
    expect(bytes(wide, 8)).toEqual([0x3d, 0xd8, 0x00, 0xde, 0x78, 0x00, 0x00, 0x00]);
    new Uint8Array(wide.arena, wide.pointee('buf'), 6).set([0x3d, 0xd8, 0x01, 0xde, 0x00, 0x00]);
    expect(wide.decode()).toEqual({ buf: '\u{1f601}' });
  });
});

describe('decodeCall: pointers into NDR-allocated blocks', () => {
  it('follows a pointer to a string in a block', () => {
    const call = fake(extra, 'GetName');
    const text = new Uint8Array([0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f, 0x00]); // "h\u00e9llo" in UTF-8
    call.view.setBigUint64(call.pointee('name'), call.block(text), true);
    expect(call.decode()).toEqual({ name: 'h\u00e9llo' });
  });

  it('reads a NULL [out] pointer as null', () => {
    expect(fake(extra, 'GetName').decode()).toEqual({ name: null });
  });

  it('sizes an embedded pointer by its struct field', () => {
    const call = fake(extra, 'GetBlob');
    const at = call.pointee('b');
    call.view.setInt32(at, 2, true);
    const data = new DataView(new ArrayBuffer(8));
    data.setInt32(0, 11, true);
    data.setInt32(4, -12, true);
    call.view.setBigUint64(at + 8, call.block(new Uint8Array(data.buffer)), true);
    expect(call.decode()).toEqual({ b: { n: 2, data: [11, -12] } });
  });

  it('rejects a pointer outside every region with RPC_X_BAD_STUB_DATA', () => {
    const call = fake(extra, 'GetName');
    call.block(new TextEncoder().encode('x\0'));
    call.view.setBigUint64(call.pointee('name'), 0xdead_0000n, true);
    const error = (() => {
      try {
        call.decode();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: 'RPC_X_BAD_STUB_DATA', status: 1783 });
  });

  it('rejects a string that runs off the end of its block', () => {
    const call = fake(extra, 'GetWideName');
    call.view.setBigUint64(call.pointee('name'), call.block(new Uint8Array([0x41, 0, 0x42])), true);
    expect(() => call.decode()).toThrow(RpcError);
  });

  it('rejects a char string without its NUL too, and keeps UTF-16 units as they are', () => {
    const narrow = fake(extra, 'GetName');
    narrow.view.setBigUint64(narrow.pointee('name'), narrow.block(new TextEncoder().encode('abc')), true);
    expect(() => narrow.decode()).toThrow(/runs past the call's memory/);
    const wide = fake(extra, 'GetWideName');
    // A lone surrogate and a pair survive; the text is found and decoded in bulk.
    const units = Uint16Array.of(0xd800, 0x41, 0xd83d, 0xde00, ...new Array(20_000).fill(0x7a), 0);
    wide.view.setBigUint64(wide.pointee('name'), wide.block(new Uint8Array(units.buffer)), true);
    expect(wide.decode()).toEqual({ name: `\ud800A\u{1f600}${'z'.repeat(20_000)}` });
  });

  it('rejects an array that would run past its block', () => {
    const call = fake(extra, 'GetBlob');
    const at = call.pointee('b');
    call.view.setInt32(at, 3, true); // three elements claimed, two present
    call.view.setBigUint64(at + 8, call.block(new Uint8Array(8)), true);
    expect(() => call.decode()).toThrow(expect.objectContaining({ code: 'RPC_X_BAD_STUB_DATA' }));
  });
});

describe('MemoryView', () => {
  const view = new MemoryView([
    { address: 0x1000n, bytes: new Uint8Array([1, 2, 3, 4]).buffer },
    { address: 0x8000n, bytes: new ArrayBuffer(16) },
  ]);

  it('finds the region and offset of an address', () => {
    const { view: found, offset } = view.locate(0x1002, 2);
    expect(offset).toBe(2);
    expect(found.getUint8(offset)).toBe(3);
    expect(view.pointerAt(0x8008)).toBe(0);
  });

  it('refuses reads that start or end outside a region', () => {
    for (const [address, size] of [
      [0x0fff, 1],
      [0x1003, 2],
      [0x1004, 1],
      [0x8000 + 9, 8],
      [0, 8],
    ] as const) {
      expect(() => view.locate(address, size)).toThrow(
        expect.objectContaining({ code: 'RPC_X_BAD_STUB_DATA', status: 1783 }),
      );
    }
  });
});

describe('decodeCall: full pointers', () => {
  const pointers = compileIdl(readFileSync(new URL('../servers/pointers.idl', import.meta.url), 'utf8'), {
    file: 'pointers.idl',
  })[0]!;

  it('decodes two full pointers to one address as one object, and two addresses as two', () => {
    const call = fake(pointers, 'MakePair', 3, 1);
    const box = new Uint8Array(4);
    new DataView(box.buffer).setInt32(0, 3, true);
    const shared = call.block(box);
    const at = call.pointee('pair');
    call.view.setBigUint64(at, shared, true);
    call.view.setBigUint64(at + 8, shared, true);
    const { pair } = call.decode() as { pair: { first: object; second: object } };
    expect(pair.first).toEqual({ value: 3 });
    expect(pair.second).toBe(pair.first);

    const apart = fake(pointers, 'MakePair', 3, 0);
    apart.view.setBigUint64(apart.pointee('pair'), apart.block(box), true);
    apart.view.setBigUint64(apart.pointee('pair') + 8, apart.block(box), true);
    const decoded = apart.decode() as { pair: { first: object; second: object } };
    expect(decoded.pair.second).not.toBe(decoded.pair.first);
    expect(decoded.pair.second).toEqual(decoded.pair.first);
  });
});

// Found by test/unit/fuzz-decode.test.ts: reply data that no layout allows threw a
// TypeError or RangeError, overflowed the stack, or looped for billions of elements.
describe('decodeCall: impossible replies are RpcErrors', () => {
  const lists = linkRecursion(
    compileIdl(
      `[uuid(7c1e9a2b-4d6f-4a8b-9c0d-1e2f3a4b5c6d), version(1.0), pointer_default(unique)]
      interface lists {
        typedef struct NODE { struct NODE *next; long v; } NODE;
        typedef struct FULL { [ptr] struct FULL *next; long v; } FULL;
        typedef [ptr] FULL *PFULL;
        typedef [switch_type(long)] union U { [case(1)] long i; [case(2)] double d; } U;
        void GetList([out] NODE **list);
        void GetFull([out] PFULL *list);
        void GetU([out] long *k, [out, switch_is(*k)] U *u);
      }`,
      { file: 'lists.idl' },
    )[0]!,
  );
  const codeOf = (call: FakeCall) => {
    try {
      call.decode();
    } catch (e) {
      return e instanceof RpcError ? e.code : `not an RpcError: ${e}`;
    }
    return 'decoded';
  };

  it('refuses a union discriminant that selects no arm: RPC_S_INVALID_TAG', () => {
    const call = fake(lists, 'GetU');
    call.view.setInt32(call.pointee('k'), 99, true);
    expect(codeOf(call)).toBe('RPC_S_INVALID_TAG');
  });

  it('refuses a negative or out-of-range count: RPC_S_INVALID_BOUND', () => {
    const negative = fake(types, 'FillLongs', 4, 4);
    negative.view.setInt32(negative.pointee('len'), -1, true);
    expect(codeOf(negative)).toBe('RPC_S_INVALID_BOUND');
    const past = fake(types, 'FillLongs', 4, 4);
    past.view.setInt32(past.pointee('len'), 5, true); // length_is past size_is
    expect(codeOf(past)).toBe('RPC_S_INVALID_BOUND');
  });

  it('refuses a count larger than the memory before reading any element', () => {
    const call = fake(extra, 'GetBlob');
    const at = call.pointee('b');
    call.view.setInt32(at, 0x7fffffff, true);
    call.view.setBigUint64(at + 8, call.block(new Uint8Array(16)), true);
    // The whole extent is checked first (it was found element by element).
    expect(() => call.decode()).toThrow(`(+${0x7fffffff * 4})`);
    expect(codeOf(call)).toBe('RPC_X_BAD_STUB_DATA');
  });

  it('refuses a [unique] list that leads back into itself: RPC_X_BAD_STUB_DATA', () => {
    const call = fake(lists, 'GetList');
    const node = new Uint8Array(16);
    const at = BLOCK_ADDRESS;
    new DataView(node.buffer).setBigUint64(0, at, true); // next: itself
    call.view.setBigUint64(call.pointee('list'), call.block(node, at), true);
    expect(codeOf(call)).toBe('RPC_X_BAD_STUB_DATA');
  });

  it('decodes a cyclic [ptr] list as a cyclic object', () => {
    const call = fake(lists, 'GetFull');
    const node = new Uint8Array(16);
    const view = new DataView(node.buffer);
    view.setBigUint64(0, BLOCK_ADDRESS, true);
    view.setInt32(8, 42, true);
    call.view.setBigUint64(call.pointee('list'), call.block(node, BLOCK_ADDRESS), true);
    const { list } = call.decode() as { list: { next: unknown; v: number } };
    expect(list.v).toBe(42);
    expect(list.next).toBe(list);
  });
});
