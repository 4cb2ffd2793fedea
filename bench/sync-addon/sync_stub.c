/* What MIDL /Oicf generates for `long Add([in] handle_t h, [in] long a, [in] long b)`
   (explicit binding), with the exception frame a user wraps around it: one
   NdrClientCall2 with the synchronous format strings winrpc's compiler emits. */
#include "sync_stub.h"

#include <rpc.h>
#include <rpcndr.h>
#include <windows.h>

#include "calc_stub_desc.h"

static calc_stub stub;
static INIT_ONCE stub_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK init_stub(PINIT_ONCE once, PVOID parameter, PVOID* context) {
  (void)once;
  (void)parameter;
  (void)context;
  calc_stub_init(&stub, calc_sync_type_format);
  return TRUE;
}

long sync_stub_bind(const char* string_binding, void** binding) {
  InitOnceExecuteOnce(&stub_once, init_stub, NULL, NULL);
  RPC_BINDING_HANDLE handle = NULL;
  RPC_STATUS status = RpcBindingFromStringBindingA((RPC_CSTR)string_binding, &handle);
  /* As winrpc binds: non-causal, no authentication (the default for a new handle). */
  if (status == RPC_S_OK) RpcBindingSetOption(handle, RPC_C_OPT_BINDING_NONCAUSAL, TRUE);
  *binding = handle;
  return status;
}

void sync_stub_unbind(void* binding) {
  RPC_BINDING_HANDLE handle = binding;
  RpcBindingFree(&handle);
}

static int capture(unsigned long code, volatile unsigned long* into) {
  *into = code;
  return EXCEPTION_EXECUTE_HANDLER;
}

unsigned long sync_stub_add(void* binding, long a, long b, long* result) {
  volatile unsigned long code = 0;
  __try {
    CLIENT_CALL_RETURN r =
        NdrClientCall2(&stub.stub_desc,
                       (PFORMAT_STRING)calc_sync_proc_format + CALC_SYNC_ADD_OFFSET, binding, a, b);
    *result = (long)r.Simple;
  } __except (capture(GetExceptionCode(), &code)) {
    if (code == 0) code = (unsigned long)-1;
  }
  return code;
}
