/* Manager routines of the generic-handle test server (generic.idl). */
#include "generic.h"

#include <wchar.h>

#include "server-main.h"

LONG __cdecl NameLength(SERVER_NAME server, LONG x, LONG* length) {
  *length = server != NULL ? (LONG)wcslen(server) : -1;
  return x + 1;
}

LONG __cdecl LateName(LONG x, SERVER_NAME server) {
  return server != NULL ? (LONG)server[0] * 1000 + x : -1;
}

int main(int argc, char** argv) { return run_server(argc, argv, generic_v1_0_s_ifspec, "generic"); }
