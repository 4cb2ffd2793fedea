// The whole arena of an encoded call as native code lays it out before the call: what JS
// wrote, then the zeroed space reserved for [out] memory (EncodedCall.arenaSize), which
// native code allocates and zeroes rather than copying it from JS.
import type { EncodedCall } from '../../lib/runtime/call-engine.js';

export function callArena(encoded: Pick<EncodedCall, 'arena' | 'arenaSize'>): Uint8Array<ArrayBuffer> {
  const memory = new Uint8Array(Math.max(encoded.arenaSize, encoded.arena.length));
  memory.set(encoded.arena);
  return memory;
}
