// RpcError: what every failed RPC call rejects with. The stable string `code` comes
// from the one status table (./status-codes.ts), so callers can switch on names
// rather than numbers, and unknown statuses keep their number in `code` and `status`.
import { formatStatusNumber, normalizeStatus, statusMessage, statusName } from './status-codes.js';

export interface RpcErrorOptions {
  /** Procedure name as in the IDL, e.g. `Add`. */
  procedure?: string;
  /** Interface name as in the IDL, e.g. `calc`. */
  interface?: string;
  /** What winrpc itself found, when it detected the failure (not rpcrt4). */
  detail?: string;
  cause?: unknown;
}

export class RpcError extends Error {
  /** Table name (`RPC_S_SERVER_UNAVAILABLE`) or, for unknown statuses, `0x20000001`. */
  readonly code: string;
  /** Unsigned 32-bit status, as rpcrt4 reported it. */
  readonly status: number;
  readonly procedure?: string;
  readonly interface?: string;
  readonly detail?: string;

  constructor(status: number, options: RpcErrorOptions = {}) {
    const value = normalizeStatus(status);
    super(
      formatRpcErrorMessage(value, options),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'RpcError';
    this.code = statusName(value);
    this.status = value;
    if (options.procedure !== undefined) this.procedure = options.procedure;
    if (options.interface !== undefined) this.interface = options.interface;
    if (options.detail !== undefined) this.detail = options.detail;
  }
}

/**
 * `RPC_S_SERVER_UNAVAILABLE (1722): The RPC server is unavailable. [calc.Add]`;
 * a detail goes in parentheses before the final period.
 */
export function formatRpcErrorMessage(status: number, where: RpcErrorOptions = {}): string {
  const name = statusName(status);
  const number = formatStatusNumber(status);
  const head = name === number ? name : `${name} (${number})`;
  let text = statusMessage(status);
  if (where.detail) text = `${text.replace(/\.$/, '')} (${where.detail}).`;
  const target = [where.interface, where.procedure].filter((part) => part !== undefined).join('.');
  return `${head}: ${text}${target ? ` [${target}]` : ''}`;
}

export function isRpcError(value: unknown, code?: string): value is RpcError {
  return value instanceof RpcError && (code === undefined || value.code === code);
}

/**
 * Rejects a call's promise with `error` so that the error's stack shows the code
 * waiting for it, at no cost to calls that succeed.
 *
 * A call settles on a later tick (from the completion batch or a timer), where a stack
 * shows only winrpc's internals, and the caller's own stack is gone by then. Capturing
 * it when every call starts costs 2-4 µs of CPU per call (docs/benchmarks.md). Instead
 * the failure is routed through a promise reaction that `promise` follows: an error
 * captured inside such a reaction gets V8's async stack trace, the `async` frames of
 * the functions awaiting `promise` (through .catch/.finally/Promise.all too), with the
 * line of each await. A caller that never awaits gets no frames of its own.
 *
 * `resolve` is `promise`'s resolve function; `captured` runs once the stack is taken
 * (before `promise` rejects), for reactions that must not be counted as the caller's.
 */
export function rejectFromCaller(
  resolve: (value: Promise<never>) => void,
  error: Error,
  captured: () => void,
): void {
  let open!: () => void;
  const gate = new Promise<void>((go) => {
    open = go;
  });
  // The order matters: `promise` must follow `failed` (the resolve job is queued first)
  // before the reaction below runs and looks for who waits.
  const failed = gate.then(function captureCaller(): never {
    try {
      Error.captureStackTrace(error, captureCaller);
    } catch {
      // A frozen error keeps the stack it has; it is still what the call rejects with.
    }
    captured();
    throw error;
  });
  resolve(failed);
  open();
}
