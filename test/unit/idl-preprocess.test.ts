// lib/idl/preprocess.ts: the C preprocessor subset MIDL's input needs. Expected token
// texts follow the C standard's rules (C11 6.10: conditional inclusion, macro replacement
// with a macro not re-expanded inside its own replacement, `defined`, names left in an
// #if expression counting as 0), with MIDL's predefinitions (__midl 801, MIDL_PASS).
// Errors name the directive's file:line:column.
import { describe, expect, it } from 'vitest';
import { type PreprocessOptions, preprocess } from '../../lib/idl/preprocess.js';
import { idlErrorOf } from './idl-body.js';

const texts = (src: string, options?: PreprocessOptions) =>
  preprocess(src, 'p.idl', options)
    .filter((t) => t.kind !== 'eof')
    .map((t) => t.text)
    .join(' ');

const errorOf = (src: string, options?: PreprocessOptions) =>
  idlErrorOf(() => preprocess(src, 'p.idl', options));

describe('conditional inclusion', () => {
  it('#if / #elif / #else: the first true branch only', () => {
    const src = (n: number) =>
      `#define N ${n}\n#if N == 1\none\n#elif N == 2\ntwo\n#elif N >= 2\nmore\n#else\nnone\n#endif\nend`;
    expect(texts(src(1))).toBe('one end');
    expect(texts(src(2))).toBe('two end'); // N >= 2 is true too, but a branch was taken
    expect(texts(src(3))).toBe('more end');
    expect(texts(src(0))).toBe('none end');
  });

  it('#ifdef and #ifndef test whether a name is defined, not its value', () => {
    expect(texts('#define Z 0\n#ifdef Z\nyes\n#else\nno\n#endif')).toBe('yes');
    expect(texts('#ifdef Z\nyes\n#else\nno\n#endif')).toBe('no');
    expect(texts('#ifndef Z\nyes\n#else\nno\n#endif')).toBe('yes');
    expect(texts('#define Z\n#ifndef Z\nyes\n#else\nno\n#endif')).toBe('no');
  });

  it('a branch inside a dead one stays dead, whatever its own condition', () => {
    const src = '#if 0\n#if 1\na\n#else\nb\n#endif\n#elif 0\nc\n#else\n#ifdef __midl\nd\n#endif\n#endif';
    expect(texts(src)).toBe('d');
    expect(texts('#ifdef NOPE\n#ifndef NOPE\na\n#elif 1\nb\n#else\nc\n#endif\n#endif\nz')).toBe('z');
  });

  it('defined X and defined(X); a name left over counts as 0; macros expand in the condition', () => {
    expect(texts('#define A\n#if defined A && defined(A)\nyes\n#endif')).toBe('yes');
    expect(texts('#if defined(B) || defined B\nyes\n#else\nno\n#endif')).toBe('no');
    expect(texts('#if UNDEFINED_NAME\nyes\n#else\nno\n#endif')).toBe('no');
    expect(texts('#if !UNDEFINED_NAME\nyes\n#endif')).toBe('yes');
    expect(texts('#define TWO 2\n#define FOUR (TWO * TWO)\n#if FOUR == 4\nyes\n#endif')).toBe('yes');
  });

  it('MIDL predefines __midl as 801 and MIDL_PASS; options.defines add and override', () => {
    expect(texts('#if __midl >= 800 && defined(MIDL_PASS)\nyes\n#endif')).toBe('yes');
    expect(texts('#if __midl == 700\nold\n#else\nnew\n#endif', { defines: { __midl: '700' } })).toBe('old');
    expect(texts('V', { defines: { V: '1 + 2' } })).toBe('1 + 2');
  });

  it('directives the preprocessor does not know are an error only where read', () => {
    expect(texts('#if 0\n#frobnicate\n#error no\n#endif\nok')).toBe('ok');
    expect(errorOf('a\n#frobnicate x').message).toBe(
      "p.idl:2:1: unknown preprocessor directive '#frobnicate'",
    );
    expect(errorOf('\n\n  #error stop here').message).toBe('p.idl:3:3: #error stop here');
  });

  it.each([
    ['#elif without #if', 'a\n#elif 1\n', 'p.idl:2:1: #elif without #if'],
    ['#elif after #else', '#if 0\n#else\n#elif 1\n#endif', 'p.idl:3:1: #elif without #if'],
    ['#else without #if', '\n#else\n', 'p.idl:2:1: #else without #if'],
    ['a second #else', '#if 1\n#else\n#else\n#endif', 'p.idl:3:1: #else without #if'],
    ['#endif without #if', '#if 1\n#endif\n#endif', 'p.idl:3:1: #endif without #if'],
    ['an unterminated inner #if', '#if 1\n#ifdef X\n#endif', 'p.idl:1:1: unterminated #if'],
    ['a malformed defined()', '#if defined(1)\n#endif', 'p.idl:1:1: malformed defined()'],
    ['defined without a name', '\n#if defined\n#endif', 'p.idl:2:1: malformed defined()'],
  ])('reports %s with its position', (_what, src, message) => {
    expect(errorOf(src).message).toBe(message);
  });

  it('an #if expression with something left over is refused', () => {
    expect(errorOf('#if 1 2\n#endif').message).toMatch(/^p\.idl:1:1: unexpected '2' in #if expression/);
  });
});

describe('function-like macros (C11 6.10.3)', () => {
  it('replace each parameter by its argument, split at top-level commas', () => {
    expect(texts('#define ADD(a, b) (a + b)\nADD(1, f(2, 3))')).toBe('( 1 + f ( 2 , 3 ) )');
    // [MS-DHCPM]'s ELEMENT_MASK, used in an enum value.
    expect(texts('#define ELEMENT_MASK(E) ((((E) <= 1) && (0 <= (E)))?(0):(E))\nX = ELEMENT_MASK(5)')).toBe(
      'X = ( ( ( ( 5 ) <= 1 ) && ( 0 <= ( 5 ) ) ) ? ( 0 ) : ( 5 ) )',
    );
  });

  it('expand arguments first and rescan the result, the macro hidden in its own replacement', () => {
    expect(texts('#define N 7\n#define ID(x) x\nID(N) ID(ID(N))')).toBe('7 7');
    expect(texts('#define F(x) F(x + 1)\nF(2)')).toBe('F ( 2 + 1 )');
    expect(texts('#define TWICE(x) x x\n#define G(y) TWICE(y)\nG(z)')).toBe('z z');
  });

  it('a name not followed by ( stays a name; an empty list takes no arguments', () => {
    expect(texts('#define F(x) x\nF + F(1)')).toBe('F + 1');
    expect(texts('#define NONE() done\nNONE()')).toBe('done');
  });

  it('arguments may span lines, up to the next directive', () => {
    expect(texts('#define F(a, b) a b\nF(1,\n  2) end')).toBe('1 2 end');
  });

  it('work in #if conditions', () => {
    expect(texts('#define MAX(a, b) ((a) > (b) ? (a) : (b))\n#if MAX(1, 3) == 3\nyes\n#endif')).toBe('yes');
  });
});

describe('macros', () => {
  it('replaces a name by its body, and each token takes the position of the use', () => {
    const out = preprocess('#define PAIR long x\n\n  PAIR;', 'p.idl');
    expect(out.filter((t) => t.kind !== 'eof').map((t) => [t.text, t.loc.line, t.loc.column])).toEqual([
      ['long', 3, 3],
      ['x', 3, 3],
      [';', 3, 7],
    ]);
  });

  it('a macro is not expanded again inside its own replacement (C11 6.10.3.4)', () => {
    expect(texts('#define X X + 1\nX')).toBe('X + 1');
    expect(texts('#define A B\n#define B A\nA B')).toBe('A B');
    expect(texts('#define A B\n#define B C\nA')).toBe('C');
  });

  it('#undef ends a definition; a later #define replaces it', () => {
    expect(texts('#define A 1\nA\n#undef A\nA\n#define A 2\nA')).toBe('1 A 2');
  });

  it('an empty body removes the name', () => {
    expect(texts('#define NOTHING\nlong NOTHING x')).toBe('long x');
  });

  it('#pragma, #line and a lone # are ignored', () => {
    expect(texts('#pragma once\n#line 10\n#\na')).toBe('a');
  });

  it.each([
    ['#define without a name', '#define 1x', 'p.idl:1:1: #define needs a name'],
    [
      'the ## operator',
      '\n#define F(a, b) a ## b',
      "p.idl:2:1: the # and ## operators (in macro 'F') is not supported yet",
    ],
    [
      'a macro call with too few arguments',
      '#define F(a, b) a\nF(1)',
      "p.idl:2:1: macro 'F' takes 2 argument(s), not 1",
    ],
    ['an unterminated macro call', '#define F(a) a\nF(1', "p.idl:2:1: macro 'F': unterminated argument list"],
  ])('reports %s with its position', (_what, src, message) => {
    expect(errorOf(src).message).toBe(message);
  });
});

describe('#include', () => {
  const files: Record<string, string> = {
    'a.h': '#include "b.h"\nfrom_a',
    'b.h': 'from_b',
    'self.h': '#include "self.h"\nonce',
    'dir/c.h': '#include "d.h"\nfrom_c',
    'dir/d.h': 'from_d',
  };
  const readFile = (path: string, from: string) => {
    const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : '';
    return files[dir + path] ?? files[path];
  };

  it('reads "file" and <file> through readFile, nested, in place', () => {
    expect(texts('x\n#include "a.h"\ny\n#include <b.h>\nz', { readFile })).toBe('x from_b from_a y from_b z');
  });

  it('a file that includes itself is read once (a missing include guard)', () => {
    expect(texts('#include "self.h"', { readFile })).toBe('once');
  });

  it("looks up an included file's own includes beside it, and names it in positions", () => {
    const out = preprocess('#include "dir/c.h"', 'p.idl', { readFile });
    expect(out.filter((t) => t.kind !== 'eof').map((t) => `${t.text}@${t.loc.file}`)).toEqual([
      'from_d@dir/d.h',
      'from_c@dir/c.h',
    ]);
  });

  it("falls back to winrpc's own SDK text, and macros defined in an include stay defined", () => {
    const builtinFile = (path: string) =>
      path === 'sdk.h' ? { file: 'sdk.h', text: '#define SDK 1' } : undefined;
    expect(texts('#include <sdk.h>\n#if SDK\nyes\n#endif', { builtinFile })).toBe('yes');
  });

  it.each([
    ['a missing file', '\n#include "none.h"', "p.idl:2:1: cannot find include file 'none.h'"],
    ['no file name', '#include none.h', 'p.idl:1:1: #include needs "file" or <file>'],
  ])('reports %s with its position', (_what, src, message) => {
    expect(errorOf(src, { readFile }).message).toBe(message);
  });
});
