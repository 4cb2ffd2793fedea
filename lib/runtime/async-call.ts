// One asynchronous RPC call as JS sees it: it settles after the runtime's notification
// (complete), answers "still pending" from its own state before that (tryComplete,
// never asking the runtime to complete early), and can be cancelled.
import type { CompiledProcedure } from '../ndr/compiled.js';
import { type CallEngine, CallRefused, type CompletionListener, callCompleted } from './call-engine.js';
import { decodeCall, decodeReturn } from './decode-call.js';
import type { CallPlan, HeldHandle } from './encode-call.js';
import type { NativeCallResult, NativeHandle } from './native-addon.js';
import { RpcError, rejectFromCaller } from './rpc-error.js';

const RPC_S_OK = 0;
const RPC_X_BAD_STUB_DATA = 1783;

export type TryCompleteResult<T> =
  | { pending: true; code: 'RPC_S_ASYNC_CALL_PENDING' }
  | { pending: false; value: T };

// Failures of the binding layer (reaching and authenticating to the server): their
// messages name the binding, which is what the caller needs to fix.
const BINDING_STATUSES = new Set([
  5, // RPC_S_ACCESS_DENIED
  1702, // RPC_S_INVALID_BINDING
  1722, // RPC_S_SERVER_UNAVAILABLE
  1747, // RPC_S_UNKNOWN_AUTHN_SERVICE
  1753, // EPT_S_NOT_REGISTERED
  1825, // RPC_S_SEC_PKG_ERROR
]);

type Outcome<T> = { ok: true; value: T } | { ok: false; error: RpcError };

// Whether a procedure has [out] data to decode, worked out once per procedure rather
// than on every completion.
const hasOutData = new WeakMap<CompiledProcedure, boolean>();
function needsMemory(proc: CompiledProcedure): boolean {
  let needs = hasOutData.get(proc);
  if (needs === undefined) {
    needs = proc.params.some((p) => p.direction !== 'in');
    hasOutData.set(proc, needs);
  }
  return needs;
}

function ignore(): void {}

export interface CallTarget {
  engine: CallEngine;
  iface: NativeHandle;
  binding: NativeHandle;
  /** The binding for error messages (credentials never appear). */
  describeBinding: () => string;
  interfaceName: string;
  procedure: CompiledProcedure;
}

// Per call, the hot path allocates only what it must: the call itself is the engine's
// completion listener (no closure), the promise's resolve is kept as a field, and a
// failure's caller stack and rejection handler cost only calls that fail.
export class AsyncCall<T = unknown> implements CompletionListener {
  readonly procedure: string;
  readonly interfaceName: string;
  private readonly target: CallTarget;
  private readonly plan: CallPlan;
  private readonly id: number | undefined;
  private outcome: Outcome<T> | undefined;
  /** The runtime has completed the call (its native state is gone or handed over). */
  private nativeDone = false;
  private readonly settled: Promise<T>;
  private resolve!: (value: T | Promise<never>) => void;

  /** Issues the call; a call the runtime refuses at once settles with its RpcError. */
  constructor(target: CallTarget, plan: CallPlan) {
    this.target = target;
    this.plan = plan;
    this.procedure = target.procedure.name;
    this.interfaceName = target.interfaceName;
    this.settled = new Promise<T>((resolve) => {
      this.resolve = resolve;
    });
    try {
      this.id = target.engine.start(target.iface, target.binding, plan.encoded, this);
      const held = plan.heldHandles;
      for (let i = 0; i < held.length; i++) held[i]!.handle.hold(held[i]!.exclusive);
    } catch (error) {
      if (!(error instanceof CallRefused)) throw error;
      this.id = undefined;
      this.nativeDone = true;
      this.settle({ ok: false, error: this.error(error.status) });
    }
  }

  /** Settles after the runtime's notification, with the result or an RpcError. */
  complete(): Promise<T> {
    return this.settled;
  }

  /** The result if the call has completed; otherwise "pending", without blocking. */
  tryComplete(): TryCompleteResult<T> {
    if (!this.outcome) return { pending: true, code: 'RPC_S_ASYNC_CALL_PENDING' };
    if (!this.outcome.ok) throw this.outcome.error;
    return { pending: false, value: this.outcome.value };
  }

  get done(): boolean {
    return this.outcome !== undefined;
  }

  /**
   * RpcAsyncCancelCall. Non-abortive asks the server to cancel; abortive ends the call
   * at once on this side. Either way the call still completes through the
   * notification (with RPC_S_CALL_CANCELLED unless the reply had already arrived).
   * A call settled early (timeout, abort) can still be cancelled until the runtime
   * has completed it; after that this does nothing.
   */
  cancel(options: { abortive?: boolean } = {}): void {
    if (this.id === undefined || this.nativeDone) return;
    const status = this.target.engine.cancel(this.id, options.abortive ?? false);
    if (status !== RPC_S_OK) throw this.error(status);
  }

  /** The runtime's own status of the call (RpcAsyncGetCallStatus): pending until completed. */
  runtimeStatus(): number {
    if (this.id === undefined || this.nativeDone) return RPC_S_OK;
    return this.target.engine.runtimeStatus(this.id);
  }

  /**
   * Settles the promise now with `error` although the runtime has not completed the
   * call (a timeout, or a cancel the runtime ignores). The native state is kept until
   * the runtime lets go of it.
   */
  abandon(error: RpcError): void {
    if (this.outcome) return;
    // An [in, out] handle is read back from the call's memory when it completes.
    if (this.id !== undefined) this.target.engine.abandon(this.id, this.plan.heldHandles.some(isExclusive));
    this.settle({ ok: false, error });
  }

  error(status: number, detail?: string, cause?: unknown): RpcError {
    if (detail === undefined && BINDING_STATUSES.has(status)) detail = this.target.describeBinding();
    const error = new RpcError(status, {
      procedure: this.procedure,
      interface: this.interfaceName,
      ...(detail === undefined ? {} : { detail }),
      ...(cause === undefined ? {} : { cause }),
    });
    return error;
  }

  private settle(outcome: Outcome<T>): void {
    if (this.outcome) return;
    this.outcome = outcome;
    if (outcome.ok) {
      this.resolve(outcome.value);
    } else {
      // The stack becomes the awaiting caller's (rpc-error.ts). Unhandled rejections
      // are the caller's to see through complete(); not this handler's.
      rejectFromCaller(this.resolve, outcome.error, () => this.settled.catch(ignore));
    }
  }

  /** Whether the runtime has let go of the call (so nothing of it is left to cancel). */
  get runtimeDone(): boolean {
    return this.nativeDone;
  }

  /** The engine's notification: the runtime has completed the call. */
  [callCompleted](status: number): void {
    this.nativeDone = true;
    const held = this.plan.heldHandles;
    // Settled early (abandoned): nothing to decode. Native code has freed the call,
    // unless it held a handle [in, out]: then it was kept to read that handle back
    // (given up if that fails: the engine may have freed its client context).
    if (this.outcome) {
      if (held.length === 0) return;
      let kept: NativeCallResult | undefined;
      if (held.some(isExclusive)) {
        try {
          kept = this.target.engine.take(this.id!);
        } catch {
          kept = undefined;
        }
      }
      releaseHandles(held, kept ? (at) => readHandleSlot(kept, at) : () => 0n);
      return;
    }
    const proc = this.target.procedure;
    const withMemory = needsMemory(proc);
    let result: NativeCallResult | undefined;
    let reply = 0n;
    try {
      if (withMemory) result = this.target.engine.take(this.id!);
      else reply = this.target.engine.takeReply(this.id!);
    } catch (cause) {
      if (held.length > 0) releaseHandles(held, () => 0n); // what the engine left is unknown
      this.settle({
        ok: false,
        error: this.error(RPC_X_BAD_STUB_DATA, 'the completed call was not found', cause),
      });
      return;
    }
    // An [in, out] handle is read back from the call's memory whether the call succeeded
    // or not: the engine may have unmarshalled (freed or replaced) it before failing.
    if (held.length > 0) releaseHandles(held, result && ((at) => readHandleSlot(result, at)));
    if (status !== RPC_S_OK) {
      this.settle({ ok: false, error: this.error(status) });
      return;
    }
    try {
      // Without [out] data the result is the return value alone (what decodeCall returns).
      const value = result
        ? decodeCall(proc, this.plan, result)
        : proc.returnType
          ? decodeReturn(proc.returnType, reply, this.plan)
          : undefined;
      this.settle({ ok: true, value: value as T });
    } catch (cause) {
      // The decoder's RpcError carries the status the NDR engine raises for the same
      // fault (RPC_X_INVALID_BOUND for a [range], RPC_S_INVALID_TAG, ...); anything
      // else it throws is a reply it could not read.
      if (cause instanceof RpcError) {
        this.settle({ ok: false, error: this.error(cause.status, cause.detail, cause) });
      } else {
        this.settle({ ok: false, error: this.error(RPC_X_BAD_STUB_DATA, (cause as Error).message, cause) });
      }
    }
  }
}

/**
 * Lets go of the call's context handles (indexed, not for-of: no iterator per call). `valueAt` gives what the engine left in an
 * [in, out] handle's memory (undefined: the call's memory is gone and the value is
 * taken as unchanged).
 */
function releaseHandles(held: readonly HeldHandle[], valueAt: ((at: number) => bigint) | undefined): void {
  for (let i = 0; i < held.length; i++) {
    const { handle, exclusive, at } = held[i]!;
    handle.release(exclusive, exclusive && at !== undefined && valueAt ? valueAt(at) : undefined);
  }
}

function isExclusive(held: HeldHandle): boolean {
  return held.exclusive;
}

/** The NDR_CCONTEXT the engine left in an [in, out] handle's arena memory. */
function readHandleSlot(result: NativeCallResult, at: number): bigint {
  return new DataView(result.arena).getBigUint64(at, true);
}
