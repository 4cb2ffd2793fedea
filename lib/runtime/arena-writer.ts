// Lays out [in] data as C memory in one growing buffer. Pointer fields hold
// arena-relative offsets and are listed as relocations; native adds the arena's
// address to each once it has copied the arena (docs/internals.md).
import { alignUp } from '../ndr/layout.js';

export class ArenaWriter {
  private buffer = new ArrayBuffer(256);
  private view = new DataView(this.buffer);
  private bytes = new Uint8Array(this.buffer);
  private used = 0;
  private readonly relocations: number[] = [];

  /**
   * Reserves zeroed, aligned space and returns its offset. Empty data (an array of
   * 0 elements) still gets a byte: a [ref] pointer to it must not be NULL, and native
   * code accepts only pointers that fall inside the arena.
   */
  allocate(size: number, align: number): number {
    const offset = alignUp(this.used, Math.max(align, 1));
    const end = offset + Math.max(size, 1);
    if (end > this.buffer.byteLength) this.grow(end);
    this.used = end;
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

  finish(): { arena: Uint8Array; relocations: Uint32Array } {
    return { arena: this.bytes.subarray(0, this.used), relocations: Uint32Array.from(this.relocations) };
  }

  private grow(needed: number): void {
    let size = this.buffer.byteLength * 2;
    while (size < needed) size *= 2;
    const next = new ArrayBuffer(size);
    new Uint8Array(next).set(this.bytes.subarray(0, this.used));
    this.buffer = next;
    this.view = new DataView(next);
    this.bytes = new Uint8Array(next);
  }
}
