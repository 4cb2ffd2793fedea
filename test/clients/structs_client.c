/* structs' MIDL-style client: a padded fixed struct, conformant and conformant-varying
   structs (a trailing array, a trailing string), structs with embedded pointers sent,
   received and allocated by the stub, nested padded structs, arrays of structs, [range]
   fields and a 16-bit enum. Not called: CheckTagged ([ignore]: Wine's engine mishandles
   FC_IGNORE, structs.test.ts). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client-main.h"
/* The generated stub, included for its binding handle, CLIENT_HANDLE (see client-main.h). */
#include "structs_c.c"

static void fixed_and_conformant(void) {
  Fixed in = {7, {1, 2, 3}, {'a', 'b', 'y', 'z'}, 1LL << 40};
  Fixed out;
  memset(&out, 0, sizeof out);
  EchoFixed(&in, &out);
  printf("EchoFixed 7 1 2 3 abyz 2^40 -> %d %ld %ld %ld %c%c%c%c %lld\n", out.id, (long)out.values[0],
         (long)out.values[1], (long)out.values[2], out.tag[0], out.tag[1], out.tag[2], out.tag[3],
         (long long)out.big);
  /* The C types declare one trailing element; n of them follow the count. */
  Counted* counted = malloc(sizeof(Counted) + 3 * sizeof(LONG));
  counted->n = 4;
  for (LONG i = 0; i < 4; i++) counted->data[i] = i + 1;
  printf("SumCounted 1 2 3 4 -> %lld\n", (long long)SumCounted(counted));
  DoubleCounted(counted);
  printf("DoubleCounted 1 2 3 4 -> %ld %ld %ld %ld\n", (long)counted->data[0], (long)counted->data[1],
         (long)counted->data[2], (long)counted->data[3]);
  free(counted);
  Counted* made = NULL;
  MakeCounted(4, &made);
  printf("MakeCounted 4 -> %ld: %ld %ld %ld %ld\n", made ? (long)made->n : -1L, (long)made->data[0],
         (long)made->data[1], (long)made->data[2], (long)made->data[3]);
  MIDL_user_free(made);
  made = &(Counted){0};
  MakeCounted(-1, &made);
  printf("MakeCounted -1 -> %s\n", made == NULL ? "NULL" : "a struct");
  Window* window = malloc(sizeof(Window) + 4 * sizeof(LONG));
  window->size = 5;
  window->len = 2;
  window->data[0] = 3;
  window->data[1] = 4;
  printf("SumWindow 5 2 3 4 -> %lld\n", (long long)SumWindow(window));
  free(window);
  Label* label = malloc(sizeof(Label) + 15 * sizeof(wchar_t));
  label->capacity = 16;
  wcscpy(label->text, L"abc");
  ULONG code_sum = 0;
  printf("LabelLength abc -> %ld sum %lu\n", (long)LabelLength(label, &code_sum), (unsigned long)code_sum);
  ReverseLabel(label);
  printf("ReverseLabel abc -> %ls\n", label->text);
  free(label);
}

static void embedded_pointers(void) {
  LONG optional = 41;
  Box box = {9};
  Record full = {3, &optional, L"rec", &box, 100};
  LONG units = -1;
  printf("DescribeRecord full -> %ld units %ld\n", (long)DescribeRecord(&full, &units), (long)units);
  Record bare = {0, NULL, NULL, NULL, 0};
  printf("DescribeRecord bare -> %ld units %ld\n", (long)DescribeRecord(&bare, &units), (long)units);
  Record next;
  memset(&next, 0, sizeof next);
  NextRecord(&full, &next);
  printf("NextRecord full -> %d %ld %ls %ld %lld\n", next.kind, next.optional ? (long)*next.optional : -1L,
         next.name ? next.name : L"NULL", next.box ? (long)next.box->value : -1L, (long long)next.stamp);
  MIDL_user_free(next.optional);
  MIDL_user_free(next.name);
  MIDL_user_free(next.box);
  Record* made = NULL;
  MakeRecord(4, &made);
  printf("MakeRecord 4 -> %d %ld %ls %ld %lld\n", made->kind, made->optional ? (long)*made->optional : -1L,
         made->name, made->box ? (long)made->box->value : -1L, (long long)made->stamp);
  Record records[3] = {full, bare, {1, NULL, L"x", &box, 0}};
  printf("SumBoxes full bare x -> %ld\n", (long)SumBoxes(3, records));
}

static void nested_and_ranged(void) {
  Outer in = {1, {'a', 1LL << 33, -2}, 7, 1.25, 'y'};
  Outer out;
  memset(&out, 0, sizeof out);
  NextOuter(&in, &out);
  printf("NextOuter -> %d %c %lld %d %d %g %c\n", out.a, out.inner.c, (long long)out.inner.h, out.inner.s,
         out.b, out.d, out.e);
  Inner items[2] = {{'a', 10, 1}, {'b', 20, -3}};
  printf("SumInners 10+1 20-3 -> %lld\n", (long long)SumInners(2, items));
  Inner made[3];
  memset(made, 0, sizeof made);
  MakeInners(3, made);
  printf("MakeInners 3 -> %c %lld %d / %c %lld %d / %c %lld %d\n", made[0].c, (long long)made[0].h, made[0].s,
         made[1].c, (long long)made[1].h, made[1].s, made[2].c, (long long)made[2].h, made[2].s);
  printf("Ranged 100 -> %ld\n", (long)Ranged(100));
  Bounded bounded = {42};
  printf("BoundedValue 42 -> %ld\n", (long)BoundedValue(&bounded));
  memset(&bounded, 0, sizeof bounded);
  MakeBounded(7, &bounded);
  printf("MakeBounded 7 -> %ld\n", (long)bounded.v);
  printf("WideValue 32767 -> %ld\n", (long)WideValue(WIDE_EDGE));
}

static int body(int argc, char** argv) {
  (void)argc;
  if (strcmp(argv[0], "values") != 0) return CLIENT_EXIT_USAGE;
  fixed_and_conformant();
  embedded_pointers();
  nested_and_ranged();
  return CLIENT_EXIT_OK;
}

int main(int argc, char** argv) { return run_client(argc, argv, &CLIENT_HANDLE, body); }
