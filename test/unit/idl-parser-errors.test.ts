// lib/idl/parser.ts: what a malformed IDL file is told, and where. Each message starts
// with file:line:column (1-based) so an editor can jump to it; the expected positions
// are counted by hand in the input shown (the column of the token named, or of the
// construct that was left open; where a token was expected, the token found instead).
import { describe, expect, it } from 'vitest';
import { parseIdl } from '../../lib/idl/index.js';
import { HEAD, idlErrorOf, inInterfaceT } from './idl-body.js';

const wrap = (body: string) => inInterfaceT(body);

const errorOf = (text: string) => idlErrorOf(() => parseIdl(text, { file: 'e.idl' }));

describe('parser errors, with file:line:column', () => {
  it.each([
    ['an import of a name', 'import foo;', "e.idl:1:8: expected a file name after import but found 'foo'"],
    [
      'two imports without a comma',
      'import "a.idl" "b.idl";',
      'e.idl:1:16: expected \';\' but found "b.idl"',
    ],
    [
      'an attribute that is not a name',
      '[1] interface T {}',
      "e.idl:1:2: expected an attribute name but found '1'",
    ],
    [
      'an attribute list left open',
      '[version(1.0) interface T {}',
      "e.idl:1:15: expected ']' but found 'interface'",
    ],
    ['attribute arguments left open', '[version(1.0', 'e.idl:1:2: unterminated arguments of [version]'],
    [
      'a base interface without a name',
      '[uuid(12345678-1234-1234-1234-123456789abc)] interface T : { }',
      "e.idl:1:60: expected the name of the base interface but found '{'",
    ],
    ['a declaration that is not one', '42;', "e.idl:1:1: expected a declaration but found '42'"],
    ['struct without a name or body', 'struct;', "e.idl:1:7: expected a name or '{' after 'struct'"],
    ['union without a name or body', 'typedef union;', "e.idl:1:14: expected a name or '{' after 'union'"],
    ['a typedef without a type', 'typedef ;', "e.idl:1:9: expected a type but found ';'"],
    ['a typedef without a name', 'typedef long;', "e.idl:1:13: expected a name but found ';'"],
    ['a const without a name', 'const long = 5;', "e.idl:1:12: expected a name but found '='"],
    [
      'an encapsulated union without a body',
      'typedef union U switch (long k) u;',
      "e.idl:1:34: expected '{' after the switch of an encapsulated union",
    ],
    [
      'an encapsulated union without a discriminant name',
      'typedef union U switch (long) u { case 1: long a; } U;',
      "e.idl:1:29: expected the name of the union discriminant but found ')'",
    ],
    ['a struct left open', 'typedef struct {\n  long a;', "e.idl:2:9: missing '}' at the end of a struct"],
    [
      'a union left open',
      'typedef [switch_type(long)] union {\n  [case(1)] long a;',
      "e.idl:2:19: missing '}' at the end of a union",
    ],
    ['enumerators without a comma', 'typedef enum { A B } E;', "e.idl:1:18: expected '}' but found 'B'"],
    [
      'an enumerator that is not a name',
      'typedef enum { 1 } E;',
      "e.idl:1:16: expected an enumerator name but found '1'",
    ],
    [
      'a type library left open',
      'library L {\n  interface I;',
      "e.idl:1:11: missing '}' at the end of library 'L'",
    ],
    ['a type library without a body', 'library L', "e.idl:1:9: expected '{' after 'library L'"],
    ['cpp_quote left open', 'cpp_quote("x"', "e.idl:1:10: unbalanced '('"],
  ])('%s', (_what, text, message) => {
    expect(errorOf(text).message).toBe(message);
  });

  it.each([
    [
      'a field declared in an interface',
      'long x;',
      "e.idl:2:7: expected '(' after 'x' (only procedures, typedefs and consts may appear in an interface)",
    ],
    ['an interface left open', 'void F(void);', "e.idl:2:13: missing '}' at the end of interface 'T'"],
    [
      '[string] on an empty union arm',
      'typedef [switch_type(long)] union {\n  [case(1)] [string] ;\n} U;',
      'e.idl:3:3: attribute [string] on an empty union arm',
    ],
    [
      'an empty [case]',
      'typedef [switch_type(long)] union {\n  [case()] long a;\n} U;',
      'e.idl:3:4: empty argument of [case]',
    ],
    [
      'a [case] with two values and no comma',
      'typedef [switch_type(long)] union {\n  [case(1 2)] long a;\n} U;',
      "e.idl:3:11: unexpected '2' in [case]",
    ],
  ])('%s (inside an interface)', (_what, body, message) => {
    // The interface left open has no closing brace at all.
    const text = body === 'void F(void);' ? `${HEAD}\n${body}` : wrap(body);
    expect(errorOf(text).message).toBe(message);
  });

  it.each([
    ['a variadic procedure', 'void F(...);', 'e.idl:2:8: variadic procedure is not supported yet'],
    [
      'a procedure returning a function pointer',
      'long (*F)(void);',
      'e.idl:2:6: function pointer is not supported yet',
    ],
    [
      'a function-pointer parameter',
      'void F([in] long (x)(void));',
      'e.idl:2:18: function pointer is not supported yet',
    ],
  ])('%s is valid MIDL that winrpc refuses, kind unsupported', (_what, body, message) => {
    const e = errorOf(wrap(body));
    expect(e.message).toBe(message);
    expect(e.kind).toBe('unsupported');
  });
});
