/* Manager routines of the sessions test server (sessions.idl). */
#include "sessions.h"

#include <stdlib.h>

#include "server-main.h"

static volatile LONG open_counters;

static COUNTER new_counter(LONG start) {
  LONG* value = malloc(sizeof *value);
  if (value == NULL) RpcRaiseException(RPC_S_OUT_OF_MEMORY);
  *value = start;
  InterlockedIncrement(&open_counters);
  return value;
}

static void free_counter(COUNTER counter) {
  free(counter);
  InterlockedDecrement(&open_counters);
}

void __cdecl OpenCounter(LONG start, COUNTER* counter) { *counter = new_counter(start); }

COUNTER __cdecl OpenCounterRet(LONG start) { return new_counter(start); }

LONG __cdecl NextValue(COUNTER counter) {
  LONG* value = counter;
  return (*value)++;
}

void __cdecl CloseCounter(COUNTER* counter) {
  free_counter(*counter);
  *counter = NULL;
}

LONG __cdecl OpenCounters(void) { return open_counters; }

/* A client that went away without closing its counters. */
void __RPC_USER COUNTER_rundown(COUNTER counter) { free_counter(counter); }

int main(int argc, char** argv) {
  return run_server(argc, argv, sessions_v1_0_s_ifspec, "sessions");
}
