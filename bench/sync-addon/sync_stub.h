/* A MIDL-style synchronous client stub for calc's Add, in C because its exception
   handling (what MIDL's RpcTryExcept expands to) needs __try/__except. */
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

/* Binds to a string binding; returns 0 or the RPC status. */
long sync_stub_bind(const char* string_binding, void** binding);
void sync_stub_unbind(void* binding);

/* Add(a, b) through NdrClientCall2, blocking this thread until the reply. Returns 0
   (the result in *result) or the status/exception code the runtime raised. */
unsigned long sync_stub_add(void* binding, long a, long b, long* result);

#ifdef __cplusplus
}
#endif
