// lib/idl/resolve-attrs.ts: what data attributes do to a declarator's type, each
// expectation worked out by hand from Microsoft's MIDL attribute pages:
// - [range] ("range attribute"): two bounds, low-val <= high-val, on "an integral type other
//   than hyper or __int64, a type identifier to an integral type, an enum type", or on
//   conformant data (size_is, string) where it bounds the count;
// - [switch_is]/[switch_type]: a non-encapsulated union's discriminant, through pointers;
// - [context_handle]: a pointer type (`void *`, or `void **` for an [out] handle);
// - [string] ("string attribute"): a one-dimensional char, wchar_t or byte (or equivalent:
//   unsigned short for wide) array or pointer; [length_is] ("cannot be used at the same time
//   as the [last_is] attribute or the [string] attribute"), and "The [string] Attribute in
//   Arrays" (RPC docs: not with [first_is] or [last_is] either);
// - attribute expressions: constants folded (max_is(n) is n + 1: "[size_is(n)] is
//   equivalent to [max_is(n-1)]"), sizeof of typedefs as x64 has them.
// Positions are file:line:column, counted by hand (the body's first line is line 2).
import { describe, expect, it } from 'vitest';
import { parseIdl } from '../../lib/idl/index.js';
import type { IdlType } from '../../lib/idl/model.js';
import { refusalOf } from '../support/idl-refusal.js';
import { inInterfaceT } from './idl-body.js';

const parse = (body: string) => {
  const iface = parseIdl(inInterfaceT(body), { file: 'r.idl' }).interfaces[0];
  if (!iface) throw new Error('no interface');
  return iface;
};
/** The type of parameter `index` of the interface's first procedure. */
const paramType = (body: string, index = 0): IdlType => {
  const t = parse(body).procedures[0]?.params[index]?.type;
  if (!t) throw new Error(`no parameter ${index}`);
  return t;
};
/** The refusal: thrown, or the one procedure it leaves unavailable. */
const errorOf = (body: string) => refusalOf(() => parseIdl(inInterfaceT(body), { file: 'r.idl' }));
const num = (value: number) => ({ kind: 'number', value });

describe('[range]', () => {
  it('bounds an integer, a character, an enum and the integer behind a pointer', () => {
    const body =
      'typedef enum { A, B, C } E;\nvoid F([in, range(-5, 5)] long a, [in, range(0, 127)] char c, [in, range(0, 1)] E e, [in, range(1, 9)] unsigned short *p);';
    const types = parse(body).procedures[0]?.params.map((x) => x.type);
    expect(types).toEqual([
      { kind: 'primitive', name: 'long', range: { min: -5, max: 5 } },
      { kind: 'primitive', name: 'char', range: { min: 0, max: 127 } },
      { kind: 'named', name: 'E', range: { min: 0, max: 1 } },
      {
        kind: 'pointer',
        pointer: 'ref',
        target: { kind: 'primitive', name: 'ushort', range: { min: 1, max: 9 } },
      },
    ]);
  });

  it('bounds the enum behind a pointer, as it does an integer there ("an enum type")', () => {
    expect(paramType('typedef enum { A, B, C } E;\nvoid F([in, range(0, 2)] E *p);')).toEqual({
      kind: 'pointer',
      pointer: 'ref',
      target: { kind: 'named', name: 'E', range: { min: 0, max: 2 } },
    });
  });

  it('on conformant data it bounds the count: a sized array, or a string', () => {
    expect(paramType('void F([in] long n, [in, range(0, 100), size_is(n)] long *p);', 1)).toEqual({
      kind: 'pointer',
      pointer: 'ref',
      target: {
        kind: 'array',
        element: { kind: 'primitive', name: 'long' },
        size: { is: { kind: 'ident', name: 'n' } },
        sizeRange: { min: 0, max: 100 },
      },
    });
    expect(paramType('void F([in, string, range(0, 8 * 1024)] wchar_t *s);')).toEqual({
      kind: 'pointer',
      pointer: 'ref',
      target: { kind: 'string', char: 'wchar_t', range: { min: 0, max: 8192 } },
    });
  });

  it('a single value is a range (low-val = high-val)', () => {
    expect(paramType('void F([in, range(3, 3)] long n);')).toEqual({
      kind: 'primitive',
      name: 'long',
      range: { min: 3, max: 3 },
    });
  });

  it('on a string array parameter and on a sized struct field it bounds the count too', () => {
    expect(paramType('void F([in, string, range(1, 9)] char s[10]);')).toEqual({
      kind: 'pointer',
      pointer: 'ref',
      target: { kind: 'string', char: 'char', size: { fixed: 10 }, range: { min: 1, max: 9 } },
      arrayParam: true,
    });
    expect(parse('typedef struct { long n; [size_is(n), range(0, 10)] long a[]; } S;').types.S).toMatchObject(
      {
        fields: [{ name: 'n' }, { name: 'a', type: { kind: 'array', sizeRange: { min: 0, max: 10 } } }],
      },
    );
  });

  it('takes constants and the widest 32-bit bounds', () => {
    expect(
      paramType('const long LO = -2147483647 - 1;\nvoid F([in, range(LO, 4294967295)] long n);'),
    ).toEqual({
      kind: 'primitive',
      name: 'long',
      range: { min: -2147483648, max: 4294967295 },
    });
  });

  it.each([
    [
      'one bound',
      'void F([in, range(5)] long n);',
      'r.idl:2:13: [range] takes two bounds: range(min, max)',
      'syntax',
    ],
    [
      'three bounds',
      'void F([in, range(0, 1, 2)] long n);',
      'r.idl:2:13: [range] takes two bounds: range(min, max)',
      'syntax',
    ],
    [
      'an empty bound',
      'void F([in, range(, 1)] long n);',
      'r.idl:2:13: [range] takes two bounds: range(min, max)',
      'syntax',
    ],
    [
      'a minimum over the maximum',
      'void F([in, range(5, 1)] long n);',
      'r.idl:2:13: [range(5, 1)]: the minimum exceeds the maximum',
      'syntax',
    ],
    [
      'a bound that is no constant',
      'void F([in] long m, [in, range(0, m)] long n);',
      "r.idl:2:26: 'm' is not a constant",
      'syntax',
    ],
    [
      'a minimum below 32 bits',
      'void F([in, range(-2147483649, 0)] long n);',
      'r.idl:2:13: [range] bounds beyond 32 bits is not supported yet',
      'unsupported',
    ],
    [
      'a maximum beyond 32 bits',
      'void F([in, range(0, 4294967296)] long n);',
      'r.idl:2:13: [range] bounds beyond 32 bits is not supported yet',
      'unsupported',
    ],
  ])('%s is an error', (_what, body, message, kind) => {
    const e = errorOf(body);
    expect([e.message, e.kind]).toEqual([message, kind]);
  });

  it.each(['hyper', 'unsigned hyper', 'float', 'double', '__int3264', 'handle_t'])(
    'a %s is not ranged',
    (type) => {
      const e = errorOf(`void F([in, range(0, 1)] ${type} n);`);
      expect([e.message, e.kind]).toEqual([
        'r.idl:2:13: [range] on anything but an integer or character of 32 bits or less is not supported yet',
        'unsupported',
      ]);
    },
  );
});

describe('[switch_is] and [switch_type]', () => {
  const U = 'typedef [switch_type(long)] union { [case(1)] long a; [case(2)] short b; } U;';

  it('lands on the union through pointers, with constants folded', () => {
    expect(paramType(`${U}\nconst long K = 2;\nvoid F([in, switch_is(K)] U *u);`)).toEqual({
      kind: 'pointer',
      pointer: 'ref',
      target: { kind: 'named', name: 'U', switchIs: num(2) },
    });
    expect(paramType(`${U}\nvoid F([in] long k, [in, switch_is(k + 1)] U **u);`, 1)).toMatchObject({
      target: {
        target: {
          kind: 'named',
          switchIs: { kind: 'binary', op: '+', left: { kind: 'ident', name: 'k' }, right: num(1) },
        },
      },
    });
  });

  it('a [switch_type] names a type through typedefs; the discriminant keeps the primitive only', () => {
    expect(parse('typedef [switch_type(DWORD)] union { [case(1)] long a; } V;').types.V).toMatchObject({
      switchType: { kind: 'primitive', name: 'ulong' },
    });
    expect(parse('typedef [switch_type(DWORD)] union { [case(1)] long a; } V;').types.V).not.toHaveProperty(
      'switchType.alias',
    );
    // The same type again at the use is no conflict.
    expect(
      paramType(`${U}\nvoid F([in] long k, [in, switch_is(k), switch_type(long)] U *u);`, 1),
    ).toMatchObject({
      target: { kind: 'named', name: 'U', switchIs: { kind: 'ident', name: 'k' } },
    });
  });

  it('a [switch_type] at the use gives a union without one its discriminant type', () => {
    const iface = parse(
      'typedef union { [case(1)] long a; } V;\nvoid F([in] short k, [in, switch_is(k), switch_type(short)] V *v);',
    );
    expect(iface.types.V).toMatchObject({ switchType: { kind: 'primitive', name: 'short' } });
  });

  it.each([
    [
      'an encapsulated union',
      'typedef union E switch (long k) { case 1: long a; } E;\nvoid F([in] long k, [in, switch_is(k)] E *e);',
      'r.idl:3:26: [switch_is] needs a non-encapsulated union',
    ],
    [
      'an empty [switch_is]',
      `${U}\nvoid F([in, switch_is()] U *u);`,
      'r.idl:3:13: [switch_is] needs an expression',
    ],
    [
      'a struct',
      'typedef struct { long a; } S;\nvoid F([in] long k, [in, switch_is(k)] S *s);',
      'r.idl:3:26: [switch_is] needs a non-encapsulated union',
    ],
    [
      'an empty [switch_type]',
      'typedef [switch_type()] union { [case(1)] long a; } V;',
      'r.idl:2:10: [switch_type] needs a type',
    ],
    [
      'a [switch_type] with more than a type',
      'typedef [switch_type(long x)] union { [case(1)] long a; } V;',
      "r.idl:2:27: unexpected 'x' in [switch_type]",
    ],
    [
      'a [switch_type] at the use other than the union declares',
      `${U}\nvoid F([in] short k, [in, switch_is(k), switch_type(short)] U *u);`,
      "r.idl:3:41: [switch_type] different from the one union 'U' declares is not supported yet",
    ],
  ])('%s is an error', (_what, body, message) => {
    expect(errorOf(body).message).toBe(message);
  });
});

describe('[context_handle]', () => {
  it('is the pointer itself, or for an [out] handle the inner pointer', () => {
    const types = parse(
      'void F([in, context_handle] void *h, [out, context_handle] void **ph);',
    ).procedures[0]?.params.map((x) => x.type);
    expect(types).toEqual([
      { kind: 'context_handle' },
      { kind: 'pointer', pointer: 'ref', target: { kind: 'context_handle' } },
    ]);
  });

  it('needs a pointer type', () => {
    expect(errorOf('void F([in, context_handle] long h);').message).toBe(
      'r.idl:2:13: [context_handle] needs a pointer type',
    );
    expect(errorOf('typedef [context_handle] long H;').message).toBe(
      'r.idl:2:10: [context_handle] needs a pointer type',
    );
  });
});

describe('[string]', () => {
  it.each([
    ['char *', 'char'],
    ['byte *', 'char'],
    ['unsigned char *', 'char'],
    ['wchar_t *', 'wchar_t'],
    ['unsigned short *', 'wchar_t'],
  ])('on %s is a %s string', (type, char) => {
    expect(paramType(`void F([in, string] ${type}s);`)).toEqual({
      kind: 'pointer',
      pointer: 'ref',
      target: { kind: 'string', char },
    });
  });

  it('on a fixed array keeps its size; on an open one it has none', () => {
    expect(paramType('void F([in, string] char a[16]);')).toEqual({
      kind: 'pointer',
      pointer: 'ref',
      target: { kind: 'string', char: 'char', size: { fixed: 16 } },
      arrayParam: true,
    });
    expect(parse('typedef struct { long n; [string] wchar_t s[]; } S;').types.S).toMatchObject({
      fields: [{ name: 'n' }, { name: 's', type: { kind: 'string', char: 'wchar_t' } }],
    });
  });

  it('on a sized pointer is a string of that size; on a string typedef (LPWSTR) it changes nothing', () => {
    expect(paramType('void F([in] long n, [in, size_is(n), string] char *s);', 1)).toEqual({
      kind: 'pointer',
      pointer: 'ref',
      target: { kind: 'string', char: 'char', size: { is: { kind: 'ident', name: 'n' } } },
    });
    expect(paramType('void F([in, string] LPWSTR s);')).toEqual(paramType('void F([in] LPWSTR s);'));
    expect(paramType('void F([in, string] LPWSTR s);')).toMatchObject({
      alias: 'LPWSTR',
      target: { kind: 'string', char: 'wchar_t' },
    });
  });

  it('on a sized array of pointers makes each element a string; on a pointer to a pointer, the inner one', () => {
    expect(paramType('void F([in] long n, [in, size_is(n), string] wchar_t **p);', 1)).toMatchObject({
      target: {
        kind: 'array',
        size: { is: { kind: 'ident', name: 'n' } },
        element: { kind: 'pointer', target: { kind: 'string', char: 'wchar_t' } },
      },
    });
    expect(paramType('void F([out, string] char **pp);')).toEqual({
      kind: 'pointer',
      pointer: 'ref',
      target: { kind: 'pointer', pointer: 'unique', target: { kind: 'string', char: 'char' } },
    });
  });

  it.each([
    [
      '[length_is]',
      'void F([in] long n, [in, string, length_is(n)] char a[8]);',
      'r.idl:2:26: [string] with [length_is]',
    ],
    [
      '[last_is]',
      'void F([in] long n, [in, string, last_is(n)] char a[8]);',
      'r.idl:2:26: [string] with [last_is]',
    ],
    [
      '[first_is]',
      'void F([in] long n, [in, string, first_is(n)] char a[8]);',
      'r.idl:2:26: [string] with [first_is]',
    ],
    [
      'a short pointer',
      'void F([in, string] short *s);',
      'r.idl:2:13: [string] needs a char or wchar_t pointer or array',
    ],
    [
      'a hyper array',
      'void F([in, string] hyper a[4]);',
      'r.idl:2:13: [string] on an array of anything but char/wchar_t is not supported yet',
    ],
  ])('with %s is an error', (_what, body, message) => {
    expect(errorOf(body).message).toBe(message);
  });
});

describe('attribute expressions', () => {
  const sizeOf = (body: string, index = 0) => {
    const t = paramType(body, index);
    return t.kind === 'pointer' && t.target.kind === 'array' && 'is' in t.target.size
      ? t.target.size.is
      : undefined;
  };

  it('fold constants: max_is(n) is n + 1, a wholly constant expression one number', () => {
    expect(sizeOf('void F([in, max_is(257)] byte *p);')).toEqual(num(258));
    expect(sizeOf('const long N = 4;\nvoid F([in, size_is(N * 2 + (N > 3 ? 1 : 0))] byte *p);')).toEqual(
      num(9),
    );
    expect(sizeOf('const long N = 4;\nvoid F([in] long n, [in, size_is(n + N)] byte *p);', 1)).toEqual({
      kind: 'binary',
      op: '+',
      left: { kind: 'ident', name: 'n' },
      right: num(4),
    });
    expect(sizeOf('const long N = 4;\nvoid F([in] long n, [in, size_is(n ? -N : ~N)] byte *p);', 1)).toEqual({
      kind: 'conditional',
      test: { kind: 'ident', name: 'n' },
      whenTrue: { kind: 'unary', op: '-', operand: num(4) },
      whenFalse: { kind: 'unary', op: '~', operand: num(4) },
    });
    // A dereference is never constant.
    expect(sizeOf('void F([in] long *pn, [in, size_is(*pn)] byte *p);', 1)).toEqual({
      kind: 'unary',
      op: '*',
      operand: { kind: 'ident', name: 'pn' },
    });
  });

  it('a division by zero is left as written', () => {
    expect(sizeOf('void F([in, size_is(4 / 0)] byte *p);')).toEqual({
      kind: 'binary',
      op: '/',
      left: num(4),
      right: num(0),
    });
  });

  it.each([
    ['boolean', 1],
    ['byte', 1],
    ['char', 1],
    ['small', 1],
    ['unsigned small', 1],
    ['wchar_t', 2],
    ['short', 2],
    ['unsigned short', 2],
    ['long', 4],
    ['unsigned long', 4],
    ['float', 4],
    ['error_status_t', 4],
    ['hyper', 8],
    ['unsigned hyper', 8],
    ['double', 8],
    ['handle_t', 8], // a pointer on x64
    ['long *', 8],
    ['__int3264', 8],
  ])('sizeof a typedef of %s is %i (x64)', (type, size) => {
    expect(sizeOf(`typedef ${type} X;\nvoid F([in, size_is(sizeof(X))] byte *p);`)).toEqual(num(size));
  });

  it('sizeof a context handle typedef is a pointer; of a struct, its C size', () => {
    expect(
      sizeOf('typedef [context_handle] void *CTX;\nvoid F([in, size_is(sizeof(CTX))] byte *p);'),
    ).toEqual(num(8));
    expect(
      sizeOf('typedef struct { long a; short b; } S;\nvoid F([in, size_is(sizeof(S))] byte *p);'),
    ).toEqual(num(8));
  });

  it('sizeof of anything but one name is left to the constant expression rules', () => {
    expect(sizeOf('void F([in, size_is(sizeof(unsigned long))] byte *p);')).toEqual(num(4));
    expect(sizeOf('typedef struct { long a; } S;\nvoid F([in, size_is(2 * sizeof(S *))] byte *p);')).toEqual(
      num(16),
    );
  });

  it('anything after the expression is an error naming the attribute', () => {
    expect(errorOf('void F([in] long n, [in] long m, [in, size_is(n m)] byte *p);').message).toBe(
      "r.idl:2:49: unexpected 'm' in [size_is]",
    );
  });
});
