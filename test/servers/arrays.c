/* Manager routines of the arrays test server (arrays.idl). */
#include "arrays.h"

#include <string.h>

#include "server-main.h"

static void* must_allocate(size_t size) {
  void* p = MIDL_user_allocate(size);
  if (p == NULL) RpcRaiseException(RPC_S_OUT_OF_MEMORY);
  return p;
}

static WSTR copy_with_suffix(const wchar_t* text, const wchar_t* suffix) {
  size_t length = wcslen(text), extra = wcslen(suffix);
  WSTR copy = must_allocate(sizeof(wchar_t) * (length + extra + 1));
  memcpy(copy, text, sizeof(wchar_t) * length);
  memcpy(copy + length, suffix, sizeof(wchar_t) * (extra + 1));
  return copy;
}

void __cdecl ReverseFour(Four* f) {
  for (int i = 0, j = 3; i < j; i++, j--) {
    LONG t = f->values[i];
    f->values[i] = f->values[j];
    f->values[j] = t;
  }
}

hyper __cdecl SumVarying(const Varying* v) {
  hyper sum = 0;
  for (LONG i = 0; i < v->len; i++) sum += v->values[i];
  return sum;
}

void __cdecl FillVarying(LONG count, Varying* v) {
  v->len = count < 8 ? count : 8;
  for (LONG i = 0; i < v->len; i++) v->values[i] = 10 * i;
}

hyper __cdecl SumWindow(LONG size, LONG len, const LONG* values) {
  hyper sum = 0;
  for (LONG i = 0; i < len; i++) sum += values[i];
  return sum * 1000 + size;
}

void __cdecl GrowWindow(LONG size, LONG* len, LONG* values) {
  for (LONG i = 0; i < *len; i++) values[i] *= 2;
  if (*len < size) values[(*len)++] = -1;
}

LONG __cdecl Trace(const Square* s) { return s->m[0][0] + s->m[1][1] + s->m[2][2]; }

void __cdecl Transpose(const Wide23* m, Tall32* t) {
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 3; j++) t->m[j][i] = m->m[i][j];
}

LONG __cdecl TotalLength(LONG n, const WSTR* names, LONG* nulls) {
  LONG total = 0;
  *nulls = 0;
  for (LONG i = 0; i < n; i++) {
    if (names[i] == NULL)
      ++*nulls;
    else
      total += (LONG)wcslen(names[i]);
  }
  return total;
}

void __cdecl MakeNames(LONG n, WSTR* names) {
  for (LONG i = 0; i < n; i++) {
    wchar_t name[16] = L"item ", digits[12];
    int count = 0;
    ULONG rest = (ULONG)i;
    names[i] = NULL;
    if (i % 3 == 2) continue;
    /* "item <i>" without swprintf, whose signature differs between C runtimes. */
    do digits[count++] = (wchar_t)(L'0' + rest % 10);
    while ((rest /= 10) != 0);
    size_t at = wcslen(name);
    while (count > 0) name[at++] = digits[--count];
    name[at] = 0;
    names[i] = copy_with_suffix(name, L"");
  }
}

void __cdecl SuffixNames(LONG n, WSTR* names) {
  for (LONG i = 0; i < n; i++) {
    if (names[i] == NULL) continue;
    /* A client's NDR engine unmarshals an [in, out] string into the memory the old one
       had, so a reply must not be longer. The old string may sit in the request
       buffer: replace it, never free it. */
    WSTR upper = copy_with_suffix(names[i], L"");
    for (WSTR c = upper; *c != 0; c++)
      if (*c >= L'a' && *c <= L'z') *c = (wchar_t)(*c - L'a' + L'A');
    names[i] = upper;
  }
}

hyper __cdecl SumFive(LONG values[5]) {
  hyper sum = 0;
  for (int i = 0; i < 5; i++) sum += values[i];
  return sum;
}

void __cdecl ReverseParam(LONG values[4]) {
  Four f;
  memcpy(f.values, values, sizeof f.values);
  ReverseFour(&f);
  memcpy(values, f.values, sizeof f.values);
}

void __cdecl Squares(short squares[6]) {
  for (short i = 0; i < 6; i++) squares[i] = (short)(i * i);
}

hyper __cdecl SumFirst(LONG len, LONG values[8]) {
  hyper sum = 0;
  for (LONG i = 0; i < len; i++) sum += values[i];
  return sum;
}

hyper __cdecl SumAll(LONG n, const LONG values[]) {
  hyper sum = 0;
  for (LONG i = 0; i < n; i++) sum += values[i];
  return sum;
}

void __cdecl NegateWindow(LONG size, LONG len, hyper values[]) {
  (void)size;
  for (LONG i = 0; i < len; i++) values[i] = -values[i];
}

LONG __cdecl TraceParam(LONG m[3][3]) { return m[0][0] + m[1][1] + m[2][2]; }

LONG __cdecl NameLength(wchar_t name[16]) { return (LONG)wcslen(name); }

LONG __cdecl NameLengthA(char name[16]) { return (LONG)strlen((char*)name); }

LONG __cdecl SumOrMinusOne(LONG n, LONG values[]) {
  if (values == NULL) return -1;
  LONG sum = 0;
  for (LONG i = 0; i < n; i++) sum += values[i];
  return sum;
}

hyper __cdecl SumCounted(LONG n, LONG* pn, LONG* values) {
  LONG count = pn ? *pn : n * 2;
  hyper sum = 0;
  for (LONG i = 0; i < count; i++) sum += values[i];
  return sum;
}

void __cdecl Squares2(LONG* pn, LONG* values) {
  for (LONG i = 0; pn && i < *pn; i++) values[i] = i * i;
}

hyper __cdecl SumFrom(LONG first, LONG len, byte values[16]) {
  hyper sum = 0;
  for (LONG i = first; i < first + len && i < 16; i++) sum += (hyper)values[i] * (i + 1);
  return sum;
}

hyper __cdecl SumByteWindow(const ByteWindow* w) {
  hyper sum = 0;
  for (LONG i = w->first; i < w->first + w->len && i < 12; i++) sum += (hyper)w->data[i] * (i + 1);
  return sum;
}

hyper __cdecl SumFromLongs(LONG first, LONG len, LONG values[16]) {
  hyper sum = 0;
  for (LONG i = first; i < first + len && i < 16; i++) sum += (hyper)values[i] * (i + 1);
  return sum;
}

void __cdecl FillFrom(LONG first, LONG len, LONG values[16]) {
  for (LONG i = 0; i < len && first + i < 16; i++) values[first + i] = 100 + i;
}

int main(int argc, char** argv) { return run_server(argc, argv, arrays_v1_0_s_ifspec, "arrays"); }
