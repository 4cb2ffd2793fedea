/* pointers' MIDL-style client: pointers to pointers, and full pointers ([ptr]) whose
   aliasing NDR keeps: one object sent through two pointers must arrive as one, and a
   reply's two pointers to one object must come back as one. */
#include <stdio.h>
#include <string.h>

#include "client-main.h"
/* The generated stub, included for its binding handle, CLIENT_HANDLE (see client-main.h). */
#include "pointers_c.c"

static int body(int argc, char** argv) {
  (void)argc;
  if (strcmp(argv[0], "values") != 0) return CLIENT_EXIT_USAGE;
  LONG seven = 7, *p = &seven, *none = NULL;
  printf("Deref2 7 -> %ld\n", (long)Deref2(&p));
  printf("Deref2 NULL -> %ld\n", (long)Deref2(&none));
  LONG* made = NULL;
  MakePtrPtr(42, &made);
  printf("MakePtrPtr 42 -> %ld\n", made ? (long)*made : -999L);
  MIDL_user_free(made);
  made = &seven;
  MakePtrPtr(0, &made);
  printf("MakePtrPtr 0 -> %s\n", made ? "pointer" : "NULL");
  Box one = {1}, other = {1};
  printf("SameTarget one one -> %ld\n", (long)SameTarget(&one, &one));
  printf("SameTarget one other -> %ld\n", (long)SameTarget(&one, &other));
  printf("SameTarget one NULL -> %ld\n", (long)SameTarget(&one, NULL));
  for (LONG shared = 0; shared <= 1; shared++) {
    Pair pair;
    memset(&pair, 0, sizeof pair);
    MakePair(5, shared, &pair);
    printf("MakePair 5 %ld -> %ld %ld %s\n", (long)shared,
           pair.first ? (long)pair.first->value : -1L, pair.second ? (long)pair.second->value : -1L,
           pair.first == pair.second ? "one object" : "two objects");
  }
  return CLIENT_EXIT_OK;
}

int main(int argc, char** argv) { return run_client(argc, argv, &CLIENT_HANDLE, body); }
