/* unions' MIDL-style client: a non-encapsulated union (switch_type / switch_is) in each
   direction, its default arm and a discriminant only known after the call, an
   encapsulated union sent and received, and __int3264. Scalar arms only, as unions.idl
   says: Wine's client cannot send a top-level union whose arm is a non-NULL pointer, and
   widl mis-generates unions embedded in structs (so no such IDL is called here). NextNumber
   is called only where its reply does not depend on the [in] arm's value: widl's client
   stub sends that union's value as zero (i=7 came back as d=0.5, d=2.75 as h=0, from the C
   server and both JS twins alike, where 7.5 and 2000 were due; winrpc's client gets the
   right arms from each: unions.test.ts). */
#include <stdio.h>
#include <string.h>

#include "client-main.h"
/* The generated stub, included for its binding handle, CLIENT_HANDLE (see client-main.h). */
#include "unions_c.c"

static void numbers(void) {
  Number n;
  memset(&n, 0, sizeof n);
  n.i = 7;
  printf("NumberValue 1 i=7 -> %g\n", NumberValue(1, &n));
  n.d = 2.5;
  printf("NumberValue 2 d=2.5 -> %g\n", NumberValue(2, &n));
  n.h = 1LL << 40;
  printf("NumberValue 4 h=2^40 -> %g\n", NumberValue(4, &n));
  printf("NumberValue 9 (default) -> %g\n", NumberValue(9, &n));
  static const struct {
    LONG kind;
    const char* sent;
  } chain[] = {{3, "h=5"}, {9, "default"}};
  for (size_t k = 0; k < sizeof chain / sizeof chain[0]; k++) {
    memset(&n, 0, sizeof n);
    if (chain[k].kind == 3) n.h = 5;
    LONG next_kind = -1;
    Number next;
    memset(&next, 0, sizeof next);
    NextNumber(chain[k].kind, &n, &next_kind, &next);
    printf("NextNumber %ld %s -> %ld", (long)chain[k].kind, chain[k].sent, (long)next_kind);
    if (next_kind == 1) printf(" i=%ld\n", (long)next.i);
    else if (next_kind == 2) printf(" d=%g\n", next.d);
    else if (next_kind == 3 || next_kind == 4) printf(" h=%lld\n", (long long)next.h);
    else printf(" (default)\n");
  }
}

static void shapes(void) {
  Shape s;
  memset(&s, 0, sizeof s);
  s.kind = 1;
  s.u.radius = 2;
  printf("ShapeArea circle 2 -> %g\n", ShapeArea(&s));
  s.kind = 2;
  s.u.side = 1.5;
  printf("ShapeArea square 1.5 -> %g\n", ShapeArea(&s));
  s.kind = 5;
  printf("ShapeArea default -> %g\n", ShapeArea(&s));
  memset(&s, 0, sizeof s);
  MakeShape(3, &s);
  printf("MakeShape 3 -> kind %d side %g\n", (int)s.kind, s.u.side);
  memset(&s, 0, sizeof s);
  MakeShape(-4, &s);
  printf("MakeShape -4 -> kind %d radius %ld\n", (int)s.kind, (long)s.u.radius);
}

static void pointer_sized(void) {
  __int3264 p = -5;
  __int3264 twice = TwicePtrSized(21, &p);
  printf("TwicePtrSized 21 -5 -> %lld %lld\n", (long long)twice, (long long)p);
}

static int body(int argc, char** argv) {
  (void)argc;
  if (strcmp(argv[0], "values") != 0) return CLIENT_EXIT_USAGE;
  numbers();
  shapes();
  pointer_sized();
  return CLIENT_EXIT_OK;
}

int main(int argc, char** argv) { return run_client(argc, argv, &CLIENT_HANDLE, body); }
