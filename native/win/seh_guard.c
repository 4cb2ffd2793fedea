#include "seh_guard.h"

#include <rpc.h>
#include <rpcasync.h>
#include <rpcndr.h>
#include <string.h>
#include <windows.h>

/* What RpcExceptionFilter (and so a MIDL stub) leaves alone: exceptions that mean the
   process itself is broken (memory corruption, a stack overflow, a failed assertion).
   Those go on to the process's handlers and end it; turning them into a call's status
   would hide the corruption and run on with it. Values from ntstatus.h, as the
   RpcExceptionFilter documentation lists them (not every one is in mingw's headers). */
static const unsigned long fatal_codes[] = {
    0xC0000005UL, /* STATUS_ACCESS_VIOLATION */
    0xC0000194UL, /* STATUS_POSSIBLE_DEADLOCK */
    0xC00000AAUL, /* STATUS_INSTRUCTION_MISALIGNMENT */
    0x80000002UL, /* STATUS_DATATYPE_MISALIGNMENT */
    0xC0000096UL, /* STATUS_PRIVILEGED_INSTRUCTION */
    0xC000001DUL, /* STATUS_ILLEGAL_INSTRUCTION */
    0x80000003UL, /* STATUS_BREAKPOINT */
    0xC00000FDUL, /* STATUS_STACK_OVERFLOW */
    0xC0000235UL, /* STATUS_HANDLE_NOT_CLOSABLE */
    0xC0000006UL, /* STATUS_IN_PAGE_ERROR */
    0xC0000420UL, /* STATUS_ASSERTION_FAILURE */
    0xC0000409UL, /* STATUS_STACK_BUFFER_OVERRUN */
    0x80000001UL, /* STATUS_GUARD_PAGE_VIOLATION */
    0xC00002C9UL, /* STATUS_REG_NAT_CONSUMPTION */
};

static int capture_code(unsigned long code, unsigned long* captured) {
  for (size_t i = 0; i < sizeof fatal_codes / sizeof fatal_codes[0]; ++i) {
    if (code == fatal_codes[i]) return EXCEPTION_CONTINUE_SEARCH;
  }
  *captured = code;
  return EXCEPTION_EXECUTE_HANDLER;
}

unsigned long winrpc_seh_guard(winrpc_guarded_fn fn, void* context) {
  /* volatile: the value is written in the filter and read after the unwind. */
  volatile unsigned long code = 0;
  __try {
    fn(context);
  } __except (capture_code(GetExceptionCode(), (unsigned long*)&code)) {
    /* An exception may in principle carry code 0; report it as -1 so the caller can
       always tell an exception from a normal return. */
    if (code == 0) code = (unsigned long)-1;
  }
  return code;
}

void winrpc_seh_raise(unsigned long code) { RaiseException(code, 0, 0, NULL); }

unsigned long winrpc_guarded_async_call(void* stub_desc, const unsigned char* proc_format,
                                        const unsigned long long* s) {
  volatile unsigned long code = 0;
  __try {
    NdrAsyncClientCall((PMIDL_STUB_DESC)stub_desc, (PFORMAT_STRING)proc_format, s[0], s[1], s[2],
                       s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11], s[12], s[13], s[14],
                       s[15], s[16], s[17], s[18], s[19], s[20], s[21], s[22], s[23], s[24], s[25],
                       s[26], s[27], s[28], s[29], s[30], s[31], s[32], s[33], s[34], s[35], s[36],
                       s[37], s[38], s[39], s[40], s[41], s[42], s[43], s[44], s[45], s[46], s[47],
                       s[48], s[49], s[50], s[51], s[52], s[53], s[54], s[55], s[56], s[57], s[58],
                       s[59], s[60], s[61], s[62], s[63]);
  } __except (capture_code(GetExceptionCode(), (unsigned long*)&code)) {
    if (code == 0) code = (unsigned long)-1;
  }
  return code;
}

unsigned long winrpc_guarded_complete_call(void* async_state, void* reply, long* status) {
  volatile unsigned long code = 0;
  __try {
    *status = RpcAsyncCompleteCall((PRPC_ASYNC_STATE)async_state, reply);
  } __except (capture_code(GetExceptionCode(), (unsigned long*)&code)) {
    if (code == 0) code = (unsigned long)-1;
  }
  return code;
}

unsigned long winrpc_guarded_cancel_call(void* async_state, int abortive, long* status) {
  volatile unsigned long code = 0;
  __try {
    *status = RpcAsyncCancelCall((PRPC_ASYNC_STATE)async_state, abortive);
  } __except (capture_code(GetExceptionCode(), (unsigned long*)&code)) {
    if (code == 0) code = (unsigned long)-1;
  }
  return code;
}

unsigned long winrpc_guarded_call_status(void* async_state, long* status) {
  volatile unsigned long code = 0;
  __try {
    *status = RpcAsyncGetCallStatus((PRPC_ASYNC_STATE)async_state);
  } __except (capture_code(GetExceptionCode(), (unsigned long*)&code)) {
    if (code == 0) code = (unsigned long)-1;
  }
  return code;
}

unsigned long winrpc_guarded_destroy_context(void** context) {
  volatile unsigned long code = 0;
  __try {
    RpcSsDestroyClientContext(context);
  } __except (capture_code(GetExceptionCode(), (unsigned long*)&code)) {
    if (code == 0) code = (unsigned long)-1;
  }
  return code;
}

unsigned long winrpc_guarded_server_call(void* rpc_message) {
  volatile unsigned long code = 0;
  __try {
    NdrServerCall2((PRPC_MESSAGE)rpc_message);
  } __except (capture_code(GetExceptionCode(), (unsigned long*)&code)) {
    if (code == 0) code = (unsigned long)-1;
  }
  return code;
}

unsigned long winrpc_guarded_call_attributes(void* binding, void* attributes, long* status) {
  volatile unsigned long code = 0;
  __try {
    *status = RpcServerInqCallAttributesW((RPC_BINDING_HANDLE)binding, attributes);
  } __except (capture_code(GetExceptionCode(), (unsigned long*)&code)) {
    if (code == 0) code = (unsigned long)-1;
  }
  return code;
}

int winrpc_guard_can_unwind(const void* function) {
  if (function == NULL) return 0;
#if defined(_M_X64) || defined(__x86_64__) || defined(_M_ARM64) || defined(__aarch64__)
  DWORD64 image_base = 0;
  return RtlLookupFunctionEntry((DWORD64)(ULONG_PTR)function, &image_base, NULL) != NULL;
#else
  return 1;
#endif
}

/* Memory reads for JS: an access violation here means a wrong address, not a corrupt
   process (nothing is written), so it is caught and reported. */
static int capture_read_fault(unsigned long code, unsigned long* captured) {
  if (code == 0xC0000005UL || code == 0xC0000006UL || code == 0x80000002UL) {
    *captured = code;
    return EXCEPTION_EXECUTE_HANDLER;
  }
  return capture_code(code, captured);
}

unsigned long winrpc_guarded_read(void* destination, const void* source, size_t size) {
  volatile unsigned long code = 0;
  __try {
    memcpy(destination, source, size);
  } __except (capture_read_fault(GetExceptionCode(), (unsigned long*)&code)) {
    if (code == 0) code = (unsigned long)-1;
  }
  return code;
}

unsigned long winrpc_guarded_units_before_nul(const void* source, unsigned unit, size_t max_units,
                                              size_t* units) {
  volatile unsigned long code = 0;
  __try {
    size_t n = 0;
    if (unit == 1) {
      const volatile unsigned char* p = (const volatile unsigned char*)source;
      while (n < max_units && p[n] != 0) ++n;
    } else {
      const volatile unsigned short* p = (const volatile unsigned short*)source;
      while (n < max_units && p[n] != 0) ++n;
    }
    *units = n;
  } __except (capture_read_fault(GetExceptionCode(), (unsigned long*)&code)) {
    if (code == 0) code = (unsigned long)-1;
  }
  return code;
}
