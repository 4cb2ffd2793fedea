// `unsigned char` (UCHAR, BYTE and BOOLEAN as [MS-DTYP] declares them) is a number in JS,
// while plain `char` stays a one-character string. On the wire both are FC_CHAR: MIDL's
// char is unsigned whichever way it is spelled, so only the JS value differs.
import { describe, expect, it } from 'vitest';
import { generateClient } from '../../lib/codegen/generate.js';
import { parseIdl } from '../../lib/idl/index.js';
import { compileIdl } from '../../lib/ndr/compile.js';
import { encodeCall } from '../../lib/runtime/encode-call.js';
import { checkScalar, readScalar } from '../../lib/runtime/scalars.js';

const HEADER =
  '[uuid(4a1c7e2b-9d3f-4e6a-8b5c-0f1e2d3c4b5a), version(1.0), pointer_default(unique)] interface T';
const idl = (body: string) => `${HEADER}\n{\n${body}\n}`;

function paramTypes(body: string) {
  return parseIdl(idl(body)).interfaces[0]?.procedures[0]?.params.map((p) => p.type);
}

describe('unsigned char', () => {
  it('resolves `unsigned char` to uchar, `char` to char and `signed char` to small', () => {
    expect(paramTypes('void F([in] unsigned char a, [in] char b, [in] signed char c);')).toEqual([
      { kind: 'primitive', name: 'uchar' },
      { kind: 'primitive', name: 'char' },
      { kind: 'primitive', name: 'small' },
    ]);
  });

  it('keeps the typedef name of [MS-DTYP] UCHAR and BOOLEAN', () => {
    expect(paramTypes('void F([in] UCHAR a, [in] BOOLEAN b, [in] CHAR c);')).toEqual([
      { kind: 'primitive', name: 'uchar', alias: 'UCHAR' },
      { kind: 'primitive', name: 'uchar', alias: 'BOOLEAN' },
      { kind: 'primitive', name: 'char', alias: 'CHAR' },
    ]);
  });

  it('sends FC_CHAR, the same procedure format as char', () => {
    const format = (type: string) =>
      compileIdl(idl(`void F([in] ${type} v, [out] ${type} *p);`))[0]!.procFormat;
    const unsigned = format('unsigned char');
    expect(unsigned).toEqual(format('char'));
    expect(unsigned).not.toEqual(format('byte'));
  });

  it('is [string] text like char', () => {
    expect(paramTypes('void F([in, string] unsigned char *s);')).toEqual([
      { kind: 'pointer', pointer: 'ref', target: { kind: 'string', char: 'char' } },
    ]);
  });

  it('reads and writes 0..255 as numbers', () => {
    const view = new DataView(new ArrayBuffer(1));
    view.setUint8(0, 0xfe);
    expect(readScalar(view, 0, 'uchar')).toBe(0xfe);
    expect(readScalar(view, 0, 'char')).toBe('\u00fe');
    expect(checkScalar('uchar', 0, 'v')).toBe(0);
    expect(checkScalar('uchar', 255, 'v')).toBe(255);
  });

  it('refuses a character, a fraction and values outside 0..255, naming the parameter', () => {
    const proc = compileIdl(idl('void F([in] unsigned char flag);'))[0]!.procedures[0]!;
    expect(() => encodeCall(proc, ['\u0001'])).toThrow(
      new TypeError('F(flag): expected an integer, got the string "\\u0001"'),
    );
    expect(() => encodeCall(proc, [1.5])).toThrow(
      new TypeError('F(flag): expected an integer, got number 1.5'),
    );
    expect(() => encodeCall(proc, [256])).toThrow(
      new RangeError('F(flag): 256 is outside unsigned char (0..255)'),
    );
    expect(() => encodeCall(proc, [-1])).toThrow(RangeError);
    expect(() => encodeCall(proc, [255])).not.toThrow();
  });

  it('is typed number in generated clients, in and out', () => {
    const text = generateClient(idl('unsigned char F([in] unsigned char v, [out] UCHAR *p, [in] char c);'), {
      file: 't.idl',
    });
    expect(text).toContain(
      'F(v: number, c: string | number, options?: CallOptions): Promise<{ p: number; returnValue: number }>;',
    );
  });
});
