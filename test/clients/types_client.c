/* types' MIDL-style client: scalars of each width in every direction, floating point
   mixed with integers in registers, strings, a padded struct, unique pointers and
   arrays. The server transforms what it receives (types.idl), so every line is a value
   the server computed, not an echo of what the client sent. */
#include <stdio.h>
#include <string.h>

#include "client-main.h"
/* The generated stub, included for its binding handle, CLIENT_HANDLE (see client-main.h). */
#include "types_c.c"

static void scalars(void) {
  printf("EchoBoolean 1 -> %d\n", (int)EchoBoolean(1));
  byte b = 255;
  InOutByte(&b);
  printf("InOutByte 255 -> %u\n", (unsigned)b);
  small s = 0;
  OutSmall(127, &s);
  printf("OutSmall 127 -> %d\n", (int)s);
  short sh = 0;
  OutShort(-2, &sh);
  printf("OutShort -2 -> %d\n", (int)sh);
  printf("EchoLong -123456 -> %ld\n", (long)EchoLong(-123456));
  LONG l = 2147483647;
  InOutLong(&l);
  printf("InOutLong 2147483647 -> %ld\n", (long)l);
  hyper h = 0;
  OutHyper(0x7ffffffffffffffeLL, &h);
  printf("OutHyper 9223372036854775806 -> %lld\n", (long long)h);
  wchar_t w = 0;
  OutWchar(0x263a, &w);
  printf("OutWchar 0x263a -> 0x%x\n", (unsigned)w);
  printf("EchoFloat 1.5 -> %g\n", (double)EchoFloat(1.5f));
  double d = 0.25;
  InOutDouble(&d);
  printf("InOutDouble 0.25 -> %g\n", d);
  Shape shape = SHAPE_TRIANGLE;
  InOutShape(&shape);
  printf("InOutShape 9 -> %d\n", (int)shape);
  Level level = LEVEL_LOW;
  OutLevel(LEVEL_HIGH, &level);
  printf("OutLevel 100000 -> %d\n", (int)level);
  printf("MixedArgs 1 2.5 3.5 4 5.25 6 7.75 -> %g\n", MixedArgs(1, 2.5, 3.5f, 4, 5.25, 6, 7.75f));
}

static void strings(void) {
  ULONG sum = 0;
  LONG n = StringLengthA("hello", &sum);
  printf("StringLengthA hello -> %ld sum %lu\n", (long)n, (unsigned long)sum);
  n = StringLengthW(L"h\u00e9\u263a", &sum);
  printf("StringLengthW h\\u00e9\\u263a -> %ld sum %lu\n", (long)n, (unsigned long)sum);
  char buf[16] = "shout";
  ShoutA(sizeof buf, buf);
  printf("ShoutA shout -> %s\n", buf);
  wchar_t wbuf[6] = L"quiet";
  ShoutW(6, wbuf);
  printf("ShoutW quiet (no room) -> %ls\n", wbuf);
}

static void pointers_and_arrays(void) {
  LONG five = 5;
  printf("UniqueOrDefault NULL 9 -> %ld\n", (long)UniqueOrDefault(NULL, 9));
  printf("UniqueOrDefault 5 9 -> %ld\n", (long)UniqueOrDefault(&five, 9));
  printf("UniqueStringLength NULL 7 -> %ld\n", (long)UniqueStringLength(NULL, 7));
  printf("UniqueStringLength abcd 7 -> %ld\n", (long)UniqueStringLength("abcd", 7));
  Point3 in = {-1, 0x100000000LL, 2.5, 32767, 'a'};
  Point3 out;
  memset(&out, 0, sizeof out);
  TransformPoint(&in, &out);
  printf("TransformPoint -1 4294967296 2.5 32767 a -> %ld %lld %g %d %c\n", (long)out.x,
         (long long)out.y, out.z, (int)out.tag, out.c);
  LONG values[4] = {1, -2, 2147483647, 2147483647};
  printf("SumLongs 1 -2 2147483647 2147483647 -> %lld\n", (long long)SumLongs(4, values));
  printf("SumLongs (none) -> %lld\n", (long long)SumLongs(0, values));
  LONG filled[5] = {0};
  LONG len = -1;
  FillLongs(5, 3, &len, filled);
  printf("FillLongs 5 3 -> %ld: %ld %ld %ld\n", (long)len, (long)filled[0], (long)filled[1],
         (long)filled[2]);
  double scaled[3] = {1, -0.5, 3};
  ScaleDoubles(3, scaled, 4);
  printf("ScaleDoubles 1 -0.5 3 by 4 -> %g %g %g\n", scaled[0], scaled[1], scaled[2]);
}

static int body(int argc, char** argv) {
  (void)argc;
  if (strcmp(argv[0], "values") != 0) return CLIENT_EXIT_USAGE;
  scalars();
  strings();
  pointers_and_arrays();
  return CLIENT_EXIT_OK;
}

int main(int argc, char** argv) { return run_client(argc, argv, &CLIENT_HANDLE, body); }
