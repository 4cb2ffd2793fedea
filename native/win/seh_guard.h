/* Runs a function under a structured exception handler. rpcrt4 reports errors by
   raising SEH exceptions (RpcRaiseException) when a call is issued and while a reply
   is unmarshalled; every entry into it goes through here so that an exception
   becomes a status code, never a crash. C, because only C compilers here (MSVC,
   clang with -fms-extensions) accept __try/__except; gcc does not. */
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*winrpc_guarded_fn)(void* context);

/* Returns 0 when fn returned normally; otherwise the exception code, captured in
   the filter (clang reads 0 from GetExceptionCode() inside the __except body). */
unsigned long winrpc_seh_guard(winrpc_guarded_fn fn, void* context);

/* Raises an SEH exception with the given code; for tests of the guard itself. */
void winrpc_seh_raise(unsigned long code);

#ifdef __cplusplus
}
#endif
