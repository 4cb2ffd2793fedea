#include "seh_guard.h"

#include <windows.h>

static int capture_code(unsigned long code, unsigned long* captured) {
  *captured = code;
  return EXCEPTION_EXECUTE_HANDLER;
}

unsigned long winrpc_seh_guard(winrpc_guarded_fn fn, void* context) {
  /* volatile: the value is written in the filter and read after the unwind. */
  volatile unsigned long code = 0;
  __try {
    fn(context);
  } __except (capture_code(GetExceptionCode(), (unsigned long*)&code)) {
    /* Some exception codes are 0-free by definition, but guard against 0 anyway so
       the caller can always tell an exception from a normal return. */
    if (code == 0) code = (unsigned long)-1;
  }
  return code;
}

void winrpc_seh_raise(unsigned long code) { RaiseException(code, 0, 0, NULL); }
