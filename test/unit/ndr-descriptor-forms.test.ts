// Type descriptors byte by byte where the differentials compare by meaning (they follow
// offsets and skip pads, so where a descriptor sits, FC_PAD and the simple-pointer form
// are invisible to them). Expected bytes from "RPC NDR Format Strings" and MIDL's output
// for the same shapes (the forms are named in each test): FC_UP 0x12, FC_RP 0x11, pointer
// flags 0x08 simple, 0x10 pointer_deref, 0x04 alloced_on_stack; FC_PAD 0x5c, FC_END 0x5b;
// relative offsets count from the offset field itself. The type format string starts
// with a zero short; procedures are synchronous with the handle_t in slot 0.
import { describe, expect, it } from 'vitest';
import { compileBody } from './idl-body.js';

const hex = (a: ArrayLike<number>) => Array.from(a, (b) => b.toString(16).padStart(2, '0')).join(' ');
const typeFormat = (body: string, options: { rangeOnConformance?: boolean } = {}) =>
  hex(compileBody(body, options).typeFormat);

describe('pointers', () => {
  it('to a base type: the 4-byte simple form; to a pointer: pointer_deref, then the inner one', () => {
    // @2 12 08 08 5c: FC_UP [simple_pointer] FC_LONG FC_PAD.
    // @6 12 14 0200: FC_UP [alloced_on_stack] [pointer_deref] to @10, the inner pointer.
    expect(typeFormat('void F([in] handle_t h, [in, unique] long *p, [in, unique] long **pp);')).toBe(
      '00 00 12 08 08 5c 12 14 02 00 12 08 08 5c 00',
    );
  });

  it('to a pointer to a struct: the struct, its pointer, then the outer pointer pointing back at it', () => {
    // @2 FC_STRUCT; @10 12 00 f6ff -> 12 - 10 = @2; @14 12 14 faff -> 16 - 6 = @10.
    expect(
      typeFormat('typedef struct { long a; long b; } S;\nvoid F([in] handle_t h, [in, unique] S **pp);'),
    ).toBe('00 00 15 03 08 00 08 08 5c 5b 12 00 f6 ff 12 14 fa ff 00');
  });
});

describe('structs', () => {
  it('FC_PAD keeps the member list even before FC_END; trailing padding is FC_STRUCTPAD2', () => {
    const t = typeFormat(
      'typedef struct { long a; long b; } S;\ntypedef struct { long a; short b; } P;\nvoid F([in] handle_t h, [in] S *s, [in] P *p);',
    );
    // FC_STRUCT, 4-aligned, 8 bytes: FC_LONG FC_LONG FC_PAD FC_END.
    expect(t).toContain('15 03 08 00 08 08 5c 5b');
    // long, short, then 2 bytes of padding to 8 (FC_STRUCTPAD2 0x3e), FC_END: odd, no pad.
    expect(t).toContain('08 06 3e 5b');
  });

  it('a conformant string at the end: FC_CVSTRUCT pointing back at FC_C_CSTRING / FC_C_WSTRING', () => {
    expect(
      typeFormat(
        'typedef struct { long n; [string] char s[]; } CS;\ntypedef struct { long n; [string] wchar_t s[]; } WS;\nvoid F([in] handle_t h, [in] CS *c, [in] WS *w);',
      ),
    ).toBe('00 00 22 5c 19 03 04 00 fa ff 08 5b 11 00 f6 ff 25 5c 19 03 04 00 fa ff 08 5b 11 00 f6 ff 00');
  });

  it('a fixed array of structs with pointers: FC_BOGUS_ARRAY with its element count', () => {
    const t = typeFormat(
      'typedef struct { long *p; } SP;\ntypedef struct { SP a[3]; } B;\nvoid F([in] handle_t h, [in] B *b);',
    );
    // 3 elements; no conformance, no variance (ffffffff + robust flags 0); the element
    // embedded at @2 (e0ff from @34); 20 bytes so far, so FC_PAD, then FC_END.
    expect(t).toContain('21 03 03 00 ff ff ff ff 00 00 ff ff ff ff 00 00 4c 00 e0 ff 5c 5b');
  });
});

describe('unions', () => {
  it('the arm table: memory size aligned to the widest arm, arms, no default; shared by every use', () => {
    const t = typeFormat(
      'typedef [switch_type(long)] union { [case(1)] byte b[3]; [case(2)] short s; } U;\nvoid F([in] handle_t h, [in] long k, [in, switch_is(k)] U *u, [in, switch_is(k)] U *v);',
    );
    // @8: size 3 rounded up to the short's 2 -> 4; 2 arms; case 1 -> the byte array at @2;
    // case 2 -> FC_SHORT (0x8000 | 06); no default (ffff).
    expect(
      t.startsWith('00 00 1d 00 03 00 01 5b 04 00 02 00 01 00 00 00 f2 ff 02 00 00 00 06 80 ff ff'),
    ).toBe(true);
    // Both unions point at the one table at @8 (from @34 and @48).
    expect(t).toContain('2b 08 28 00 08 00 01 00 e6 ff 11 00 f4 ff 2b 08 28 00 08 00 01 00 d8 ff');
  });

  it('a [default] arm listed first is still the default', () => {
    expect(
      typeFormat(
        'typedef [switch_type(long)] union { [default] long a; [case(1)] short b; } U;\nvoid F([in] handle_t h, [in] long k, [in, switch_is(k)] U *u);',
      ).startsWith('00 00 04 00 01 00 01 00 00 00 06 80 08 80'),
    ).toBe(true);
  });
});

describe('[range] on a parameter: FC_RANGE', () => {
  it('the signed code of the base type, then both bounds (ms_scmr_c.c @390: b7 08 for a ranged DWORD)', () => {
    expect(
      typeFormat(
        'void F([in] handle_t h, [in, range(1, 10)] long n, [in, range(2, 3)] unsigned short u, [in, range(0, 5)] small s);',
      ),
    ).toBe(
      '00 00 b7 08 01 00 00 00 0a 00 00 00 b7 06 02 00 00 00 03 00 00 00 b7 03 00 00 00 00 05 00 00 00 00',
    );
  });
});

describe('range on conformance (MIDL /target NT60 forms)', () => {
  it('an unranged string stays simple; a sized ranged string carries the range in its size descriptor', () => {
    // 11 08 25 5c: FC_RP [simple_pointer] FC_C_WSTRING. Then FC_RP to 25 44 (sized string):
    // n at 16, flags 0x11 (early | ranged), 01 00, bounds 0 and 4: no FC_SUPPLEMENT.
    expect(
      typeFormat(
        'void F([in] handle_t h, [in, string] wchar_t *s, [in] long n, [in, string, size_is(n), range(0, 4)] wchar_t *t);',
        { rangeOnConformance: true },
      ),
    ).toBe('00 00 11 08 25 5c 11 00 02 00 25 44 28 00 10 00 11 00 01 00 00 00 00 00 04 00 00 00 00');
  });
});
