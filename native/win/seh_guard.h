/* Runs a function under a structured exception handler. rpcrt4 reports errors by
   raising SEH exceptions (RpcRaiseException) when a call is issued and while a reply
   is unmarshalled; every entry into it goes through here so that an exception
   becomes a status code, never a crash. The filter is RpcExceptionFilter's, as MIDL
   stubs use it: access violations, stack overflows and the like are not caught (they
   mean the process is corrupt) and end the process. C, because only C compilers here (MSVC,
   clang with -fms-extensions) accept __try/__except; gcc does not. */
#pragma once

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*winrpc_guarded_fn)(void* context);

/* Returns 0 when fn returned normally; otherwise the exception code, captured in
   the filter (clang reads 0 from GetExceptionCode() inside the __except body). */
unsigned long winrpc_seh_guard(winrpc_guarded_fn fn, void* context);

/* The most argument slots one call passes to NdrAsyncClientCall. */
#define WINRPC_MAX_SLOTS 64

/* NdrAsyncClientCall(stub_desc, proc_format, slots[0], ..., slots[WINRPC_MAX_SLOTS-1]):
   the engine reads the variadic arguments as consecutive 8-byte slots, so one call
   site serves every procedure. Returns 0 or the exception code. */
unsigned long winrpc_guarded_async_call(void* stub_desc, const unsigned char* proc_format,
                                        const unsigned long long* slots);

/* RpcAsyncCompleteCall(async_state, reply): *status gets its return value. Returns 0
   or the exception code (the reply's unmarshalling can raise). */
unsigned long winrpc_guarded_complete_call(void* async_state, void* reply, long* status);

/* RpcAsyncCancelCall(async_state, abortive). Returns 0 or the exception code. */
unsigned long winrpc_guarded_cancel_call(void* async_state, int abortive, long* status);

/* RpcAsyncGetCallStatus(async_state). Returns 0 or the exception code. */
unsigned long winrpc_guarded_call_status(void* async_state, long* status);

/* RpcSsDestroyClientContext(context): frees a client context handle without telling the
   server. Returns 0 or the exception code (a context that is no handle raises). */
unsigned long winrpc_guarded_destroy_context(void** context);

/* NdrServerCall2(rpc_message): the NDR engine's stubless server path, which raises for
   bad stub data and passes on what a manager routine raises. Returns 0 or the code. */
unsigned long winrpc_guarded_server_call(void* rpc_message);

/* RpcServerInqCallAttributesW(binding, attributes): *status gets its return value.
   Returns 0 or the exception code. Call it only where winrpc_guard_can_unwind says so. */
unsigned long winrpc_guarded_call_attributes(void* binding, void* attributes, long* status);

/* Whether an exception raised inside `function` (an export of another module) can reach
   the guard that called it. On x64 a frame whose code has no unwind data is unwound as a
   leaf: its return address is taken from the stack pointer it was entered with minus
   nothing. Wine 8 exports its unimplemented functions as stubs that reserve stack and
   raise with no unwind data, so the unwinder reads a stale stack slot as their return
   address and goes on from wherever that points: the guard is skipped, and an outer
   frame (or nothing) catches the exception. 0: `function` has no unwind data and must
   not be called under a guard (or at all: it may raise). Nonzero elsewhere (x86 unwinds
   by frame chain). */
int winrpc_guard_can_unwind(const void* function);

/* Copies `size` bytes from memory the NDR engine unmarshalled, for JS to decode. Unlike
   the other guards this one also catches an access violation (reported as its code): an
   address JS asked for is never trusted to be mapped. */
unsigned long winrpc_guarded_read(void* destination, const void* source, size_t size);

/* The number of `unit`-byte code units before the first zero unit at `source`, at most
   `max_units` (then *units = max_units). Catches access violations as winrpc_guarded_read. */
unsigned long winrpc_guarded_units_before_nul(const void* source, unsigned unit, size_t max_units,
                                              size_t* units);

/* Raises an SEH exception with the given code; for tests of the guard itself. */
void winrpc_seh_raise(unsigned long code);

#ifdef __cplusplus
}
#endif
