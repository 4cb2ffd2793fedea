/* Manager routines of the unions test server (unions.idl). */
#include "unions.h"

#include "server-main.h"

double __cdecl NumberValue(LONG kind, Number* n) {
  switch (kind) {
    case 1:
      return (double)n->i;
    case 2:
      return n->d;
    case 3:
    case 4:
      return (double)n->h;
    default:
      return 0;
  }
}

void __cdecl NextNumber(LONG kind, Number* n, LONG* nextKind, Number* next) {
  switch (kind) {
    case 1:
      *nextKind = 2;
      next->d = n->i + 0.5;
      break;
    case 2:
      *nextKind = 3;
      next->h = (hyper)n->d * 1000;
      break;
    case 3:
    case 4:
      *nextKind = 7;
      break;
    default:
      *nextKind = 1;
      next->i = 1;
      break;
  }
}

double __cdecl ShapeArea(Shape* s) {
  switch (s->kind) {
    case 1:
      return 3.0 * s->u.radius * s->u.radius;
    case 2:
      return s->u.side * s->u.side;
    default:
      return -1;
  }
}

void __cdecl MakeShape(LONG size, Shape* s) {
  if (size > 0) {
    s->kind = 2;
    s->u.side = size;
  } else {
    s->kind = 1;
    s->u.radius = -size;
  }
}

__int3264 __cdecl TwicePtrSized(__int3264 v, __int3264* p) {
  *p += 1;
  return v * 2;
}

int main(int argc, char** argv) { return run_server(argc, argv, unions_v1_0_s_ifspec, "unions"); }
