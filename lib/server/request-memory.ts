// The C memory of a request a server is serving: what the NDR engine unmarshalled for
// the call now waiting on a runtime thread. Read through the addon, region by region,
// while the call waits (the memory is stable until it is answered); an address the
// engine did not give is a guarded read that fails with RPC_X_BAD_STUB_DATA, never a crash.
import { LocatingMemory } from '../runtime/memory-view.js';
import { RpcError } from '../runtime/rpc-error.js';

const RPC_X_BAD_STUB_DATA = 1783;

/** How the memory is read (the addon, for one waiting call). */
export interface RequestMemorySource {
  read(address: bigint, size: number): ArrayBuffer;
  /** The code units from `address` up to and without the first NUL unit. */
  readUnits(address: bigint, unit: 1 | 2): ArrayBuffer;
}

interface Region {
  start: number;
  end: number;
  view: DataView;
}

export class RequestMemory extends LocatingMemory {
  private readonly regions: Region[] = [];

  constructor(private readonly source: RequestMemorySource) {
    super();
  }

  /** Bytes that live outside the engine's memory (a by-value argument slot), at a made-up address. */
  pin(address: number, bytes: ArrayBuffer): void {
    this.regions.push({ start: address, end: address + bytes.byteLength, view: new DataView(bytes) });
  }

  locate(address: number, size: number): { view: DataView; offset: number } {
    for (const region of this.regions) {
      if (address >= region.start && address + size <= region.end) {
        return { view: region.view, offset: address - region.start };
      }
    }
    if (address === 0) throw bad(`a NULL pointer where the request has data`);
    const bytes = this.source.read(BigInt(address), size);
    const view = new DataView(bytes);
    this.regions.push({ start: address, end: address + size, view });
    return { view, offset: 0 };
  }

  bytesFrom(address: number, unit: 1 | 2): Uint8Array {
    if (address === 0) throw bad('a NULL string pointer in the request');
    const units = this.source.readUnits(BigInt(address), unit);
    // With its NUL, as a reply's memory would show it.
    const bytes = new Uint8Array(units.byteLength + unit);
    bytes.set(new Uint8Array(units));
    return bytes;
  }
}

function bad(detail: string): RpcError {
  return new RpcError(RPC_X_BAD_STUB_DATA, { detail });
}
