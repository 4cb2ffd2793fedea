// Per-call options: an AbortSignal and a timeout, applied to an AsyncCall.
import type { AsyncCall } from './async-call.js';

const RPC_S_CALL_CANCELLED = 1818;
const RPC_S_TIMEOUT = 1460;
const DEFAULT_CANCEL_GRACE_MS = 1000;

export interface CallOptions {
  /** Cancels the call: non-abortive first, abortive after `cancelGraceMs`. */
  signal?: AbortSignal;
  /** Milliseconds until the promise rejects with RPC_S_TIMEOUT (the call is cancelled). */
  timeout?: number;
  /** How long a cancelled call may take to finish before each escalation (default 1000). */
  cancelGraceMs?: number;
}

const OPTION_KEYS = new Set(['signal', 'timeout', 'cancelGraceMs']);

/**
 * Whether a trailing argument beyond the procedure's parameters is an options object:
 * any plain object is taken as one ({} included), and checkCallOptions then refuses
 * keys it does not know.
 */
export function isCallOptions(value: unknown): value is CallOptions {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

export function checkCallOptions(options: CallOptions, where: string): void {
  if (!isCallOptions(options)) throw new TypeError(`${where}: options must be an object`);
  const unknown = Object.keys(options).filter((key) => !OPTION_KEYS.has(key));
  if (unknown.length > 0) {
    throw new TypeError(
      `${where}: unknown option ${unknown.join(', ')} (known: ${[...OPTION_KEYS].join(', ')})`,
    );
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new TypeError(`${where}: options.signal must be an AbortSignal`);
  }
  for (const key of ['timeout', 'cancelGraceMs'] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value))) {
      throw new TypeError(`${where}: options.${key} must be a non-negative number of milliseconds`);
    }
  }
}

/**
 * Wires signal and timeout to a call. Cancelling always goes through the runtime
 * (RpcAsyncCancelCall, then the notification and RpcAsyncCompleteCall); only when the
 * runtime does not finish the call in time does the promise settle on its own, and
 * the call's native state then waits for the runtime.
 */
export function applyCallOptions<T>(call: AsyncCall<T>, options: CallOptions): Promise<T> {
  const { signal, timeout } = options;
  const grace = options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS;
  if (!signal && timeout === undefined) return call.complete();
  const timers: ReturnType<typeof setTimeout>[] = [];
  const later = (ms: number, fn: () => void) => timers.push(setTimeout(fn, ms));

  const cancelThenAbandon = (status: number, cause: unknown) => {
    tryCancel(call, false);
    later(grace, () => {
      tryCancel(call, true);
      later(grace, () => call.abandon(call.error(status, undefined, cause)));
    });
  };
  const onAbort = () => cancelThenAbandon(RPC_S_CALL_CANCELLED, signal?.reason);
  if (signal) {
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  }
  if (timeout !== undefined) {
    later(timeout, () => {
      // The caller wants an answer by now: ask the runtime to cancel, settle at once,
      // and leave the native state to the runtime.
      tryCancel(call, false);
      call.abandon(call.error(RPC_S_TIMEOUT, `no reply within ${timeout} ms`));
    });
  }
  const cleanup = () => {
    for (const timer of timers) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  };
  return call.complete().finally(cleanup);
}

function tryCancel<T>(call: AsyncCall<T>, abortive: boolean): void {
  try {
    call.cancel({ abortive });
  } catch {
    // A runtime without cancellation (Wine) answers with an error: the timers still end the call.
  }
}
