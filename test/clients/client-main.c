/* See client-main.h. Compiled with clang (the only compiler here with __try) or cl. */
#include "client-main.h"

#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>

void* __RPC_USER MIDL_user_allocate(size_t size) { return malloc(size); }

void __RPC_USER MIDL_user_free(void* p) { free(p); }

static unsigned long g_code;

/* The code is read in the filter: inside __except clang-14 reads 0 (WINDOWS-LANE.md). */
static int take_code(unsigned long code) {
  g_code = code;
  return EXCEPTION_EXECUTE_HANDLER;
}

unsigned long rpc_guard(guarded_call call, void* context) {
  g_code = 0;
  __try {
    call(context);
  } __except (take_code(GetExceptionCode())) {
  }
  return g_code;
}

int run_client(int argc, char** argv, RPC_BINDING_HANDLE* auto_handle, client_body body) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s <string binding> <mode> [args...]\n", argv[0]);
    return CLIENT_EXIT_USAGE;
  }
  _setmode(_fileno(stdout), _O_BINARY);
  setvbuf(stdout, NULL, _IONBF, 0);
  RPC_STATUS status = RpcBindingFromStringBindingA((RPC_CSTR)argv[1], auto_handle);
  if (status != RPC_S_OK) {
    fprintf(stderr, "RpcBindingFromStringBinding(%s): %lu\n", argv[1], (unsigned long)status);
    return CLIENT_EXIT_FAILURE;
  }
  int code = body(argc - 2, argv + 2);
  RpcBindingFree(auto_handle);
  return code;
}
