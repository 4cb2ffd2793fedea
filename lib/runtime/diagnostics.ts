// What winrpc holds in this environment (main thread or Worker), for a user whose
// memory grows and for soak tests: counts kept by winrpc itself, since process RSS
// cannot tell winrpc's memory from the RPC runtime's.
import { callEngine } from './call-engine.js';
import { requireWindows } from './load-addon.js';

export interface Diagnostics {
  /** Calls whose promise has not settled yet. */
  callsInFlight: number;
  /**
   * Calls whose promise settled early (timeout, abort) that the RPC runtime has not
   * completed: their native state waits for it (an abortive cancel follows a timeout).
   */
  callsAbandoned: number;
  /** Native call objects alive: in flight, abandoned, or completed and being decoded. */
  liveNativeCalls: number;
  /** Bytes of native memory those calls hold ([in] arenas and [out] blocks). */
  arenaBytes: number;
  /**
   * Bytes of native memory that completed calls handed to JS and JS still holds: a
   * large byte value is a view of its call's arena, which V8 frees once nothing refers
   * to it (a collection later). Not part of `arenaBytes`, which no call holds any more.
   */
  takenArenaBytes: number;
  /** Binding handles not yet freed (a freed binding lives on until its last call ends). */
  bindingHandles: number;
  /** Context handles open on this side (not closed, destroyed, given up or collected). */
  contextHandles: number;
}

/** winrpc's counters for this environment. Off Windows: the "needs Windows" RpcError. */
export function diagnostics(): Diagnostics {
  requireWindows();
  const engine = callEngine();
  const native = engine.addon.diagnostics();
  return {
    callsInFlight: engine.callsInFlight,
    callsAbandoned: native.abandonedCalls,
    liveNativeCalls: native.liveCalls,
    arenaBytes: native.arenaBytes,
    takenArenaBytes: native.takenArenaBytes,
    bindingHandles: native.bindingHandles,
    contextHandles: engine.contextHandles.count,
  };
}
