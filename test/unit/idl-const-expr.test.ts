// Constant expressions in IDL (`const` declarations) evaluated by C's rules; every
// expected value is worked out by hand in the comment beside it. Parsed inside each test:
// StrykerJS's vitest runner only sees what runs inside tests (docs/testing.md).
import { describe, expect, it } from 'vitest';
import { IdlError, parseIdl } from '../../lib/idl/index.js';

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
