// The proc format string a server registers: the client's, with every procedure made
// synchronous. winrpc's procedures are compiled [async] (PRPC_ASYNC_STATE in slot 0, an
// explicit primitive handle in slot 1) for NdrAsyncClientCall; NdrServerCall2 serves
// them once HasAsyncHandle is clear. Slot 0 then stays unused and every other slot keeps
// its stack offset, so the server reads arguments where the client wrote them. The wire
// form does not change: neither the async slot nor the primitive handle is marshalled.
import type { CompiledInterface } from './compiled.js';
import { FC, OI2 } from './fc.js';

/** Oi header: handle type, Oi flags, rpc flags (u32), opnum, stack size; then the handle. */
const EXPLICIT_HANDLE_AT = 10;
/** After FC_BIND_PRIMITIVE (4 bytes): client and server buffer sizes, then the Oi2 flags. */
const OI2_FLAGS_AT = EXPLICIT_HANDLE_AT + 4 + 4;

export function serverProcFormat(compiled: CompiledInterface): Uint8Array {
  const format = compiled.procFormat.slice();
  for (const proc of compiled.procedures) {
    const at = proc.procFormatOffset;
    if (format[at] !== 0 || format[at + EXPLICIT_HANDLE_AT] !== FC.BIND_PRIMITIVE) {
      throw new Error(`winrpc: ${compiled.name}.${proc.name} has no explicit primitive handle to serve`);
    }
    format[at + OI2_FLAGS_AT] = (format[at + OI2_FLAGS_AT] ?? 0) & ~OI2.HasAsyncHandle;
  }
  return format;
}
