/* calc's MIDL-style client: plain calls, an [out] parameter, and statuses raised by the
   server (a status thrown by a JS implementation must reach C as RpcRaiseException's). */
#include <stdio.h>
#include <string.h>

#include "client-main.h"
/* The generated stub, included for its binding handle, CLIENT_HANDLE (see client-main.h). */
#include "calc_c.c"

struct divide_call {
  long a, b, quotient, remainder;
};

static void call_divide(void* context) {
  struct divide_call* c = context;
  c->quotient = Divide(c->a, c->b, &c->remainder);
}

static void call_fail(void* context) { Fail(*(long*)context); }

static void divide(long a, long b) {
  struct divide_call c = {a, b, 0, 0};
  unsigned long code = rpc_guard(call_divide, &c);
  if (code != 0)
    printf("Divide %ld %ld -> status %lu\n", a, b, code);
  else
    printf("Divide %ld %ld -> %ld remainder %ld\n", a, b, c.quotient, c.remainder);
}

static int body(int argc, char** argv) {
  (void)argc;
  if (strcmp(argv[0], "values") != 0) return CLIENT_EXIT_USAGE;
  printf("Add 2 3 -> %ld\n", (long)Add(2, 3));
  printf("Add 2147483647 1 -> %ld\n", (long)Add(2147483647, 1));
  divide(17, 5);
  divide(-17, 5);
  divide(1, 0);
  long status = 1783;
  printf("Fail 1783 -> status %lu\n", rpc_guard(call_fail, &status));
  status = 5;
  printf("Fail 5 -> status %lu\n", rpc_guard(call_fail, &status));
  printf("Delay 20 -> %ld\n", (long)Delay(20));
  return CLIENT_EXIT_OK;
}

int main(int argc, char** argv) { return run_client(argc, argv, &CLIENT_HANDLE, body); }
