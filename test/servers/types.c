/* Manager routines of the types test server (types.idl). The transforms (v + 1,
   !v, -v, next enumerator) are documented in types.idl; the tests rely on them. */
#include "types.h"

#include "server-main.h"

/* Integer increments go through unsigned types: wrap-around, never signed overflow. */
#define INC(type, utype, v) ((type)((utype)(v) + 1u))

static boolean next_boolean(boolean v) { return (boolean)!v; }
static byte next_byte(byte v) { return INC(byte, unsigned int, v); }
static char next_char(char v) { return INC(char, unsigned int, v); }
static unsigned char next_uchar(unsigned char v) { return INC(unsigned char, unsigned int, v); }
static wchar_t next_wchar(wchar_t v) { return INC(wchar_t, unsigned int, v); }
static small next_small(small v) { return INC(small, unsigned int, v); }
static short next_short(short v) { return INC(short, unsigned int, v); }
static LONG next_long(LONG v) { return INC(LONG, ULONG, v); }
static int next_int(int v) { return INC(int, unsigned int, v); }
static hyper next_hyper(hyper v) { return INC(hyper, unsigned __int64, v); }
static float next_float(float v) { return -v; }
static double next_double(double v) { return -v; }
static error_status_t next_status(error_status_t v) { return INC(error_status_t, ULONG, v); }

static Shape next_shape(Shape v) {
  switch (v) {
    case SHAPE_CIRCLE:
      return SHAPE_SQUARE;
    case SHAPE_SQUARE:
      return SHAPE_TRIANGLE;
    case SHAPE_TRIANGLE:
      return SHAPE_CIRCLE;
    default:
      return v;
  }
}

static Level next_level(Level v) {
  switch (v) {
    case LEVEL_LOW:
      return LEVEL_MID;
    case LEVEL_MID:
      return LEVEL_HIGH;
    case LEVEL_HIGH:
      return LEVEL_LOW;
    default:
      return v;
  }
}

/* Echo, InOut and Out for one base type. */
#define BASE_TYPE_PROCEDURES(Name, type, next)         \
  type __cdecl Echo##Name(type v) { return v; }        \
  void __cdecl InOut##Name(type* p) { *p = next(*p); } \
  void __cdecl Out##Name(type v, type* p) { *p = next(v); }

BASE_TYPE_PROCEDURES(Boolean, boolean, next_boolean)
BASE_TYPE_PROCEDURES(Byte, byte, next_byte)
BASE_TYPE_PROCEDURES(Char, char, next_char)
BASE_TYPE_PROCEDURES(Wchar, wchar_t, next_wchar)
BASE_TYPE_PROCEDURES(Small, small, next_small)
BASE_TYPE_PROCEDURES(Short, short, next_short)
BASE_TYPE_PROCEDURES(Long, LONG, next_long)
BASE_TYPE_PROCEDURES(Int, int, next_int)
BASE_TYPE_PROCEDURES(Hyper, hyper, next_hyper)
BASE_TYPE_PROCEDURES(Float, float, next_float)
BASE_TYPE_PROCEDURES(Double, double, next_double)
BASE_TYPE_PROCEDURES(Shape, Shape, next_shape)
BASE_TYPE_PROCEDURES(Level, Level, next_level)
BASE_TYPE_PROCEDURES(Status, error_status_t, next_status)
BASE_TYPE_PROCEDURES(Uchar, unsigned char, next_uchar)

double __cdecl MixedArgs(LONG a, double b, float c, hyper d, double e, short f, float g) {
  return (double)a + b + (double)c + (double)d + e + (double)f + (double)g;
}

LONG __cdecl StringLengthA(const char* s, ULONG* codeSum) {
  LONG length = 0;
  ULONG sum = 0;
  for (; s[length] != 0; ++length) {
    sum += (unsigned char)s[length];
  }
  *codeSum = sum;
  return length;
}

LONG __cdecl StringLengthW(const wchar_t* s, ULONG* codeSum) {
  LONG length = 0;
  ULONG sum = 0;
  for (; s[length] != 0; ++length) {
    sum += (unsigned short)s[length];
  }
  *codeSum = sum;
  return length;
}

/* Length of the terminated string in a buffer of size units; the stub has checked
   the terminator, the bound only keeps a broken stub from reading past the end. */
#define BOUNDED_LENGTH(buf, size, out)                   \
  do {                                                   \
    (out) = 0;                                           \
    while ((out) < (size) && (buf)[(out)] != 0) ++(out); \
  } while (0)

void __cdecl ShoutA(LONG size, char* buf) {
  LONG length, i;
  BOUNDED_LENGTH(buf, size, length);
  for (i = 0; i < length; ++i) {
    if (buf[i] >= 'a' && buf[i] <= 'z') buf[i] = (char)(buf[i] - 'a' + 'A');
  }
  if (length + 2 <= size) {
    buf[length] = '!';
    buf[length + 1] = 0;
  }
}

void __cdecl ShoutW(LONG size, wchar_t* buf) {
  LONG length, i;
  BOUNDED_LENGTH(buf, size, length);
  for (i = 0; i < length; ++i) {
    if (buf[i] >= L'a' && buf[i] <= L'z') buf[i] = (wchar_t)(buf[i] - L'a' + L'A');
  }
  if (length + 2 <= size) {
    buf[length] = L'!';
    buf[length + 1] = 0;
  }
}

LONG __cdecl UniqueOrDefault(const LONG* p, LONG fallback) { return p != NULL ? *p : fallback; }

LONG __cdecl UniqueStringLength(const char* s, LONG fallback) {
  LONG length = 0;
  if (s == NULL) return fallback;
  while (s[length] != 0) ++length;
  return length;
}

static void next_point(const Point3* in, Point3* out) {
  Point3 result;
  result.x = next_long(in->x);
  result.y = next_hyper(in->y);
  result.z = next_double(in->z);
  result.tag = next_short(in->tag);
  result.c = next_char(in->c);
  *out = result;
}

void __cdecl TransformPoint(const Point3* in, Point3* out) { next_point(in, out); }

void __cdecl InOutPoint(Point3* p) { next_point(p, p); }

hyper __cdecl SumLongs(LONG n, const LONG* values) {
  hyper sum = 0;
  LONG i;
  for (i = 0; i < n; ++i) sum += values[i];
  return sum;
}

void __cdecl FillLongs(LONG max, LONG count, LONG* len, LONG* values) {
  LONG n = count < max ? count : max;
  LONG i;
  if (n < 0) n = 0;
  for (i = 0; i < n; ++i) values[i] = 3 * i + 1;
  *len = n;
}

void __cdecl ScaleDoubles(LONG n, double* values, double factor) {
  LONG i;
  for (i = 0; i < n; ++i) values[i] *= factor;
}

int main(int argc, char** argv) { return run_server(argc, argv, types_v1_0_s_ifspec, "types"); }
