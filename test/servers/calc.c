/* Manager routines of the calc test server (calc.idl). */
#include "calc.h"

#include "server-main.h"

LONG __cdecl Add(LONG a, LONG b) {
  /* Unsigned arithmetic: wrap-around instead of signed-overflow UB. */
  return (LONG)((ULONG)a + (ULONG)b);
}

LONG __cdecl Divide(LONG a, LONG b, LONG* remainder) {
  if (b == 0) {
    RpcRaiseException(RPC_S_ZERO_DIVIDE);
  }
  if (b == -1) {
    /* LONG_MIN / -1 overflows (and traps on x64): the wrapped result. */
    *remainder = 0;
    return (LONG)(0u - (ULONG)a);
  }
  *remainder = a % b;
  return a / b;
}

LONG __cdecl Delay(LONG ms) {
  Sleep(ms > 0 ? (DWORD)ms : 0);
  return ms;
}

void __cdecl Fail(LONG status) { RpcRaiseException((RPC_STATUS)status); }

void __cdecl Shutdown(void) { stop_server(); }

int main(int argc, char** argv) { return run_server(argc, argv, calc_v1_0_s_ifspec, "calc"); }
