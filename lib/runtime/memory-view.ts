// Reads C memory a completed call left behind: its arena and the blocks the NDR
// engine allocated, each a copy with the address it had. Pointers are followed by
// address; one that falls outside every region is bad stub data, never a crash.
import { RpcError } from './rpc-error.js';

const RPC_X_BAD_STUB_DATA = 1783;

export interface MemoryRegion {
  address: bigint;
  bytes: ArrayBuffer;
}

interface Region {
  start: number;
  end: number;
  view: DataView;
}

/** What decoding reads memory through (MemoryView; a server call's memory in lib/server). */
export interface ReadableMemory {
  locate(address: number, size: number): { view: DataView; offset: number };
  /** From `address` on: at least up to the first NUL code unit of `unit` bytes, if any. */
  bytesFrom(address: number, unit: 1 | 2): Uint8Array;
  copyBytes(address: number, length: number): Uint8Array;
  pointerAt(address: number): number;
}

/** What every ReadableMemory reads the same way once it can locate an address. */
export abstract class LocatingMemory implements ReadableMemory {
  abstract locate(address: number, size: number): { view: DataView; offset: number };
  abstract bytesFrom(address: number, unit: 1 | 2): Uint8Array;

  /** A copy of `length` bytes at `address` (one copy, whatever the length). */
  copyBytes(address: number, length: number): Uint8Array {
    const { view, offset } = this.locate(address, length);
    return new Uint8Array(view.buffer, view.byteOffset + offset, length).slice();
  }

  pointerAt(address: number): number {
    const { view, offset } = this.locate(address, 8);
    return Number(view.getBigUint64(offset, true));
  }
}

export class MemoryView extends LocatingMemory {
  private readonly regions: Region[];

  constructor(regions: readonly MemoryRegion[]) {
    super();
    // Windows x64 user addresses fit in 47 bits, so plain numbers are exact.
    this.regions = regions.map((r) => {
      const start = Number(r.address);
      return { start, end: start + r.bytes.byteLength, view: new DataView(r.bytes) };
    });
  }

  /** The view and offset holding `size` bytes at `address`. */
  locate(address: number, size: number): { view: DataView; offset: number } {
    for (const region of this.regions) {
      if (address >= region.start && address + size <= region.end) {
        return { view: region.view, offset: address - region.start };
      }
    }
    throw new RpcError(RPC_X_BAD_STUB_DATA, {
      detail: `reply memory at 0x${address.toString(16)} (+${size}) is outside the call's memory`,
    });
  }

  /**
   * `length` bytes at `address`, as a view of the call's memory when they fill at least
   * half of their region, else a copy. The regions are JS's own: takeCall hands over the
   * arena's native block as an external ArrayBuffer that V8 frees once nothing refers to
   * it, and copies the engine's blocks, so a view keeps its memory alive by itself and
   * nothing else writes into it (a 1 MiB [out] buffer is not copied a second time). A
   * small value is copied, so it does not keep a large arena alive.
   */
  override copyBytes(address: number, length: number): Uint8Array {
    const { view, offset } = this.locate(address, length);
    const bytes = new Uint8Array(view.buffer, view.byteOffset + offset, length);
    return length * 2 >= view.byteLength && length > 0 ? bytes : bytes.slice();
  }

  /** The bytes from `address` to the end of its region (a view, not a copy). */
  bytesFrom(address: number): Uint8Array {
    for (const region of this.regions) {
      if (address >= region.start && address < region.end) {
        const { view } = region;
        return new Uint8Array(view.buffer, view.byteOffset + (address - region.start), region.end - address);
      }
    }
    throw new RpcError(RPC_X_BAD_STUB_DATA, {
      detail: `reply memory at 0x${address.toString(16)} is outside the call's memory`,
    });
  }
}
