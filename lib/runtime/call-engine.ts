// The JS side of the completion path, one per JS environment (main thread, each
// Worker), whichever copies of winrpc (its ES module and CommonJS builds) run there:
// gives calls their ids, issues them through the addon, and routes each batch of
// completions from the completion thread to the calls waiting for them.
import { ContextHandleTracker } from './context-handle-tracker.js';
import { loadAddon } from './load-addon.js';
import type { NativeAddon, NativeCallResult, NativeHandle } from './native-addon.js';

/** What one call hands to native code (docs/internals.md, "memory of one call"). */
export interface EncodedCall {
  procFormatOffset: number;
  /** What JS laid out: native code copies it to the start of the call's arena. */
  arena: Uint8Array;
  /**
   * The whole arena's size (at least arena.length): native code allocates and zeroes the
   * rest, for [out] memory (ArenaWriter.reserve).
   */
  arenaSize: number;
  relocations: Uint32Array;
  slots: BigUint64Array;
  pointerSlots: Uint32Array;
}

/**
 * The listener's method, keyed by a symbol so it stays off the public surface of calls.
 * A registered symbol: the engine of another copy of winrpc in this environment
 * (ESM beside CommonJS) calls the listeners of this one.
 */
export const callCompleted: unique symbol = Symbol.for('winrpc.callCompleted') as never;

/** Where the environment's engine hangs on the addon's exports (shared by every copy). */
const ENGINE_KEY = Symbol.for('winrpc.callEngine');

/**
 * Told once when the runtime has completed a call (status 0 or the failure). An object
 * rather than a callback, so a call needs no closure of its own.
 */
export interface CompletionListener {
  [callCompleted](status: number): void;
}

export class CallEngine {
  private nextId = 1;
  /**
   * Every call whose completion has not arrived, abandoned ones included (their ids stay
   * taken), at slot `id & mask`: ids are handed out so that no two share a slot, and the
   * table doubles when half full. Not a Map: a Map's backing store is reallocated every
   * few calls as ids churn, and while V8's incremental marking runs, the new store (in
   * the old Map) keeps the calls it holds alive through scavenges: every call's objects
   * were promoted and full GCs followed each other (docs/benchmarks.md, "The later rounds").
   */
  private listeners: (CompletionListener | undefined)[] = new Array<CompletionListener | undefined>(64).fill(
    undefined,
  );
  private ids = new Uint32Array(64);
  private mask = 63;
  private count = 0;
  /** Of those, the calls whose caller stopped waiting (timeout, abort). */
  private readonly abandonedIds = new Set<number>();
  /** This environment's open context handles. */
  readonly contextHandles: ContextHandleTracker;

  /**
   * Takes over the addon's completion callback. Use CallEngine.of(addon): a second
   * engine over the same addon would take the callback from the first.
   */
  constructor(readonly addon: NativeAddon) {
    this.contextHandles = new ContextHandleTracker(addon);
    addon.setCompletionCallback((records) => this.onCompletions(records));
  }

  /** The one engine of this environment's addon, made on first use. */
  static of(addon: NativeAddon): CallEngine {
    const holder = addon as unknown as Record<symbol, CallEngine | undefined>;
    let engine = holder[ENGINE_KEY];
    if (engine === undefined) {
      engine = new CallEngine(addon);
      Object.defineProperty(holder, ENGINE_KEY, { value: engine });
    }
    return engine;
  }

  /** Calls whose caller still waits for them. */
  get callsInFlight(): number {
    return this.count - this.abandonedIds.size;
  }

  /** Calls the caller stopped waiting for (timeout, abort) that the runtime still has. */
  get callsAbandoned(): number {
    return this.abandonedIds.size;
  }

  /**
   * Issues a call. Returns its id, or throws the status when the runtime refused it
   * at once (nothing listening, a bad binding); then no completion will follow.
   */
  start(iface: NativeHandle, binding: NativeHandle, call: EncodedCall, listener: CompletionListener): number {
    const id = this.allocateId();
    const status = this.addon.startCall(
      id,
      iface,
      binding,
      call.procFormatOffset,
      call.arena,
      call.relocations,
      call.slots,
      call.pointerSlots,
      call.arenaSize,
    );
    if (status !== 0) throw new CallRefused(status);
    const slot = id & this.mask;
    this.listeners[slot] = listener;
    this.ids[slot] = id;
    this.count++;
    return id;
  }

  /** The completed call's memory, which native code frees as it hands it over. */
  take(id: number): NativeCallResult {
    return this.addon.takeCall(id);
  }

  /** The reply alone, for a procedure without [out] data: nothing else is copied. */
  takeReply(id: number): bigint {
    return this.addon.takeReply(id);
  }

  cancel(id: number, abortive: boolean): number {
    return this.addon.cancelCall(id, abortive);
  }

  /**
   * The caller stopped waiting. The call stays cancellable, and its id taken, until the
   * runtime completes it; native code then frees it (or, with `keep`, leaves it for
   * take()) and the listener is told once more.
   */
  abandon(id: number, keep = false): void {
    if (this.slotOf(id) < 0 || this.abandonedIds.has(id)) return;
    this.abandonedIds.add(id);
    this.addon.abandonCall(id, keep);
  }

  /** The runtime's own view of a call in flight (RpcAsyncGetCallStatus). */
  runtimeStatus(id: number): number {
    return this.addon.callStatus(id);
  }

  private onCompletions(records: Uint32Array): void {
    // A listener that throws must not keep the rest of the batch from being delivered
    // (each undelivered call would stay listed, its native memory and any handle it holds
    // with it): every record is delivered, then the first error is rethrown.
    let failure: { error: unknown } | undefined;
    for (let i = 0; i < records.length; i += 2) {
      const id = records[i]!;
      const status = records[i + 1]!;
      // Every record is a completion, whatever its status: 997 (RPC_S_ASYNC_CALL_PENDING)
      // here is the call's own status (native code completes a call only after the
      // runtime's notification, when "not complete yet" can no longer be the answer).
      const slot = this.slotOf(id);
      if (slot < 0) continue;
      const listener = this.listeners[slot]!;
      this.listeners[slot] = undefined;
      this.count--;
      if (this.abandonedIds.size > 0) this.abandonedIds.delete(id);
      try {
        listener[callCompleted](status);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }

  /** The slot of the call waiting with this id, or -1. */
  private slotOf(id: number): number {
    const slot = id & this.mask;
    return this.listeners[slot] !== undefined && this.ids[slot] === id ? slot : -1;
  }

  private allocateId(): number {
    if (this.count * 2 >= this.listeners.length) this.grow();
    // Ids wrap at 2^32; one whose slot a call still holds (its own id, or one equal in
    // the low bits) is skipped.
    for (;;) {
      const id = this.nextId;
      this.nextId = this.nextId === 0xffffffff ? 1 : this.nextId + 1;
      if (this.listeners[id & this.mask] === undefined) return id;
    }
  }

  /** Doubles the table. Ids in distinct slots stay distinct under the wider mask. */
  private grow(): void {
    const size = this.listeners.length * 2;
    const listeners = new Array<CompletionListener | undefined>(size).fill(undefined);
    const ids = new Uint32Array(size);
    const mask = size - 1;
    for (let slot = 0; slot < this.listeners.length; slot++) {
      const listener = this.listeners[slot];
      if (listener === undefined) continue;
      const id = this.ids[slot]!;
      listeners[id & mask] = listener;
      ids[id & mask] = id;
    }
    this.listeners = listeners;
    this.ids = ids;
    this.mask = mask;
  }
}

/** The runtime refused a call when it was issued. */
export class CallRefused extends Error {
  constructor(readonly status: number) {
    super(`call refused with status ${status}`);
  }
}

/** This environment's engine (the addon is per environment: Workers get their own). */
export function callEngine(): CallEngine {
  return CallEngine.of(loadAddon());
}
