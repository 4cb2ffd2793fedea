// The front end's refusals of attributes, declarators, procedures and types: each is a
// rule of MIDL's IDL ([MS-RPCE] 2.2.4 and MIDL's attribute pages) or of C, and each
// message names the attribute or declaration at fault by file:line:column (1-based,
// counted by hand in the line shown).
import { describe, expect, it } from 'vitest';
import { parseIdl } from '../../lib/idl/index.js';
import { type Refusal, refusalOf } from '../support/idl-refusal.js';
import { HEAD, inInterfaceT } from './idl-body.js';

/** The refusal: thrown, or the one procedure it leaves unavailable. */
const errorOf = (body: string, head = HEAD): Refusal =>
  refusalOf(() => parseIdl(inInterfaceT(body, head), { file: 'a.idl' }));

describe('attribute rules, with the attribute position', () => {
  it.each([
    // [range]
    [
      '[range] with one bound',
      'void F([in, range(5)] long n);',
      'a.idl:2:13: [range] takes two bounds: range(min, max)',
    ],
    [
      '[range] beyond 32 bits',
      'void F([in, range(0, 0x100000000)] hyper n);',
      'a.idl:2:13: [range] bounds beyond 32 bits is not supported yet',
    ],
    [
      '[range] on a double',
      'void F([in, range(0, 1)] double d);',
      'a.idl:2:13: [range] on anything but an integer or character of 32 bits or less is not supported yet',
    ],
    // [string]
    [
      '[string] on a long array',
      'void F([in, string] long a[4]);',
      'a.idl:2:13: [string] on an array of anything but char/wchar_t is not supported yet',
    ],
    [
      '[string] with [length_is]',
      'void F([in] long n, [in, string, length_is(n)] char a[8]);',
      'a.idl:2:26: [string] with [length_is]',
    ],
    [
      '[string] on a long',
      'void F([in, string] long n);',
      'a.idl:2:13: [string] needs a char or wchar_t pointer or array',
    ],
    // pointer attributes
    [
      '[unique] and [ptr] together',
      'void F([in, unique, ptr] long *p);',
      'a.idl:2:32: conflicting pointer attributes [unique], [ptr]',
    ],
    ['[unique] on a long', 'void F([in, unique] long n);', 'a.idl:2:13: [unique] needs a pointer'],
    // sizes
    [
      '[size_is] and [max_is] together',
      'void F([in] long n, [in, size_is(n), max_is(n)] long *p);',
      'a.idl:2:26: [size_is] and [max_is] together',
    ],
    [
      '[length_is] and [last_is] together',
      'void F([in] long n, [in, size_is(8), length_is(n), last_is(n)] long *p);',
      'a.idl:2:38: [length_is] and [last_is] together',
    ],
    [
      '[size_is] on a long',
      'void F([in] long n, [in, size_is(n)] long v);',
      'a.idl:2:26: [size_is] needs a pointer or an array',
    ],
    [
      '[size_is] on a fixed array',
      'void F([in] long n, [in, size_is(n)] long a[4]);',
      'a.idl:2:26: [size_is] on a fixed-size array',
    ],
    [
      '[min_is(1)]',
      'void F([in] long n, [in, min_is(1), size_is(n)] long *p);',
      'a.idl:2:26: [min_is] other than 0: Microsoft RPC arrays always start at index 0',
    ],
    [
      'more size levels than pointers',
      'void F([in] long n, [in, size_is(n, n)] long *p);',
      "a.idl:2:26: [size_is] has 2 levels but 'p' has 1 pointers",
    ],
    [
      'an open inner dimension',
      'void F([in] long n, [in, size_is(n)] long a[4][]);',
      'a.idl:2:43: only the first dimension of an array may be open',
    ],
    [
      'an array of no elements',
      'void F([in] long a[0]);',
      'a.idl:2:18: array size must be a positive integer, not 0',
    ],
    // switch
    [
      '[switch_is] on a long',
      'void F([in] long k, [in, switch_is(k)] long v);',
      'a.idl:2:26: [switch_is] needs a non-encapsulated union',
    ],
    [
      '[switch_type] where a union is used without [switch_is]',
      'typedef [switch_type(long)] union { [case(1)] long a; } U;\nvoid F([in, switch_type(long)] U *u);',
      'a.idl:3:13: [switch_type] without [switch_is] where a union is used',
    ],
    [
      'a union discriminant that is a double',
      'typedef [switch_type(double)] union { [case(1)] long a; } U;',
      'a.idl:2:10: a union discriminant must be an integer, char, boolean or enum',
    ],
    [
      'a case value given twice',
      'typedef [switch_type(long)] union { [case(1)] long a; [case(1)] short b; } U;',
      "a.idl:2:55: case 1 appears twice in union 'U'",
    ],
  ])('%s', (_what, body, message) => {
    expect(errorOf(body).message).toBe(message);
  });
});

describe('procedures and types', () => {
  it.each([
    ['a pointer return value', 'long *F(void);', 'a.idl:2:7: pointer return value is not supported yet'],
    ['an [out] long', 'void F([out] long x);', "a.idl:2:14: [out] parameter 'x' must be a pointer"],
    [
      '[ignore] on a long field',
      'typedef struct { [ignore] long n; } S;\nvoid F([in] S *s);',
      'a.idl:2:19: [ignore] needs a pointer field',
    ],
    ['a malformed version', 'void F(void);', "a.idl:1:46: malformed version 'x'"],
    [
      'pointer_default(none)',
      'void F(void);',
      "a.idl:1:46: pointer_default must be ref, unique or ptr, not 'none'",
    ],
  ])('%s', (what, body, message) => {
    const head =
      what === 'a malformed version'
        ? '[uuid(12345678-1234-1234-1234-123456789abc), version(x)] interface T {'
        : what === 'pointer_default(none)'
          ? '[uuid(12345678-1234-1234-1234-123456789abc), pointer_default(none)] interface T {'
          : HEAD;
    expect(errorOf(body, head).message).toBe(message);
  });

  it('a struct return value', () => {
    expect(errorOf('typedef struct { long a; } S;\nS F(void);').message).toBe(
      'a.idl:3:3: struct return value is not supported yet',
    );
  });
});

describe('the lexer', () => {
  it.each([
    ['an unterminated string', 'import "a.idl;', 'a.idl:1:8: unterminated string literal'],
    ['a bad escape in a string', 'import "a\\q.idl";', 'a.idl:1:10: bad escape in string literal'],
    ['an unterminated character', "const char C = 'a;", 'a.idl:1:16: unterminated character literal'],
    ['a bad escape in a character', "const char C = '\\q';", 'a.idl:1:17: bad escape in character literal'],
  ])('%s', (_what, text, message) => {
    try {
      parseIdl(text, { file: 'a.idl' });
      throw new Error('expected an IdlError');
    } catch (e) {
      expect((e as Error).message).toBe(message);
    }
  });
});
