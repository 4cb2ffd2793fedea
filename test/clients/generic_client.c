/* generic's MIDL-style client: generic binding handles ([handle] typedefs). The stub
   calls SERVER_NAME_bind with the parameter's value to get a binding handle, and sends
   that value as a string; the server must see what was passed, NULL included. */
#include <stdio.h>
#include <string.h>

#include "client-main.h"
#include "generic_c.c"

/* Bound by run_client; every generic handle binds to the same server. */
static RPC_BINDING_HANDLE g_binding;

handle_t __RPC_USER SERVER_NAME_bind(SERVER_NAME name) {
  (void)name;
  RPC_BINDING_HANDLE copy = NULL;
  return RpcBindingCopy(g_binding, &copy) == RPC_S_OK ? copy : NULL;
}

void __RPC_USER SERVER_NAME_unbind(SERVER_NAME name, handle_t h) {
  (void)name;
  RpcBindingFree(&h);
}

static int body(int argc, char** argv) {
  (void)argc;
  if (strcmp(argv[0], "values") != 0) return CLIENT_EXIT_USAGE;
  LONG length = -2;
  LONG r = NameLength(L"server\u00e9", 41, &length);
  printf("NameLength server\\u00e9 41 -> %ld length %ld\n", (long)r, (long)length);
  r = NameLength(NULL, 1, &length);
  printf("NameLength NULL 1 -> %ld length %ld\n", (long)r, (long)length);
  printf("LateName 7 zed -> %ld\n", (long)LateName(7, L"zed"));
  return CLIENT_EXIT_OK;
}

int main(int argc, char** argv) { return run_client(argc, argv, &g_binding, body); }
