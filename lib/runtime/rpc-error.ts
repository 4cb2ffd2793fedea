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
 * The stack of the code that started an async call. A call settles on a later tick
 * (from the completion batch), where an error's own stack shows only winrpc's
 * internals; capture a CallSite when the call starts and `attach` it to the error
 * the call rejects with, so the stack points at the caller.
 */
export interface CallSite {
  attach<E extends Error>(error: E): E;
}

/**
 * Captures the current stack. `skip`: frames from this function upward are left out
 * (pass the public method, so the trace starts at the user's line). The stack is
 * formatted lazily by V8, so capturing costs little until an error needs it.
 */
// biome-ignore lint/complexity/noBannedTypes: captureStackTrace takes any function
export function captureCallSite(skip?: Function): CallSite {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, skip ?? captureCallSite);
  return {
    attach(error) {
      const frames = callerFrames(holder.stack);
      if (frames) {
        // The header keeps the error's own name and message; the frames are the caller's.
        error.stack = `${error.name}: ${error.message}\n${frames}`;
      }
      return error;
    },
  };
}

/** Everything after the first line ("Error") of a captured stack. */
function callerFrames(stack: string | undefined): string {
  if (!stack) return '';
  const newline = stack.indexOf('\n');
  return newline < 0 ? '' : stack.slice(newline + 1);
}
