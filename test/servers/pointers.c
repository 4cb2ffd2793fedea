/* Manager routines of the pointers test server (pointers.idl). */
#include "pointers.h"

#include "server-main.h"

LONG __cdecl Deref2(LONG** pp) { return *pp == NULL ? -1 : **pp; }

void __cdecl MakePtrPtr(LONG v, LONG** pp) {
  if (v == 0) {
    *pp = NULL;
    return;
  }
  *pp = MIDL_user_allocate(sizeof(LONG));
  if (*pp == NULL) RpcRaiseException(RPC_S_OUT_OF_MEMORY);
  **pp = v;
}

LONG __cdecl SameTarget(Box* a, Box* b) {
  if (a == NULL || b == NULL) return -1;
  return a == b ? 1 : 0;
}

static Box* new_box(LONG value) {
  Box* box = MIDL_user_allocate(sizeof(Box));
  if (box == NULL) RpcRaiseException(RPC_S_OUT_OF_MEMORY);
  box->value = value;
  return box;
}

void __cdecl MakePair(LONG value, LONG shared, Pair* pair) {
  pair->first = new_box(value);
  pair->second = shared ? pair->first : new_box(value + 1);
}

int main(int argc, char** argv) {
  return run_server(argc, argv, pointers_v1_0_s_ifspec, "pointers");
}
