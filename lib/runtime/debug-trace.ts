// NODE_DEBUG=winrpc: one line per call through util.debuglog, as Node's own modules
// trace (`WINRPC 1234: calc.Add over binding ncalrpc:[calc], ... -> RPC_S_OK (0) in 0.41 ms`).
// The binding is described as error messages describe it: never with credentials.
import { debuglog } from 'node:util';
import type { AsyncCall } from './async-call.js';
import { isRpcError } from './rpc-error.js';

const log = debuglog('winrpc');

/**
 * Read once, when winrpc loads (NODE_DEBUG is read at process start anyway): with
 * tracing off, a call pays one boolean test and nothing else.
 */
export const tracing = log.enabled;

/** Logs the call when it settles: interface, procedure, binding, status and duration. */
export function traceCall(call: AsyncCall, describeBinding: () => string): void {
  if (!tracing) return;
  const started = performance.now();
  const name = `${call.interfaceName}.${call.procedure}`;
  const binding = describeBinding();
  const elapsed = () => `${(performance.now() - started).toFixed(2)} ms`;
  call.complete().then(
    (value) => log('%s over %s -> RPC_S_OK (0)%s in %s', name, binding, returned(value), elapsed()),
    (error: unknown) => {
      const status = isRpcError(error) ? `${error.code} (${error.status})` : String(error);
      log('%s over %s -> %s in %s', name, binding, status, elapsed());
    },
  );
}

/** The procedure's own return value when it is a number (many protocols return a Win32 status). */
function returned(value: unknown): string {
  const result =
    typeof value === 'object' && value !== null && 'returnValue' in value
      ? (value as { returnValue: unknown }).returnValue
      : value;
  return typeof result === 'number' ? `, returned ${result}` : '';
}
