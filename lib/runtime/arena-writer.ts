// Lays out [in] data as C memory in one growing buffer. Pointer fields hold
// arena-relative offsets and are listed as relocations; native adds the arena's
// address to each once it has copied the arena (docs/internals.md).
import { alignUp } from '../ndr/layout.js';

// Shared by every writer that never allocates (a procedure with only scalar arguments,
// the common small call): no buffer, view or array per call, which showed up as GC
// time in `npm run bench`. Zero-length views on a real buffer keep native's data
// pointer non-null, and a zero-length typed array cannot be written through.
const NO_BYTES = new Uint8Array(new ArrayBuffer(16), 0, 0);
const NO_VIEW = new DataView(NO_BYTES.buffer, 0, 0);
const NO_RELOCATIONS = new Uint32Array(new ArrayBuffer(16), 0, 0);

/**
 * The most memory one call's arena may take, [in] data and reserved [out] space together:
 * arena offsets travel as 32-bit relocations, NDR's own buffer lengths are 32-bit, and one
 * pointee has the same cap (encode-call.ts). Native code refuses more (rpc_call.h).
 */
export const MAX_ARENA_BYTES = 0x7fffffff;

/** allocate() or reserve() would take the arena past MAX_ARENA_BYTES; nothing was allocated. */
export class ArenaLimitError extends RangeError {
  constructor(
    readonly needed: number,
    /** The writer's pointeeSizes: what the caller's error names. */
    readonly pointeeSizes: ReadonlyMap<string, number>,
  ) {
    super(`winrpc: one call's memory would take ${needed} bytes, more than ${MAX_ARENA_BYTES}`);
  }
}

/** What a call whose arguments all travel in their slots hands over: no memory. */
export const EMPTY_ARENA: {
  readonly arena: Uint8Array;
  readonly relocations: Uint32Array;
  readonly arenaSize: number;
} = Object.freeze({
  arena: NO_BYTES,
  relocations: NO_RELOCATIONS,
  arenaSize: 0,
});

export class ArenaWriter {
  private view = NO_VIEW;
  private bytes = NO_BYTES;
  private used = 0;
  /** The end of the space reserve() handed out (0: none), past `used`. */
  private reservedEnd = 0;
  private readonly relocations: number[] = [];
  /**
   * Where each object reached through a full ([ptr]) pointer was laid out: a second
   * full pointer to the same object points at the same memory, so NDR sends it once
   * and the server sees the aliasing.
   */
  readonly fullPointerTargets = new Map<object, number>();
  /**
   * The values being laid out behind [ref] and [unique] pointers, outermost first: one
   * reached again under itself is a cycle, which those pointers cannot send.
   */
  readonly pointeesOnPath = new Set<object>();
  /**
   * The size of each parameter's pointee sized so far, by name (encode-call.ts fills it):
   * an ArenaLimitError carries it, so a call too large for one arena names every part.
   */
  pointeeSizes: ReadonlyMap<string, number> = new Map();

  /**
   * Reserves zeroed, aligned space and returns its offset. Empty data (an array of
   * 0 elements) still gets a byte: a [ref] pointer to it must not be NULL, and native
   * code accepts only pointers that fall inside the arena.
   */
  allocate(size: number, align: number): number {
    if (this.reservedEnd !== 0) throw new Error('winrpc: ArenaWriter.allocate after reserve');
    const offset = alignUp(this.used, Math.max(align, 1));
    const end = offset + Math.max(size, 1);
    // Checked before growing: a JS buffer past the cap would fail as an allocation.
    if (end > MAX_ARENA_BYTES) throw new ArenaLimitError(end, this.pointeeSizes);
    if (end > this.bytes.byteLength) this.grow(end);
    this.used = end;
    return offset;
  }

  /**
   * Zeroed space past everything allocate() gave, which JS neither writes nor sends:
   * native code allocates and zeroes it with the arena (a 1 MiB [out] buffer is not
   * zeroed in JS and copied across; docs/internals.md, "memory of one call"). For [out]
   * memory; call it after the last allocate().
   */
  reserve(size: number, align: number): number {
    const offset = alignUp(Math.max(this.reservedEnd, this.used), Math.max(align, 1));
    const end = offset + Math.max(size, 1);
    if (end > MAX_ARENA_BYTES) throw new ArenaLimitError(end, this.pointeeSizes);
    this.reservedEnd = end;
    return offset;
  }

  /** Writes an arena-relative pointer to `target` at `at` (a relocation). */
  pointer(at: number, target: number): void {
    this.view.setBigUint64(at, BigInt(target), true);
    this.relocations.push(at);
  }

  get data(): DataView {
    return this.view;
  }

  get raw(): Uint8Array {
    return this.bytes;
  }

  /** The bytes JS wrote, their relocations, and the size of the whole arena (reserved space included). */
  finish(): { arena: Uint8Array; relocations: Uint32Array; arenaSize: number } {
    return {
      arena: this.used === 0 ? NO_BYTES : this.bytes.subarray(0, this.used),
      relocations: this.relocations.length === 0 ? NO_RELOCATIONS : Uint32Array.from(this.relocations),
      arenaSize: Math.max(this.used, this.reservedEnd),
    };
  }

  private grow(needed: number): void {
    let size = Math.max(this.bytes.byteLength * 2, 256);
    while (size < needed) size *= 2;
    size = Math.min(size, MAX_ARENA_BYTES);
    const next = new ArrayBuffer(size);
    new Uint8Array(next).set(this.bytes.subarray(0, this.used));
    this.view = new DataView(next);
    this.bytes = new Uint8Array(next);
  }
}
