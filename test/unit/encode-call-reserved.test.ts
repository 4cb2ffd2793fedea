// [out] memory that native code allocates and zeroes past the arena rather than JS
// zeroing and sending it (ArenaWriter.reserve): JS writes none of it, whatever it holds
// (pointers and context handles too: zeroed natively, they are NULL for the engine).
import { describe, expect, it } from 'vitest';
import { compileIdl } from '../../lib/ndr/compile.js';
import type { CompiledProcedure } from '../../lib/ndr/compiled.js';
import { ArenaWriter } from '../../lib/runtime/arena-writer.js';
import { encodeCall } from '../../lib/runtime/encode-call.js';
import { MemoryView } from '../../lib/runtime/memory-view.js';

const UUID = '7b2e4c19-0f3a-4d8e-a6c1-5e9d2b7f4a30';
const iface = compileIdl(
  `[uuid(${UUID}), version(1.0), pointer_default(unique)]
  interface reserved {
    typedef [context_handle] void *CTX;
    typedef struct Flat { short a; hyper b; char name[3]; } Flat;
    typedef struct Linked { long v; [string] char *label; } Linked;
    typedef [switch_type(long)] union Arm { [case(1)] long i; [case(2)] double d; } Arm;
    void Get([in] long n, [out, size_is(n)] byte *data);
    void Mix([in] long n, [in, size_is(n)] const byte *sent, [out] long *count,
             [out, size_is(n)] byte *back, [out] Linked *linked, [out] CTX *h,
             [out] Flat *flat, [in] long k, [out, switch_is(k)] Arm *arm,
             [out, size_is(n), string] wchar_t *text);
  }`,
  { file: 'reserved.idl' },
)[0]!;

function procedure(name: string): CompiledProcedure {
  const proc = iface.procedures.find((p) => p.name === name);
  if (!proc) throw new Error(`no procedure ${name}`);
  return proc;
}

function slotOf(proc: CompiledProcedure, name: string): number {
  return proc.params.find((p) => p.name === name)!.stackOffset / 8;
}

describe('encodeCall: [out] data in reserved space', () => {
  it('a byte buffer: nothing for JS to write or native code to copy, the whole size reserved', () => {
    const get = procedure('Get');
    const plan = encodeCall(get, [1 << 20], UUID);
    expect(plan.encoded.arena.length).toBe(0);
    expect(plan.encoded.arenaSize).toBe(1 << 20);
    expect(plan.pointees.get('data')).toBe(0);
    expect(plan.pointeeSizes.get('data')).toBe(1 << 20);
    expect(plan.encoded.slots[slotOf(get, 'data')]).toBe(0n);
    expect([...plan.encoded.pointerSlots]).toEqual([slotOf(get, 'data')]);
  });

  it('an empty buffer still gets a byte (a [ref] pointer must point into the arena)', () => {
    const plan = encodeCall(procedure('Get'), [0], UUID);
    expect(plan.encoded.arena.length).toBe(0);
    expect(plan.encoded.arenaSize).toBe(1);
  });

  it('places every [out] pointee past what JS writes, aligned, apart, in parameter order', () => {
    const mix = procedure('Mix');
    const sent = new Uint8Array([1, 2, 3, 4, 5]);
    const plan = encodeCall(mix, [5, sent, 2], UUID);
    const { arena, arenaSize } = plan.encoded;
    // What JS writes: the [in] bytes alone.
    expect(plan.pointees.get('sent')).toBe(0);
    expect(arena.length).toBe(5);
    expect([...arena]).toEqual([1, 2, 3, 4, 5]);
    // long, 5 bytes, Linked (8-aligned, a pointer inside), a context handle, Flat,
    // the union (its discriminant is k; 8-aligned by its double), 5 wchar_t.
    const names = ['count', 'back', 'linked', 'h', 'flat', 'arm', 'text'];
    const layout = names.map((name) => ({
      at: plan.pointees.get(name)!,
      size: plan.pointeeSizes.get(name)!,
    }));
    expect(layout.map((r) => r.size)).toEqual([4, 5, 16, 8, 24, 8, 10]);
    expect(layout[0]!.at).toBeGreaterThanOrEqual(arena.length);
    const aligns = [4, 1, 8, 8, 8, 8, 2];
    for (const [i, r] of layout.entries()) expect(r.at % aligns[i]!).toBe(0);
    for (let i = 1; i < layout.length; i++) {
      expect(layout[i]!.at).toBeGreaterThanOrEqual(layout[i - 1]!.at + layout[i - 1]!.size);
    }
    expect(arenaSize).toBe(layout[6]!.at + layout[6]!.size);
    // Every pointer parameter's slot holds its offset and is listed for relocation.
    for (const name of ['sent', ...names]) {
      const slot = slotOf(mix, name);
      expect(plan.encoded.slots[slot]).toBe(BigInt(plan.pointees.get(name)!));
      expect([...plan.encoded.pointerSlots]).toContain(slot);
    }
    expect(plan.encoded.pointerSlots.length).toBe(8);
    expect(plan.encoded.relocations.length).toBe(0);
  });
});

describe('ArenaWriter.reserve', () => {
  it('comes after every allocation, and refuses allocations after it', () => {
    const writer = new ArenaWriter();
    writer.allocate(3, 1);
    expect(writer.reserve(16, 8)).toBe(8);
    expect(writer.reserve(1, 1)).toBe(24);
    expect(() => writer.allocate(4, 4)).toThrow(/after reserve/);
    const { arena, arenaSize } = writer.finish();
    expect(arena.length).toBe(3);
    expect(arenaSize).toBe(25);
  });

  it('without a reservation the arena is what JS wrote', () => {
    const writer = new ArenaWriter();
    writer.allocate(10, 4);
    expect(writer.finish().arenaSize).toBe(10);
  });
});

describe('MemoryView.copyBytes', () => {
  const region = (size: number) => {
    const bytes = new Uint8Array(size).map((_, i) => i & 0xff);
    return new MemoryView([{ address: 0x10000n, bytes: bytes.buffer }]);
  };

  it('a view of the call memory when the bytes fill at least half of their region', () => {
    const memory = region(1000);
    const big = memory.copyBytes(0x10000 + 400, 600);
    expect(big.buffer.byteLength).toBe(1000);
    expect(big.byteOffset).toBe(400);
    expect(big[0]).toBe(400 & 0xff);
    expect(memory.copyBytes(0x10000, 500).buffer.byteLength).toBe(1000);
  });

  it('a copy when they are a small part of it (a small value does not keep a large arena alive)', () => {
    const small = region(1000).copyBytes(0x10000 + 10, 499);
    expect(small.buffer.byteLength).toBe(499);
    expect(small[0]).toBe(10);
    expect(region(16).copyBytes(0x10000, 0).buffer.byteLength).toBe(0);
  });
});
