// lib/idl/lexer.ts: IDL text to tokens. Expected values follow C11 6.4 (integer constants
// in decimal, octal and hex with u/l/ll suffixes, plus MSVC's i64; floating constants;
// escape sequences; the longest punctuator wins) and MIDL's reading of uuid(...) as raw
// text. Positions are 1-based line and column, counted by hand.
import { describe, expect, it } from 'vitest';
import { parseIdl } from '../../lib/idl/index.js';
import { tokenize } from '../../lib/idl/lexer.js';

const toks = (text: string) => tokenize(text, 'l.idl').filter((t) => t.kind !== 'eof');
const kinds = (text: string) => toks(text).map((t) => `${t.kind}:${t.text}`);

describe('the lexer', () => {
  it.each([
    ['0', 0],
    ['42', 42],
    ['017', 15], // octal
    ['0x1F', 31],
    ['0XffFF', 65535],
    ['10u', 10],
    ['10UL', 10],
    ['10lu', 10],
    ['10LL', 10],
    ['10ull', 10],
    ['10i64', 10],
    ['10ui64', 10],
    ['1.5', 1.5],
    ['.25', 0.25],
    ['2e3', 2000],
    ['1.5f', 1.5],
  ])('the number %s is %d', (text, value) => {
    expect(toks(text)).toMatchObject([{ kind: 'number', text, value }]);
  });

  // 08 and 09: a leading 0 makes an octal constant, whose digits are 0-7 (C11 6.4.4.1).
  it.each(['0x', '1z', '1.2.3', '0xg', '08', '09', '0789'])('refuses the malformed number %s', (text) => {
    expect(() => tokenize(`\n  ${text}`, 'l.idl')).toThrow(`l.idl:2:3: malformed number '${text}'`);
  });

  it.each([
    ['\\n', 10],
    ['\\t', 9],
    ['\\r', 13],
    ['\\0', 0],
    ['\\\\', 92],
    ["\\'", 39],
    ['\\"', 34],
    ['\\a', 7],
    ['\\b', 8],
    ['\\f', 12],
    ['\\v', 11],
    ['\\?', 63],
    ['\\x41', 65],
    ['\\101', 65], // octal
    ['\\7', 7],
    ['A', 65],
  ])("the character '%s' is %d", (text, value) => {
    expect(toks(`'${text}'`)).toMatchObject([{ kind: 'char', value }]);
    expect(toks(`L'${text}'`)).toMatchObject([{ kind: 'char', value }]);
  });

  it('strings: escapes resolved, wide strings read alike', () => {
    expect(toks('"a\\tb\\x41\\101\\\\" L"w"')).toMatchObject([
      { kind: 'string', text: 'a\tbAA\\' },
      { kind: 'string', text: 'w' },
    ]);
  });

  it('wide literals in a const: L"..." and L\'x\' (they lexed as the name L, then a literal)', () => {
    const m = parseIdl(
      `[uuid(12345678-1234-1234-1234-123456789abc), version(1.0)] interface T {
        const wchar_t *NAME = L"abc"; const wchar_t C = L'x'; void F(void); }`,
      { file: 'l.idl' },
    );
    expect(m.interfaces[0]?.consts).toEqual({ NAME: 'abc', C: 120 });
  });

  it('a string may not run past the end of its line', () => {
    expect(() => tokenize('x "abc\n"', 'l.idl')).toThrow('l.idl:1:3: unterminated string literal');
  });

  it('the longest punctuator wins', () => {
    expect(kinds('a<<=b<<c<=d<e->f::g...')).toEqual([
      'ident:a',
      'punct:<<=',
      'ident:b',
      'punct:<<',
      'ident:c',
      'punct:<=',
      'ident:d',
      'punct:<',
      'ident:e',
      'punct:->',
      'ident:f',
      'punct:::',
      'ident:g',
      'punct:...',
    ]);
    expect(kinds('a>>=b>>c>=d==e!=f&&g||h')).toEqual([
      'ident:a',
      'punct:>>=',
      'ident:b',
      'punct:>>',
      'ident:c',
      'punct:>=',
      'ident:d',
      'punct:==',
      'ident:e',
      'punct:!=',
      'ident:f',
      'punct:&&',
      'ident:g',
      'punct:||',
      'ident:h',
    ]);
  });

  it('uuid(...) is raw text, quoted or not', () => {
    expect(kinds('uuid(8a885d04-1ceb-11c9-9fe8-08002b104860)')).toEqual([
      'ident:uuid',
      'punct:(',
      'uuid:8a885d04-1ceb-11c9-9fe8-08002b104860',
      'punct:)',
    ]);
    expect(kinds('uuid( "8a885d04-1ceb-11c9-9fe8-08002b104860" )')[2]).toBe(
      'uuid:8a885d04-1ceb-11c9-9fe8-08002b104860',
    );
  });

  it('positions: lines after \\n and CRLF, columns after tabs and comments', () => {
    const t = toks('a\r\n\tb /* c\n d */ e\n  // f\n g');
    expect(t.map((x) => [x.text, x.loc.line, x.loc.column])).toEqual([
      ['a', 1, 1],
      ['b', 2, 2],
      ['e', 3, 7],
      ['g', 5, 2],
    ]);
  });

  it('a directive is one token to the end of its line; backslash-newline continues it', () => {
    const t = toks('  #define A 1 \\\n  + 2\n#define B /* x\n y */ 3 // z\nA');
    expect(t.map((x) => [x.kind, x.text, x.loc.line, x.loc.column])).toEqual([
      ['directive', 'define A 1    + 2', 1, 3],
      ['directive', 'define B   3', 3, 1],
      ['ident', 'A', 5, 1],
    ]);
    // CRLF after the backslash too.
    expect(toks('#define A \\\r\n 1\r\nx').map((x) => x.text)).toEqual(['define A   1', 'x']);
  });

  it("'#' other than at the start of a line is not a directive", () => {
    expect(() => tokenize('a #define', 'l.idl')).toThrow("l.idl:1:3: unexpected character '#'");
  });

  it('an unterminated comment in a directive names where it opened', () => {
    expect(() => tokenize('\n#if 1 /* open', 'l.idl')).toThrow('l.idl:2:7: unterminated comment');
  });

  it('the end token sits after the last character', () => {
    const all = tokenize('ab\n  cd', 'l.idl');
    expect(all[all.length - 1]).toMatchObject({ kind: 'eof', loc: { line: 2, column: 5 } });
  });
});
