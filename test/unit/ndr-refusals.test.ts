// What the NDR compiler refuses, and where it says the problem is. Each IDL is valid to
// the parser; the type format string has no form for it (MIDL's NDR has none either, or
// winrpc does not write it yet), so compileIdl throws an IdlError that names the
// file:line:column of the parameter that reaches the type (its name; for a type inside a
// struct, the parameter using the struct) instead of writing format strings the engine
// would misread. An 'unsupported' one leaves just that procedure unavailable, with the same
// position and words as its reason; a 'syntax' one fails the interface.
import { describe, expect, it } from 'vitest';
import { IdlError } from '../../lib/idl/errors.js';
import type { CompiledInterface } from '../../lib/ndr/index.js';
import { compileBody } from './idl-body.js';

const compile = (body: string) => compileBody(body);

/** The refusal as message and kind: thrown (syntax) or F's unavailable reason (unsupported). */
function errorOf(body: string): { message: string; kind: string } {
  let iface: CompiledInterface;
  try {
    iface = compile(body);
  } catch (e) {
    expect(e).toBeInstanceOf(IdlError);
    expect((e as IdlError).kind).not.toBe('unsupported');
    return e as IdlError;
  }
  expect(iface.procedures).toEqual([]);
  const [f, ...others] = iface.unavailable ?? [];
  expect(others).toEqual([]);
  if (!f) throw new Error('expected an IdlError or an unavailable procedure');
  return { message: f.reason, kind: 'unsupported' };
}

const EU = 'typedef union EU switch (long k) u { case 1: long a; case 2: short b; } EU;';
const CTX = 'typedef [context_handle] void *CTX;';
// C11 6.7.2.1p3: a struct whose last member is a flexible array cannot be an array element.
const CS = 'typedef struct { long n; [size_is(n)] long a[]; } CS;';

describe('refusals of the type format string, with the position of the declaration', () => {
  it.each([
    [
      'an array of unions',
      `${EU}\nvoid F([in] handle_t h, [in] EU a[2]);`,
      't.idl:3:33',
      'array of unions is not supported yet',
      'unsupported',
    ],
    [
      'an array of unions in a struct',
      `${EU}\ntypedef struct { long n; EU e[2]; } S;\nvoid F([in] handle_t h, [in] S *s);`,
      't.idl:4:33',
      'array of unions is not supported yet',
      'unsupported',
    ],
    [
      'an array of strings',
      'typedef [string] char NAME[16];\nvoid F([in] handle_t h, [in] NAME a[4]);',
      't.idl:3:35',
      'array of strings (use an array of [string] pointers) is not supported yet',
      'unsupported',
    ],
    [
      'an array of context handles',
      `${CTX}\nvoid F([in] handle_t h, [in] CTX a[2]);`,
      't.idl:3:34',
      'array of context_handle is not supported yet',
      'unsupported',
    ],
    [
      'a pointer to a pointer to a context handle',
      `${CTX}\nvoid F([in] handle_t h, [in, unique] CTX **p);`,
      't.idl:3:44',
      'a pointer to a context handle here is not supported yet',
      'unsupported',
    ],
    [
      'a context handle behind a struct field',
      `${CTX}\ntypedef struct { CTX *p; } S;\nvoid F([in] handle_t h, [in] S *s);`,
      't.idl:4:33',
      'a context handle can only be a parameter or a return value',
      'syntax',
    ],
    [
      'a dereference of something that is not a pointer',
      'void F([in] handle_t h, [in] long n, [in, size_is(*n)] byte *p);',
      't.idl:2:62',
      "'*n' dereferences something that is not a pointer",
      'syntax',
    ],
    [
      'an array of structs that end in a conformant array',
      `${CS}\nvoid F([in] handle_t h, [in] CS a[2]);`,
      't.idl:3:33',
      "an array of 'CS', which ends in a conformant array or string",
      'syntax',
    ],
    [
      'the same in a struct field',
      `${CS}\ntypedef struct { CS c[2]; } S2;\nvoid F([in] handle_t h, [in] S2 *s);`,
      't.idl:4:34',
      "an array of 'CS', which ends in a conformant array or string",
      'syntax',
    ],
    [
      'an array of structs whose last struct field ends in a conformant string',
      'typedef struct { long k; [string] wchar_t s[]; } CSS;\ntypedef struct { long x; CSS c; } OUTER;\nvoid F([in] handle_t h, [in] OUTER a[3]);',
      't.idl:4:36',
      "an array of 'OUTER', which ends in a conformant array or string",
      'syntax',
    ],
  ])('%s', (_what, body, at, detail, kind) => {
    const e = errorOf(body);
    expect(e.message).toBe(`${at}: ${detail}`);
    expect(e.kind).toBe(kind);
  });

  // Sizes and counts a 16-bit field of the format string holds (FC_BOGUS_STRUCT's memory
  // size, FC_CSTRING's count, FC_BOGUS_ARRAY's element count, an arm table's union size)
  // were written truncated: 70008 as 0x1178.
  it.each([
    // 8 + 65528 = 65536 bytes: one past the 16 bits.
    ['a struct', 'typedef struct { long *p; byte a[65528]; } BIG;', 'a struct of 65536 bytes'],
    [
      'a counted string',
      'typedef struct { long n; [string] char s[70000]; } BIG;',
      'a string of 70000 characters',
    ],
    [
      'an array of structs with pointers',
      'typedef struct { long *p; } SP;\ntypedef struct { long n; SP a[70000]; } BIG;',
      'an array of 70000 elements',
    ],
    [
      'a union',
      'typedef [switch_type(long)] union { [case(1)] byte a[70000]; } U;\ntypedef struct { long k; [switch_is(k)] U u; } BIG;',
      'a union of 70000 bytes',
    ],
  ])('%s larger than 16 bits describe', (_what, types, detail) => {
    const text = `${types}\nvoid F([in] handle_t h, [in, unique] BIG *b);`;
    const line = text.split('\n').length + 1;
    const e = errorOf(text);
    expect(e.message).toBe(
      `t.idl:${line}:43: ${detail} (the format string holds 16 bits) is not supported yet`,
    );
    expect(e.kind).toBe('unsupported');
  });

  it('a struct of 65528 bytes still fits', () => {
    // 8 + 65520 = 65528, the largest multiple of 8 under 65536: FC_BOGUS_STRUCT, memory size f8ff.
    const iface = compile(
      'typedef struct { long *p; byte a[65520]; } S;\nvoid F([in] handle_t h, [in, unique] S *b);',
    );
    const t = Array.from(iface.typeFormat, (b) => b.toString(16).padStart(2, '0')).join(' ');
    expect(t).toContain('1a 03 f8 ff');
  });

  it('an array of structs with fixed arrays inside compiles (only a conformant end is refused)', () => {
    const iface = compile(
      'typedef struct { long n; long a[2]; } FS;\ntypedef struct { long n; FS inner; } FS2;\nvoid F([in] handle_t h, [in] FS2 a[2]);',
    );
    expect(iface.types.FS2?.size).toBe(16); // n, then FS (4 + 8): x64 C layout
  });
});
