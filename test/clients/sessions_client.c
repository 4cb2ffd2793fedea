/* sessions' MIDL-style client: context handles opened ([out] and returned), used,
   closed ([in, out] comes back NULL), and held until the process is killed, so the
   server must run them down. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client-main.h"
/* The generated stub, included for its binding handle, CLIENT_HANDLE (see client-main.h). */
#include "sessions_c.c"

/* Opens, uses and closes counters; every line is a value the server computed. */
static int use(void) {
  COUNTER a = NULL;
  OpenCounter(10, &a);
  printf("OpenCounter 10 -> %s\n", a ? "handle" : "NULL");
  printf("NextValue -> %ld\n", (long)NextValue(a));
  printf("NextValue -> %ld\n", (long)NextValue(a));
  COUNTER b = OpenCounterRet(-3);
  printf("OpenCounterRet -3 -> %s\n", b ? "handle" : "NULL");
  printf("NextValue -> %ld\n", (long)NextValue(b));
  printf("NextValue first -> %ld\n", (long)NextValue(a));
  printf("OpenCounters -> %ld\n", (long)OpenCounters());
  CloseCounter(&a);
  printf("CloseCounter -> %s\n", a ? "handle" : "NULL");
  printf("OpenCounters -> %ld\n", (long)OpenCounters());
  CloseCounter(&b);
  printf("CloseCounter -> %s\n", b ? "handle" : "NULL");
  return CLIENT_EXIT_OK;
}

/* Opens n counters, says so, and holds them until killed. */
static int hold(int n) {
  for (int i = 0; i < n; i++) {
    COUNTER c = NULL;
    OpenCounter(100 + i, &c);
    if (!c) return CLIENT_EXIT_FAILURE;
  }
  printf("open %d\n", n);
  for (;;) Sleep(1000);
}

static void call_open_counters(void* context) { *(long*)context = (long)OpenCounters(); }

static int body(int argc, char** argv) {
  if (strcmp(argv[0], "use") == 0) return use();
  if (strcmp(argv[0], "hold") == 0 && argc == 2) return hold(atoi(argv[1]));
  if (strcmp(argv[0], "count") == 0) {
    /* Guarded, so a failed call prints its status rather than ending the process with
       an unhandled exception (the test then says what the server answered). */
    long open = 0;
    unsigned long code = rpc_guard(call_open_counters, &open);
    if (code != 0)
      printf("OpenCounters -> status %lu\n", code);
    else
      printf("OpenCounters -> %ld\n", open);
    return CLIENT_EXIT_OK;
  }
  return CLIENT_EXIT_USAGE;
}

int main(int argc, char** argv) { return run_client(argc, argv, &CLIENT_HANDLE, body); }
