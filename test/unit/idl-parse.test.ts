import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIdl } from '../../lib/idl/index.js';
import { type Refusal, refusalOf } from '../support/idl-refusal.js';
import { headWith, inInterfaceT, TEST_UUID } from './idl-body.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/idl');
const wrap = (body: string, attrs = `uuid(${TEST_UUID}), version(2.3)`) =>
  inInterfaceT(body, headWith(attrs));

/** The refusal: thrown, or the one procedure it leaves unavailable. */
function errorOf(text: string, options = {}): Refusal {
  return refusalOf(() => parseIdl(text, { file: 'x.idl', ...options }));
}

describe('parseIdl', () => {
  it('reads the interface header and procedures of types.idl', () => {
    const m = parseIdl(readFileSync(join(FIXTURES, 'types.idl'), 'utf8'), { file: 'types.idl' });
    const i = m.interfaces[0];
    expect(i?.uuid).toBe('740302e3-17db-412c-a5e4-f336c513e610');
    expect(i?.version).toEqual({ major: 1, minor: 0 });
    expect(i?.procedures.map((p) => p.opnum)).toEqual(i?.procedures.map((_, n) => n));
    expect(i?.types.Level).toMatchObject({
      kind: 'enum',
      v1Enum: true,
      members: [
        { name: 'LEVEL_LOW', value: -1 },
        { name: 'LEVEL_MID', value: 100 },
        { name: 'LEVEL_HIGH', value: 100000 },
      ],
    });
    const fill = i?.procedures.find((p) => p.name === 'FillLongs');
    expect(fill?.params[3]?.type).toEqual({
      kind: 'pointer',
      pointer: 'ref',
      target: {
        kind: 'array',
        element: { kind: 'primitive', name: 'long' },
        size: { is: { kind: 'ident', name: 'max' } },
        length: { kind: 'unary', op: '*', operand: { kind: 'ident', name: 'len' } },
      },
    });
    expect(JSON.parse(JSON.stringify(m))).toEqual(m); // plain JSON
  });

  it('handles the preprocessor subset, consts, typedef chains and built-in Windows types', () => {
    const text = `
#define N 4
#define WIDE
#ifdef WIDE
typedef wchar_t CH;
#else
typedef char CH;
#endif
#if 0
this is not IDL
#endif
import "ms-dtyp.idl";
cpp_quote("#include <windows.h>")
${wrap(`
  const long M = N * 2 + (1 << 2);
  typedef DWORD MYDWORD;
  typedef MYDWORD COUNT;
  typedef struct _S { COUNT n; [size_is(n)] CH data[]; } S, *PS;
  void F([in] handle_t h, [in] COUNT c, [in, string] LPWSTR name, [out] PS *ps, [in] CH fixed);
`)}`;
    const i = parseIdl(text, { file: 'x.idl' }).interfaces[0];
    expect(i?.consts.M).toBe(12);
    expect(i?.aliases.COUNT).toEqual({ kind: 'primitive', name: 'ulong', alias: 'COUNT' });
    const f = i?.procedures[0];
    expect(f?.bindingHandle).toEqual({ name: 'h', index: 0 });
    expect(f?.params.map((p) => p.name)).toEqual(['c', 'name', 'ps', 'fixed']);
    expect(f?.params[1]?.type).toEqual({
      kind: 'pointer',
      pointer: 'ref',
      alias: 'LPWSTR',
      target: { kind: 'string', char: 'wchar_t' },
    });
    // top-level [out] pointer is ref; the typedef'd inner pointer takes pointer_default (unique)
    expect(f?.params[2]?.type).toMatchObject({
      kind: 'pointer',
      pointer: 'ref',
      target: { kind: 'pointer', pointer: 'unique', target: { kind: 'named', name: 'S' } },
    });
    expect(f?.params[3]?.type).toEqual({ kind: 'primitive', name: 'wchar_t', alias: 'CH' });
    expect(i?.types.S).toMatchObject({
      kind: 'struct',
      tag: '_S',
      fields: [
        { name: 'n' },
        { name: 'data', type: { kind: 'array', size: { is: { kind: 'ident', name: 'n' } } } },
      ],
    });
  });

  it('folds sizeof of base types, pointers and [MS-DTYP] integer typedefs (LLP64)', () => {
    const i = parseIdl(
      wrap(
        'const long N = 8 + 256 * sizeof(WCHAR) + sizeof(unsigned long) + sizeof(char *) + sizeof(hyper);',
      ),
      { file: 'x.idl' },
    ).interfaces[0];
    expect(i?.consts.N).toBe(8 + 512 + 4 + 8 + 8);
    // A declared type is sized once it is known (c-sizeof.ts); an unknown one is an error there.
    expect(errorOf(wrap('const long M = sizeof(S);')).message).toMatch(
      /x\.idl:2:\d+: sizeof\(S\): not a type with a C size here/,
    );
  });

  it('reads first_is and last_is as the window they send', () => {
    const m = parseIdl(wrap('typedef struct S { long f; long l; [first_is(f), last_is(l)] long a[8]; } S;'), {
      file: 'x.idl',
    });
    const s = m.interfaces[0]?.types.S;
    expect(s?.kind === 'struct' && s.fields[2]?.type).toEqual({
      kind: 'array',
      element: { kind: 'primitive', name: 'long' },
      size: { fixed: 8 },
      first: { kind: 'ident', name: 'f' },
      // last_is(l) with first_is(f): l - f + 1 elements
      length: {
        kind: 'binary',
        op: '+',
        left: {
          kind: 'binary',
          op: '-',
          left: { kind: 'ident', name: 'l' },
          right: { kind: 'ident', name: 'f' },
        },
        right: { kind: 'number', value: 1 },
      },
    });
  });

  it('includes files through readFile and applies an ACF', () => {
    const files: Record<string, string> = {
      'common.h': '#define SIZE 16\n',
      'shared.idl': 'typedef struct P { long x; long y; } P;',
    };
    // SIZE comes from the included header: the array's count and a constant use it.
    const text = `#include "common.h"\nimport "shared.idl";\n${wrap('const long K = SIZE * 2;\ntypedef struct Q { long a[SIZE]; } Q;\nvoid G([in] P *p, [in] Q *q);')}`;
    const m = parseIdl(text, {
      file: 'x.idl',
      readFile: (p) => files[p],
      acf: 'interface T { [async] G(); }',
    });
    expect(m.interfaces[0]?.procedures[0]?.acfAsync).toBe(true);
    expect(m.interfaces[0]?.types.P).toBeDefined();
    expect(m.interfaces[0]?.consts.K).toBe(32);
    expect(m.interfaces[0]?.types.Q).toMatchObject({
      fields: [{ name: 'a', type: { kind: 'array', size: { fixed: 16 } } }],
    });
  });

  it('leaves a procedure with an interface pointer parameter unavailable, at its opnum', () => {
    const i = parseIdl(wrap('void F([in] interface IUnknown *p);\nvoid G([in] long n);'), { file: 'x.idl' })
      .interfaces[0];
    expect(i?.unavailable).toEqual([
      {
        name: 'F',
        opnum: 0,
        reason: expect.stringMatching(/x\.idl:2:\d+: interface pointer \('IUnknown'\) is not supported yet/),
      },
    ]);
    expect(i?.procedures.map((p) => [p.name, p.opnum])).toEqual([['G', 1]]);
  });

  it.each([
    [
      '[first_is] with sizes on two pointer levels',
      wrap('void F([in] long f, [in] long n, [in, first_is(f), size_is(n, n)] long **p);'),
      /x\.idl:2:\d+: \[first_is\] with sizes on more than one pointer level is not supported yet/,
    ],
    [
      "a function-like macro's # operator",
      '#define F(x) #x\n',
      /x\.idl:1:1: the # and ## operators \(in macro 'F'\) is not supported yet/,
    ],
  ])('reports %s as not supported, with its position', (_what, text, message) => {
    expect(errorOf(text).message).toMatch(message);
  });

  it.each([
    [
      '[transmit_as]',
      wrap('typedef [transmit_as(long)] short T;\nvoid F([in] T t);'),
      /^x\.idl:3:13: 'T' cannot be used: attribute \[transmit_as\] on a typedef is not supported yet \(x\.idl:2:10\)$/,
    ],
    [
      'a pipe',
      wrap('typedef pipe long LP;\nvoid F([in] LP p);'),
      /^x\.idl:3:13: 'LP' cannot be used: pipe is not supported yet \(x\.idl:2:9\)$/,
    ],
  ])('refuses the one procedure that uses %s, with the position of the use', (_what, text, reason) => {
    const [iface] = parseIdl(text, { file: 'x.idl' }).interfaces;
    expect(iface?.procedures).toEqual([]);
    expect(iface?.unavailable).toEqual([{ name: 'F', opnum: 0, reason: expect.stringMatching(reason) }]);
  });

  it.each([
    ['a missing semicolon', wrap('void F(void)'), /x\.idl:3:1: expected ';' but found '}'/],
    ['an unknown type', wrap('void F([in] FOO x);'), /x\.idl:2:13: unknown type 'FOO'/],
    ['an [out] non-pointer', wrap('void F([out] long x);'), /\[out\] parameter 'x' must be a pointer/],
    [
      'size_is naming nothing',
      wrap('void F([in, size_is(n)] long *x);'),
      /'n' in a size\/length attribute is not a parameter of 'F'/,
    ],
    ['an unterminated comment', '/* never ends', /x\.idl:1:1: unterminated comment/],
    // Where it opened, not a (negative) column counted from the last line it swallowed.
    ['an unterminated comment over lines', 'long x;\n  /* never\nends\n', /x\.idl:2:3: unterminated comment/],
    ['one in a directive', '\n#define A /* never\nends', /x\.idl:2:11: unterminated comment/],
    // A macro body is lexed on its own: its errors are placed at the #define, not counted
    // from the body's start (which pointed past the end of line 1).
    [
      'a malformed number in a macro body',
      '// a comment\n\n#define V [in(12345678-1234-1234-1234-123456789abc)]0x1\n',
      /x\.idl:3:1: in this #define: malformed number '123456789abc'/,
    ],
    // An #if expression too (found by the IDL fuzz: a uuid pasted after `#if _`).
    [
      'a malformed number in an #if expression',
      '// a comment\n\n#if _uuid(12345678-1234-ABCD-EF00-0123456789AB)\n#endif\n',
      /x\.idl:3:1: in this #if: malformed number '0123456789AB'/,
    ],
    [
      'an empty length_is on a [string] pointer',
      wrap('typedef [string] char *PSTR;\nvoid F([in, length_is()] PSTR s);'),
      /x\.idl:3:13: \[length_is\] needs an expression/,
    ],
    [
      'first_is alone on a scalar',
      wrap('void F([in] long n, [in, first_is(n)] long v);'),
      /x\.idl:2:26: \[first_is\] needs a pointer or an array/,
    ],
    ['an unterminated #if', '#if 1\n', /x\.idl:1:1: unterminated #if/],
    ['a missing uuid', '[version(1.0)] interface T { }', /interface 'T' has no \[uuid\]/],
    ['a bad uuid', wrap('', 'uuid(nonsense)'), /malformed uuid/],
    ['a missing include', '#include "nope.h"\n', /x\.idl:1:1: cannot find include file 'nope.h'/],
    ['garbage', '@', /x\.idl:1:1: unexpected character '@'/],
  ])('reports %s with its position', (_what, text, message) => {
    expect(errorOf(text).message).toMatch(message);
  });

  it('ignores unknown system imports but not missing local ones', () => {
    expect(() =>
      parseIdl(`import "wtypes.idl", "oaidl.idl", "ms-oaut.idl";\n${wrap('void F(void);')}`),
    ).not.toThrow();
    expect(errorOf(`import "mine.idl";\n${wrap('void F(void);')}`).message).toMatch(
      /cannot find imported file 'mine\.idl'/,
    );
  });
});
