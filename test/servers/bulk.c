/* Manager routines of the bulk-data bench server (bulk.idl). */
#include "bulk.h"

#include "server-main.h"

LONG __cdecl PutBytes(LONG n, const byte* data) {
  ULONG sum = 0;
  for (LONG i = 0; i < n; ++i) sum += data[i];
  return (LONG)sum;
}

void __cdecl GetBytes(LONG n, byte* data) {
  for (LONG i = 0; i < n; ++i) data[i] = (byte)(i & 0xff);
}

void __cdecl Shutdown(void) { stop_server(); }

int main(int argc, char** argv) { return run_server(argc, argv, bulk_v1_0_s_ifspec, "bulk"); }
