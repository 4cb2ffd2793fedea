// One call's memory (its arena: [in] data and reserved [out] space) is capped at
// MAX_ARENA_BYTES in total, as one pointee is: a call whose pointees fit one by one but
// not together is refused with a RangeError naming each pointee and its size, before
// any memory is allocated or native code is reached.
import { describe, expect, it } from 'vitest';
import { compileIdl } from '../../lib/ndr/compile.js';
import type { CompiledProcedure } from '../../lib/ndr/compiled.js';
import { ArenaLimitError, ArenaWriter, MAX_ARENA_BYTES } from '../../lib/runtime/arena-writer.js';
import { encodeCall } from '../../lib/runtime/encode-call.js';

const UUID = '3c7a1e52-8d4b-4f09-b6e2-9a0d5c1f7e84';
const iface = compileIdl(
  `[uuid(${UUID}), version(1.0), pointer_default(unique)]
  interface limit {
    void One([in] long n, [out, size_is(n)] byte *data);
    void Two([in] long n, [in] long m, [out, size_is(n)] byte *first, [out, size_is(m)] hyper *second);
    void Sent([in] long k, [in, size_is(k)] const byte *sent, [in] long n, [out, size_is(n)] byte *back);
  }`,
  { file: 'limit.idl' },
)[0]!;

function procedure(name: string): CompiledProcedure {
  const proc = iface.procedures.find((p) => p.name === name);
  if (!proc) throw new Error(`no procedure ${name}`);
  return proc;
}

function refusal(run: () => unknown): RangeError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RangeError);
    return error as RangeError;
  }
  throw new Error('the call was not refused');
}

describe('encodeCall: the arena as a whole', () => {
  it('reserves one [out] pointee of exactly the cap', () => {
    const plan = encodeCall(procedure('One'), [MAX_ARENA_BYTES], UUID);
    expect(plan.encoded.arenaSize).toBe(MAX_ARENA_BYTES);
    expect(plan.encoded.arena.length).toBe(0);
  });

  it('reserves two [out] pointees that reach the cap together', () => {
    const half = 2 ** 30;
    const plan = encodeCall(procedure('Two'), [half, (MAX_ARENA_BYTES - half) >> 3], UUID);
    expect(plan.encoded.arenaSize).toBeLessThanOrEqual(MAX_ARENA_BYTES);
    expect(plan.pointeeSizes.get('second')).toBe(((MAX_ARENA_BYTES - half) >> 3) * 8);
  });

  it('refuses two [out] pointees that fit alone but not together, naming both with their sizes', () => {
    const n = 1.5 * 2 ** 30;
    const error = refusal(() => encodeCall(procedure('Two'), [n, n / 8], UUID));
    expect(error).not.toBeInstanceOf(ArenaLimitError); // the caller's error, not the writer's
    expect(error.message).toContain(`Two(first) ${n}`);
    expect(error.message).toContain(`Two(second) ${n}`);
    expect(error.message).toContain(`at least ${2 * n} bytes`);
    expect(error.message).toContain(`more than one call can carry (${MAX_ARENA_BYTES})`);
  });

  it('refuses [in] data and an [out] pointee that together pass the cap by one byte', () => {
    const sent = new Uint8Array(16);
    const n = MAX_ARENA_BYTES - 16;
    // [in] data takes bytes 0-15; the [out] buffer then ends one past the cap.
    expect(() => encodeCall(procedure('Sent'), [16, sent, n], UUID)).not.toThrow();
    const error = refusal(() => encodeCall(procedure('Sent'), [16, sent, n + 1], UUID));
    expect(error.message).toContain('Sent(sent) 16');
    expect(error.message).toContain(`Sent(back) ${n + 1}`);
    expect(error.message).toContain(`at least ${MAX_ARENA_BYTES + 1} bytes`);
  });

  it('still refuses one pointee past the cap as itself', () => {
    const error = refusal(() => encodeCall(procedure('Two'), [1, 2 ** 28], UUID));
    expect(error.message).toMatch(/^Two\(second\): 268435456 elements need 2147483648 bytes/);
  });
});

describe('ArenaWriter: the cap', () => {
  it('refuses allocate() past the cap before growing its buffer', () => {
    const writer = new ArenaWriter();
    writer.allocate(64, 8);
    const before = writer.raw.buffer.byteLength;
    expect(() => writer.allocate(MAX_ARENA_BYTES, 1)).toThrow(ArenaLimitError);
    expect(writer.raw.buffer.byteLength).toBe(before);
    expect(writer.finish().arenaSize).toBe(64);
  });

  it('refuses reserve() past the cap and keeps what it had reserved', () => {
    const writer = new ArenaWriter();
    writer.reserve(1024, 8);
    let caught: unknown;
    try {
      writer.reserve(MAX_ARENA_BYTES - 1023, 8);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ArenaLimitError);
    expect((caught as ArenaLimitError).needed).toBe(MAX_ARENA_BYTES + 1);
    expect(writer.finish().arenaSize).toBe(1024);
  });
});
