// Per-call options: an AbortSignal and a timeout, applied to an AsyncCall.
import type { AsyncCall } from './async-call.js';

const RPC_S_CALL_CANCELLED = 1818;
const RPC_S_TIMEOUT = 1460;
const DEFAULT_CANCEL_GRACE_MS = 1000;

export interface CallOptions {
  /**
   * Aborting rejects the promise at once with RPC_S_CALL_CANCELLED (its `cause` is the
   * signal's reason); the runtime cancels the call in the background, non-abortive
   * first, abortive after `cancelGraceMs`.
   */
  signal?: AbortSignal;
  /**
   * Milliseconds until the promise rejects with RPC_S_TIMEOUT; the call is then
   * cancelled in the background like an aborted one. Any length (2^31 ms and more too).
   */
  timeout?: number;
  /** How long the runtime may take to cancel before the abortive cancel (default 1000 ms). */
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
 * Wires signal and timeout to a call. Either settles the promise at once (an abort
 * with RPC_S_CALL_CANCELLED whose `cause` is the signal's reason, a timeout with
 * RPC_S_TIMEOUT), as fetch does; the runtime's cancellation goes on in the background:
 * non-abortive at once, abortive after `cancelGraceMs` if the runtime still has the
 * call. The call's native state waits for the runtime either way.
 */
export function applyCallOptions<T>(call: AsyncCall<T>, options: CallOptions): Promise<T> {
  // Most calls have neither: they return before anything below (its closures'
  // context) is allocated.
  if (options.signal === undefined && options.timeout === undefined) return call.complete();
  return withSignalAndTimeout(call, options);
}

function withSignalAndTimeout<T>(call: AsyncCall<T>, options: CallOptions): Promise<T> {
  const { signal, timeout } = options;
  const grace = options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS;
  let timer: LongTimer | undefined;
  const cleanup = () => {
    timer?.clear();
    signal?.removeEventListener('abort', onAbort);
  };
  const settleEarly = (status: number, detail?: string, cause?: unknown) => {
    cleanup();
    if (call.done) return;
    call.abandon(call.error(status, detail, cause));
    cancelInBackground(call, grace);
  };
  const onAbort = () => settleEarly(RPC_S_CALL_CANCELLED, undefined, signal?.reason);
  if (signal?.aborted) {
    onAbort();
    return call.complete();
  }
  signal?.addEventListener('abort', onAbort, { once: true });
  if (timeout !== undefined) {
    timer = longTimeout(timeout, true, () => settleEarly(RPC_S_TIMEOUT, `no reply within ${timeout} ms`));
  }
  return call.complete().finally(cleanup);
}

/**
 * Asks the runtime to cancel a call whose promise has settled: non-abortive now,
 * abortive after `grace` ms unless the runtime has completed it by then. Without the
 * abortive step a hung server would keep the call, its memory and its connection.
 * Nothing here holds the process open.
 */
function cancelInBackground<T>(call: AsyncCall<T>, grace: number): void {
  if (call.runtimeDone) return;
  tryCancel(call, false);
  longTimeout(grace, false, () => {
    if (!call.runtimeDone) tryCancel(call, true);
  });
}

function tryCancel<T>(call: AsyncCall<T>, abortive: boolean): void {
  try {
    call.cancel({ abortive });
  } catch {
    // A runtime without cancellation (Wine) answers with an error: the call then ends
    // when the server replies, or never; its promise has settled either way.
  }
}

/** setTimeout's longest delay: a longer one fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface LongTimer {
  clear(): void;
}

/** A timeout of any length (chained below setTimeout's limit); `ref` keeps the process alive. */
export function longTimeout(ms: number, ref: boolean, fn: () => void): LongTimer {
  let handle: ReturnType<typeof setTimeout>;
  const arm = (left: number) => {
    handle = setTimeout(
      left > MAX_TIMER_MS ? () => arm(left - MAX_TIMER_MS) : fn,
      Math.min(left, MAX_TIMER_MS),
    );
    if (!ref) handle.unref?.();
  };
  arm(ms);
  return { clear: () => clearTimeout(handle) };
}
