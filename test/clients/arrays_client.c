/* arrays' MIDL-style client: fixed, varying, conformant and conformant-varying arrays in
   each direction, in structs and as parameters, two-dimensional arrays, fixed strings and
   arrays of string pointers. Not called: the expression-callback procedures (SumCounted,
   Squares2) and the first_is ones (SumFrom, SumFromLongs, FillFrom, SumByteWindow): widl 7
   parses no first_is, so its client would send another wire form than MIDL's; the fixed
   [string] array parameters (NameLength, NameLengthA): widl's client stub raises 1783
   (RPC_X_BAD_STUB_DATA) on them under Wine against the C server too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client-main.h"
/* The generated stub, included for its binding handle, CLIENT_HANDLE (see client-main.h). */
#include "arrays_c.c"

static void print_longs(const char* prefix, const LONG* values, int n) {
  printf("%s", prefix);
  for (int i = 0; i < n; i++) printf(" %ld", (long)values[i]);
  printf("\n");
}

static void structs_of_arrays(void) {
  Four four = {{1, 2, 3, 4}};
  ReverseFour(&four);
  print_longs("ReverseFour 1 2 3 4 ->", four.values, 4);
  Varying v;
  memset(&v, 0, sizeof v);
  v.len = 3;
  v.values[0] = 10;
  v.values[1] = 20;
  v.values[2] = 30;
  printf("SumVarying 10 20 30 -> %lld\n", (long long)SumVarying(&v));
  memset(&v, 0, sizeof v);
  FillVarying(5, &v);
  printf("FillVarying 5 -> %ld:", (long)v.len);
  print_longs("", v.values, v.len);
  Square square = {{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}};
  printf("Trace 1..9 -> %ld\n", (long)Trace(&square));
  Wide23 wide = {{{1, 2, 3}, {4, 5, 6}}};
  Tall32 tall;
  memset(&tall, 0, sizeof tall);
  Transpose(&wide, &tall);
  printf("Transpose 1..6 -> %d %d / %d %d / %d %d\n", tall.m[0][0], tall.m[0][1], tall.m[1][0],
         tall.m[1][1], tall.m[2][0], tall.m[2][1]);
}

static void windows(void) {
  LONG sent[3] = {1, 2, 3};
  printf("SumWindow 5 3 1 2 3 -> %lld\n", (long long)SumWindow(5, 3, sent));
  LONG grow[4] = {5, 6, 0, 0};
  LONG len = 2;
  GrowWindow(4, &len, grow);
  printf("GrowWindow 4 2 5 6 -> %ld:", (long)len);
  print_longs("", grow, len);
  hyper negate[4] = {5, -6, 0, 0};
  NegateWindow(4, 2, negate);
  printf("NegateWindow 4 2 5 -6 -> %lld %lld\n", (long long)negate[0], (long long)negate[1]);
}

static void parameters(void) {
  LONG five[5] = {1, 2, 3, 4, 5};
  printf("SumFive 1..5 -> %lld\n", (long long)SumFive(five));
  LONG four[4] = {1, 2, 3, 4};
  ReverseParam(four);
  print_longs("ReverseParam 1 2 3 4 ->", four, 4);
  short squares[6] = {0};
  Squares(squares);
  printf("Squares -> %d %d %d %d %d %d\n", squares[0], squares[1], squares[2], squares[3],
         squares[4], squares[5]);
  LONG eight[8] = {1, 2, 3, 100, 100, 100, 100, 100};
  printf("SumFirst 3 of 1 2 3 100.. -> %lld\n", (long long)SumFirst(3, eight));
  printf("SumAll 4 1 2 3 4 -> %lld\n", (long long)SumAll(4, four));
  LONG m[3][3] = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
  printf("TraceParam 1..9 -> %ld\n", (long)TraceParam(m));
  printf("SumOrMinusOne 4 1 2 3 4 -> %ld\n", (long)SumOrMinusOne(4, four));
  printf("SumOrMinusOne NULL -> %ld\n", (long)SumOrMinusOne(0, NULL));
}

static void print_names(const WSTR* names, int n) {
  for (int i = 0; i < n; i++) {
    if (names[i] == NULL) printf(" NULL");
    else printf(" %ls", names[i]);
  }
  printf("\n");
}

static void strings(void) {
  WSTR sent[3] = {L"ab", NULL, L"cde"};
  LONG nulls = -1;
  LONG total = TotalLength(3, sent, &nulls);
  printf("TotalLength ab NULL cde -> %ld nulls %ld\n", (long)total, (long)nulls);
  WSTR made[4] = {NULL, NULL, NULL, NULL};
  MakeNames(4, made);
  printf("MakeNames 4 ->");
  print_names(made, 4);
  for (int i = 0; i < 4; i++) MIDL_user_free(made[i]);
}

/* SuffixNames with the given names ("NULL" for a NULL pointer): the names the server sent
   back, or the status it raised. The client's stub writes each returned string into the
   memory of the one it sent (a non-NULL pointer), or into memory it allocates (NULL). */
struct suffix_call {
  LONG n;
  WSTR* names;
};
static void call_suffix_names(void* context) {
  struct suffix_call* call = context;
  SuffixNames(call->n, call->names);
}

static int suffix(int argc, char** argv) {
  WSTR names[8] = {NULL};
  wchar_t text[8][32];
  const int n = argc < 8 ? argc : 8;
  printf("SuffixNames");
  for (int i = 0; i < n; i++) {
    printf(" %s", argv[i]);
    if (strcmp(argv[i], "NULL") == 0) continue;
    mbstowcs(text[i], argv[i], 31);
    text[i][31] = 0;
    names[i] = text[i];
  }
  struct suffix_call call = {n, names};
  unsigned long code = rpc_guard(call_suffix_names, &call);
  if (code != 0) {
    printf(" -> status %lu\n", code);
    return CLIENT_EXIT_OK;
  }
  printf(" ->");
  print_names(names, n);
  return CLIENT_EXIT_OK;
}

static int body(int argc, char** argv) {
  if (strcmp(argv[0], "suffix") == 0 && argc >= 2) return suffix(argc - 1, argv + 1);
  if (strcmp(argv[0], "values") != 0) return CLIENT_EXIT_USAGE;
  structs_of_arrays();
  windows();
  parameters();
  strings();
  const char* suffix_args[] = {"ab", "NULL", "c"};
  return suffix(3, (char**)suffix_args);
}

int main(int argc, char** argv) { return run_client(argc, argv, &CLIENT_HANDLE, body); }
