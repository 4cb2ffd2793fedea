import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IdlError } from '../../lib/idl/index.js';
import { compileIdl } from '../../lib/ndr/index.js';
import { decodeProc } from './ndr-format-decode.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/idl');
// Compiled inside each test, not at module level: a mutation-testing run cannot see code that
// runs while vitest collects the file (docs/testing.md).
const compileFixture = (name: string) =>
  compileIdl(readFileSync(join(FIXTURES, `${name}.idl`), 'utf8'), { file: `${name}.idl` })[0];
const proc = (name: string) => {
  const iface = [compileFixture('types'), compileFixture('calc')].find((i) =>
    i?.procedures.some((x) => x.name === name),
  );
  const p = iface?.procedures.find((x) => x.name === name);
  if (!p || !iface) throw new Error(name);
  return { p, d: decodeProc(iface.procFormat, p.procFormatOffset, iface.typeFormat, true) };
};

describe('compileIdl (async, explicit primitive handle, robust)', () => {
  it('lays out slots as [PRPC_ASYNC_STATE][handle_t] params... [return]', () => {
    const { p, d } = proc('Divide');
    expect(p).toMatchObject({
      asyncStackOffset: 0,
      bindingStackOffset: 8,
      stackSize: 48,
      returnStackOffset: 40,
    });
    expect(p.params.map((x) => [x.name, x.direction, x.stackOffset])).toEqual([
      ['a', 'in', 16],
      ['b', 'in', 24],
      ['remainder', 'out', 32],
    ]);
    expect(d.handleType).toBe(0);
    expect(d.explicitHandle).toEqual({ kind: 0x32, flags: 0, offset: 8 });
    expect(d.oi2).toBe(0x80 | 0x40 | 0x04); // has async handle, has extensions, has return
    expect(d.ext).toEqual({
      size: 10,
      flags2: 0x01,
      clientCorrHint: 0,
      serverCorrHint: 0,
      notifyIndex: 0,
      floatMask: 0,
    });
    expect(d.params.map((x) => [x.flags, x.stackOffset])).toEqual([
      [0x48, 16],
      [0x48, 24],
      [0x2150, 32],
      [0x70, 40],
    ]);
  });

  it('sets the float mask by slot position (async + handle take slots 0 and 1)', () => {
    expect(proc('EchoFloat').p.floatMask).toBe(1 << 4);
    expect(proc('EchoDouble').p.floatMask).toBe(2 << 4);
    // a long(2) b double(3) c float(4) d hyper(5) e double(6) f short(7) g float(8: past 16 bits)
    expect(proc('MixedArgs').p.floatMask).toBe((2 << 6) | (1 << 8) | (2 << 12));
  });

  it('writes 6-byte correlation descriptors and the correlation-check flags', () => {
    const { d } = proc('FillLongs');
    expect(d.ext.flags2).toBe(0x01 | 0x02); // new corr desc, client corr check
    expect(d.params[3]?.type).toMatchObject({
      array: 0x1c,
      size: { type: 0x28, op: 0, offset: 16 },
      length: { type: 0x28, op: 0x54, offset: 32 },
    });
    expect(proc('SumLongs').d.ext.flags2).toBe(0x01 | 0x04);
  });

  it('computes x64 layouts', () => {
    const types = compileFixture('types');
    expect(types?.types.Point3).toMatchObject({
      kind: 'struct',
      size: 32,
      align: 8,
      fields: [
        { name: 'x', offset: 0 },
        { name: 'y', offset: 8 },
        { name: 'z', offset: 16 },
        { name: 'tag', offset: 24 },
        { name: 'c', offset: 26 },
      ],
    });
    expect(types?.types.Shape).toMatchObject({ kind: 'enum', wire: 'enum16', size: 4 });
    const shout = proc('ShoutW').p.params[1]?.type;
    expect(shout).toEqual({
      kind: 'pointer',
      pointer: 'ref',
      size: 8,
      align: 8,
      target: {
        kind: 'string',
        char: 'wchar_t',
        size: 0,
        align: 2,
        sizeIs: { source: 'param', name: 'size', deref: false, op: 'none' },
      },
    });
  });

  it('compiles a size_is no NDR operator expresses into an expression callback program', () => {
    const [c] = compileIdl(
      '[uuid(12345678-1234-1234-1234-123456789abc)] interface T { void F([in] long n, [in, unique] long *pn, [in, size_is(pn ? *pn : n * 3)] long *p); }',
      { file: 'x.idl' },
    );
    // After pn's FC_UP: FC_CARRAY, its size from callback 0 (top-level), robust flags 0.
    expect(Array.from(c?.typeFormat.slice(6, 18) ?? [])).toEqual([
      0x1b, 0x03, 0x04, 0x00, 0x20, 0x59, 0x00, 0x00, 0x00, 0x00, 0x08, 0x5b,
    ]);
    const load = (width: number, signed: number, offset: number) => [
      0x03,
      width,
      signed,
      0x02,
      offset,
      0,
      0,
      0,
    ];
    // n and pn sit in slots 2 and 3 (after the async state and the binding handle).
    expect(Array.from(c?.exprPrograms?.[0] ?? [])).toEqual([
      0, // no first_is
      0x40, // ?:
      ...load(8, 0, 24), // pn (the pointer)
      0x03,
      4,
      1,
      ...load(8, 0, 24), // *pn
      0x22,
      ...load(4, 1, 16),
      0x01,
      3,
      0,
      0,
      0,
      0,
      0,
      0,
      0, // n * 3
    ]);
  });

  it('compiles first_is in a struct into a callback relative to the embedded array', () => {
    const [c] = compileIdl(
      '[uuid(12345678-1234-1234-1234-123456789abc)] interface T { typedef struct S { long f; long n; [first_is(f), length_is(n)] short a[8]; } S; void F([in] S *s); }',
      { file: 'x.idl' },
    );
    // The engine hands the callback the array's address: the fields sit 8 and 4 bytes before it.
    const load = (offset: number) => [
      0x03,
      4,
      1,
      0x02,
      ...[0, 8, 16, 24].map((b) => ((offset >>> 0) >>> b) & 0xff),
    ];
    expect(Array.from(c?.exprPrograms?.[0] ?? [])).toEqual([1, ...load(-8), ...load(-4)]);
  });

  it('is JSON-serialisable apart from the byte arrays', () => {
    const types = compileFixture('types');
    const { procFormat, typeFormat, ...rest } = types as NonNullable<typeof types>;
    expect(JSON.parse(JSON.stringify(rest))).toEqual(rest);
    expect(procFormat[procFormat.length - 1]).toBe(0);
    expect(typeFormat[0]).toBe(0);
  });

  it.each([
    [
      'a struct that contains itself by value',
      '[uuid(12345678-1234-1234-1234-123456789abc)] interface T { typedef struct N { long v; struct N next; } N; void F([in] N *n); }',
      /struct 'N' contains itself/,
    ],
  ])('reports %s as IdlError', (_what, text, message) => {
    expect(() => compileIdl(text, { file: 'x.idl' })).toThrow(IdlError);
    expect(() => compileIdl(text, { file: 'x.idl' })).toThrow(message);
  });

  it('refuses async procedures without an explicit handle (NdrAsyncClientCall needs one)', () => {
    const text = readFileSync(join(FIXTURES, 'calc.idl'), 'utf8');
    expect(() => compileIdl(text, { file: 'calc.idl', binding: 'auto' })).toThrow(
      /async procedures need binding: explicit/,
    );
    expect(compileIdl(text, { file: 'calc.idl', binding: 'auto', async: false })[0]?.name).toBe('calc');
  });
});
