// Constant expressions in IDL (`const` declarations) evaluated by C's rules; every
// expected value is worked out by hand in the comment beside it. Parsed inside each test:
// StrykerJS's vitest runner only sees what runs inside tests (docs/testing.md).
import { describe, expect, it } from 'vitest';
import { IdlError, parseIdl } from '../../lib/idl/index.js';
import { preprocess } from '../../lib/idl/preprocess.js';

function consts(body: string): Record<string, number | string> {
  const text = `[uuid(4e7b2c90-3a5d-4f61-8b2e-9c0d1e2f3a4b), version(1.0)] interface k { ${body} }`;
  const iface = parseIdl(text, { file: 'k.idl' }).interfaces[0];
  if (!iface) throw new Error('no interface');
  return iface.consts;
}

describe('IDL constant expressions', () => {
  it('the conditional operator picks by its test, and nests to the right', () => {
    expect(consts('const long A = 1 ? 10 : 20; const long B = 0 ? 10 : 20;')).toMatchObject({ A: 10, B: 20 });
    // 0 ? 1 : (0 ? 2 : 3) = 3
    expect(consts('const long C = 0 ? 1 : 0 ? 2 : 3;').C).toBe(3);
  });

  it('unary minus, plus, bitwise not and logical not', () => {
    expect(
      consts(
        'const long A = -(3); const long B = +4; const long C = ~5; const long D = !0; const long E = !7;',
      ),
    ).toEqual({
      A: -3,
      B: 4,
      C: -6, // ~5 in two's complement
      D: 1,
      E: 0,
    });
  });

  it('a cast to an integer type is read through', () => {
    expect(consts('const long A = (unsigned long) 7 + (long)1;').A).toBe(8);
  });

  it('sizeof of base types and pointers (x64)', () => {
    expect(
      consts(
        'const long A = sizeof(short); const long B = sizeof(unsigned long); const long C = sizeof(char *); const long D = sizeof(const hyper);',
      ),
    ).toEqual({ A: 2, B: 4, C: 8, D: 8 });
  });

  it('refuses sizeof of something that is not a type name, and a dereference', () => {
    expect(() => consts('const long A = sizeof(1);')).toThrow(IdlError);
    expect(() => consts('const long A = sizeof(1);')).toThrow(/sizeof of something other than a type name/);
    expect(() => consts('const long A = *B;')).toThrow(IdlError);
  });
});

// C11 6.5: precedence from * / % (tightest) down to ||, then ?: ; binary operators group
// left to right; integer division truncates toward zero and a % b keeps a's sign (6.5.5p6);
// comparisons and logical operators give 0 or 1 (6.5.8-6.5.14).
describe('IDL constant expressions: C precedence and integer rules', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3], // (10 - 4) - 3
    ['100 / 10 / 5', 2], // (100 / 10) / 5
    ['2 * 3 % 4', 2], // (2 * 3) % 4
    ['1 << 2 + 1', 8], // 1 << (2 + 1)
    ['1 + 2 << 1', 6], // (1 + 2) << 1
    ['-16 >> 2', -4], // an arithmetic shift of a negative value
    ['1 & 2 == 2', 1], // 1 & (2 == 2) = 1 & 1; (1 & 2) == 2 would be 0
    ['1 | 2 ^ 3 & 1', 3], // 1 | (2 ^ (3 & 1)) = 1 | 3
    ['0xF0 & 0x3C', 0x30],
    ['0xF0 | 0x0F', 0xff],
    ['0xFF ^ 0x0F', 0xf0],
    ['5 > 3 == 1', 1], // (5 > 3) == 1
    ['4 < 4', 0],
    ['4 <= 4', 1],
    ['4 > 4', 0],
    ['4 >= 5', 0],
    ['4 != 4', 0],
    ['4 == 4', 1],
    ['1 || 0 && 0', 1], // 1 || (0 && 0)
    ['0 && 1 || 1', 1], // (0 && 1) || 1
    ['0 || 0', 0],
    ['2 && 3', 1],
    ['-7 / 2', -3], // toward zero, not -4
    ['-7 % 2', -1],
    ['7 % -2', 1],
    ['1 ? 2 : 3 ? 4 : 5', 2],
    ["'A' + 1", 66],
    ['~0x100000000', -4294967297], // the complement of a 64-bit value keeps its high bits
    ['~0x100000000 & 0xF00000000', 0xe00000000],
    ['(N) + 1', 3], // a parenthesised constant, not a cast
    ['(DWORD)-1', -1], // a cast is read through
  ])('%s = %i', (expr, value) => {
    expect(consts(`const long N = 2; const long V = ${expr};`).V).toBe(value);
  });

  it.each([
    ['unsigned', 4],
    ['unsigned int', 4],
    ['long int', 4],
    ['short int', 2],
    ['unsigned short int', 2],
    ['long long int', 8],
    ['signed char', 1],
    ['__int8', 1],
    ['__int16', 2],
    ['__int32', 4],
    ['long long', 8],
    ['void *', 8],
    ['DWORD', 4],
    ['USHORT', 2],
    ['ULONG_PTR', 8],
  ])('sizeof(%s) = %i', (type, size) => {
    expect(consts(`const long V = sizeof(${type});`).V).toBe(size);
  });

  it.each([
    ['a name that is no constant', 'const long V = B + 1;', "k.idl:1:74: 'B' is not a constant"],
    ['a division by zero', 'const long V = 1 / 0;', 'k.idl:1:74: division by zero in a constant expression'],
    ['a remainder by zero', 'const long V = 1 % 0;', 'k.idl:1:74: division by zero in a constant expression'],
    ['a dereference', 'const long V = *2;', 'k.idl:1:74: a dereference is not a constant expression'],
    [
      'sizeof of an unknown type',
      'const long V = sizeof(FOO);',
      'k.idl:1:74: sizeof(FOO): not a type with a C size here (base types, pointers, [MS-DTYP] integer typedefs, and structs, unions and enums declared before it)',
    ],
    ['an unclosed parenthesis', 'const long V = (1 + 2;', "k.idl:1:95: expected ')' but found ';'"],
    ['a missing operand', 'const long V = 1 + ;', "k.idl:1:93: expected an expression but found ';'"],
    // Columns: the body starts at column 74, after `...interface k { `; a parenthesis is
    // reported at its '(' (column 95), a missing operand where it is missing, a name (a
    // sizeof of a name too: it is looked up once the declarations are known) at the
    // declaration that uses it.
  ])('%s is an error at its position', (_what, body, message) => {
    try {
      consts(body);
      throw new Error('expected an IdlError');
    } catch (e) {
      expect(e).toBeInstanceOf(IdlError);
      expect((e as Error).message).toBe(message);
    }
  });
});

// Sizes of the base types on x64 (LLP64) and of [MS-DTYP] 2.2's integer typedefs, each from
// its definition there (BYTE 8-bit, WORD 16-bit, DWORD 32-bit, QWORD 64-bit, ULONG_PTR and
// SIZE_T pointer-sized...).
describe('sizeof of every name the table knows', () => {
  it.each([
    ['char', 1],
    ['byte', 1],
    ['small', 1],
    ['boolean', 1],
    ['BYTE', 1],
    ['UCHAR', 1],
    ['CHAR', 1],
    ['BOOLEAN', 1],
    ['short', 2],
    ['wchar_t', 2],
    ['WCHAR', 2],
    ['USHORT', 2],
    ['SHORT', 2],
    ['WORD', 2],
    ['int', 4],
    ['long', 4],
    ['float', 4],
    ['error_status_t', 4],
    ['LONG', 4],
    ['ULONG', 4],
    ['DWORD', 4],
    ['INT', 4],
    ['UINT', 4],
    ['BOOL', 4],
    ['NTSTATUS', 4],
    ['hyper', 8],
    ['__int64', 8],
    ['double', 8],
    ['ULONG64', 8],
    ['LONG64', 8],
    ['DWORD64', 8],
    ['ULONGLONG', 8],
    ['LONGLONG', 8],
    ['QWORD', 8],
    ['__int3264', 8],
    ['ULONG_PTR', 8],
    ['SIZE_T', 8],
    ['DWORD_PTR', 8],
  ])('sizeof(%s) = %i', (type, size) => {
    expect(consts(`const long V = sizeof(${type});`).V).toBe(size);
  });
});

describe('casts (read through) and expressions in #if', () => {
  it.each([
    'unsigned',
    'signed',
    'long',
    'short',
    'int',
    'char',
    'hyper',
    'small',
    'byte',
    'DWORD',
    'ULONG',
    'LONG',
    'USHORT',
    'BYTE',
    'unsigned long int',
  ])('(%s)2 is 2', (type) => {
    expect(consts(`const long V = (${type})2;`).V).toBe(2);
  });

  it.each([
    ['an empty #if', '#if\nx\n#endif', "p.idl:1:1: expected an expression but found 'end of file'"],
    ['an unclosed parenthesis', '#if (1\nx\n#endif', "p.idl:1:1: expected ')' but found end of file"],
    ['an unclosed sizeof', '#if sizeof(long\nx\n#endif', "p.idl:1:1: expected ')' but found end of file"],
    ['a division by zero', '#if 7 / 0\nx\n#endif', 'p.idl:1:1: division by zero in a constant expression'],
  ])('%s is an error at the #if', (_what, src, message) => {
    expect(() => preprocess(src, 'p.idl')).toThrow(message);
    expect(() => preprocess(src, 'p.idl')).toThrow(IdlError);
  });

  it('a #if expression follows the same rules: names left in it are 0 (C11 6.10.1p4)', () => {
    const kept = (cond: string) =>
      preprocess(`#if ${cond}\nyes\n#else\nno\n#endif`, 'p.idl')
        .filter((t) => t.kind !== 'eof')
        .map((t) => t.text)
        .join(' ');
    expect(kept('1 + 2 * 3 == 7')).toBe('yes');
    expect(kept('-7 / 2 == -3 && -7 % 2 == -1')).toBe('yes');
    expect(kept('UNDEFINED_NAME')).toBe('no');
    expect(kept('sizeof(long) == 4 && sizeof(void *) == 8')).toBe('yes');
  });
});
