/* Manager routines of the structs test server (structs.idl). */
#include "structs.h"

#include <string.h>

#include "server-main.h"

static void* must_allocate(size_t size) {
  void* p = MIDL_user_allocate(size);
  if (p == NULL) RpcRaiseException(RPC_S_OUT_OF_MEMORY);
  memset(p, 0, size);
  return p;
}

static char next_upper(char c) { return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c; }

void __cdecl EchoFixed(const Fixed* in, Fixed* out) {
  out->id = (short)(in->id + 1);
  for (int i = 0; i < 3; i++) out->values[i] = in->values[2 - i];
  for (int i = 0; i < 4; i++) out->tag[i] = next_upper(in->tag[i]);
  out->big = in->big * 2;
}

hyper __cdecl SumCounted(const Counted* c) {
  hyper sum = 0;
  for (LONG i = 0; i < c->n; i++) sum += c->data[i];
  return sum;
}

void __cdecl DoubleCounted(Counted* c) {
  for (LONG i = 0; i < c->n; i++) c->data[i] *= 2;
}

void __cdecl MakeCounted(LONG n, Counted** c) {
  if (n < 0) {
    *c = NULL;
    return;
  }
  /* The struct's C type declares one element; n of them follow the count. */
  *c = must_allocate(sizeof(Counted) + sizeof(LONG) * (size_t)n);
  (*c)->n = n;
  for (LONG i = 0; i < n; i++) (*c)->data[i] = i * i;
}

hyper __cdecl SumWindow(const Window* w) {
  hyper sum = 0;
  for (LONG i = 0; i < w->len; i++) sum += w->data[i];
  return sum * 1000 + w->size;
}

LONG __cdecl LabelLength(const Label* label, ULONG* codeSum) {
  LONG length = 0;
  *codeSum = 0;
  while (length < label->capacity && label->text[length] != 0) *codeSum += label->text[length++];
  return length;
}

static int is_high_surrogate(wchar_t c) { return c >= 0xd800 && c <= 0xdbff; }

void __cdecl ReverseLabel(Label* label) {
  LONG length = 0;
  while (length < label->capacity && label->text[length] != 0) length++;
  for (LONG i = 0, j = length - 1; i < j; i++, j--) {
    wchar_t t = label->text[i];
    label->text[i] = label->text[j];
    label->text[j] = t;
  }
  /* Reversing units swaps each surrogate pair: put its halves back in order. */
  for (LONG i = 0; i + 1 < length; i++) {
    if (!is_high_surrogate(label->text[i]) && is_high_surrogate(label->text[i + 1])) {
      wchar_t t = label->text[i];
      label->text[i] = label->text[i + 1];
      label->text[i + 1] = t;
      i++;
    }
  }
}

LONG __cdecl DescribeRecord(const Record* r, LONG* nameUnits) {
  *nameUnits = r->name == NULL ? 0 : (LONG)wcslen(r->name);
  return (r->optional != NULL ? 1 : 0) + (r->box != NULL ? 2 : 0) + (r->name != NULL ? 4 : 0);
}

static wchar_t* copy_with_suffix(const wchar_t* text, const wchar_t* suffix) {
  size_t length = wcslen(text), extra = wcslen(suffix);
  wchar_t* copy = must_allocate(sizeof(wchar_t) * (length + extra + 1));
  memcpy(copy, text, sizeof(wchar_t) * length);
  memcpy(copy + length, suffix, sizeof(wchar_t) * (extra + 1));
  return copy;
}

void __cdecl NextRecord(const Record* in, Record* out) {
  out->kind = (short)(in->kind + 1);
  out->optional = NULL;
  if (in->optional != NULL) {
    out->optional = must_allocate(sizeof(LONG));
    *out->optional = *in->optional + 1;
  }
  out->name = in->name == NULL ? NULL : copy_with_suffix(in->name, L"!");
  out->box = NULL;
  if (in->box != NULL) {
    out->box = must_allocate(sizeof(Box));
    out->box->value = in->box->value + 1;
  }
  out->stamp = in->stamp + 1;
}

void __cdecl MakeRecord(LONG id, Record** r) {
  wchar_t name[32] = L"record ", digits[16];
  int count = 0;
  unsigned long rest = id < 0 ? 0UL - (unsigned long)id : (unsigned long)id;
  Record* record = must_allocate(sizeof(Record));
  record->kind = (short)id;
  if (id % 2 == 0) {
    record->optional = must_allocate(sizeof(LONG));
    *record->optional = id;
  }
  /* "record <id>" without swprintf, whose signature differs between C runtimes. */
  do digits[count++] = (wchar_t)(L'0' + rest % 10);
  while ((rest /= 10) != 0);
  size_t at = wcslen(name);
  if (id < 0) name[at++] = L'-';
  while (count > 0) name[at++] = digits[--count];
  name[at] = 0;
  record->name = copy_with_suffix(name, L"");
  if (id != 0) {
    record->box = must_allocate(sizeof(Box));
    record->box->value = id * 10;
  }
  record->stamp = id;
  *r = record;
}

void __cdecl NextOuter(const Outer* in, Outer* out) {
  out->a = (small)(in->a + 1);
  out->inner.c = (char)(in->inner.c + 1);
  out->inner.h = in->inner.h + 1;
  out->inner.s = (short)(in->inner.s + 1);
  out->b = (short)(in->b + 1);
  out->d = in->d + 0.5;
  out->e = (char)(in->e + 1);
}

hyper __cdecl SumInners(LONG n, const Inner* items) {
  hyper sum = 0;
  for (LONG i = 0; i < n; i++) sum += items[i].h + items[i].s;
  return sum;
}

void __cdecl MakeInners(LONG n, Inner* items) {
  for (LONG i = 0; i < n; i++) {
    items[i].c = (char)('a' + i % 26);
    items[i].h = (hyper)i * 1000000000000;
    items[i].s = (short)-i;
  }
}

LONG __cdecl SumBoxes(LONG n, const Record* records) {
  LONG sum = 0;
  for (LONG i = 0; i < n; i++)
    if (records[i].box != NULL) sum += records[i].box->value;
  return sum;
}

LONG __cdecl Ranged(LONG v) { return v; }

LONG __cdecl BoundedValue(const Bounded* in) { return in->v; }

void __cdecl MakeBounded(LONG v, Bounded* out) { out->v = v; }

LONG __cdecl CheckTagged(const Tagged* in, Tagged* out) {
  out->before = in->before + 1;
  out->cookie = NULL;
  out->after = in->after + 1;
  return in->cookie == NULL ? 1 : 0;
}

LONG __cdecl WideValue(Wide w) { return (LONG)w; }

int main(int argc, char** argv) { return run_server(argc, argv, structs_v1_0_s_ifspec, "structs"); }
