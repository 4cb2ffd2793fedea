// lib/ndr/expr-program.ts: the programs winrpc compiles for expression callbacks, byte by
// byte. The expected bytes are written from the interpreter that runs them,
// native/win/expr_eval.cc: CONST 0x01 + 8 bytes little-endian, ADDR 0x02 + 4 bytes,
// LOAD 0x03 width signed <address>, NEG 0x10, BITNOT 0x11, NOT 0x12, the binary operators
// `+ - * / % << >> & | ^ && || == != < > <= >=` as 0x20..0x31, COND 0x40; a program is a
// has-first byte, [the first_is expression], then the count expression.
import { describe, expect, it } from 'vitest';
import { IdlError } from '../../lib/idl/errors.js';
import type { BinaryOp, IdlExpr, PrimitiveName } from '../../lib/idl/model.js';
import type { TypeLayout } from '../../lib/ndr/compiled.js';
import { compileExprProgram, type ExprOperand } from '../../lib/ndr/expr-program.js';

const loc = { file: 'x.idl', line: 3, column: 7 };
const hex = (a: ArrayLike<number>) => Array.from(a, (b) => b.toString(16).padStart(2, '0')).join(' ');

// x64 C sizes, written out.
const prim = (primitive: PrimitiveName, size: number): TypeLayout =>
  ({ kind: 'primitive', primitive, size, align: size }) as TypeLayout;
const OPERANDS: Record<string, { offset: number; type: TypeLayout }> = {
  s8: { offset: 0x10, type: prim('small', 1) },
  u8: { offset: 0x11, type: prim('byte', 1) },
  s16: { offset: 0x18, type: prim('short', 2) },
  u16: { offset: 0x20, type: prim('ushort', 2) },
  s32: { offset: 0x28, type: prim('long', 4) },
  u32: { offset: 0x30, type: prim('ulong', 4) },
  s64: { offset: 0x38, type: prim('hyper', 8) },
  e: {
    offset: 0x40,
    type: { kind: 'enum', wire: 'enum16', members: [], size: 4, align: 4 } as TypeLayout,
  },
  ip: { offset: 0x48, type: { kind: 'int3264', signed: true, size: 8, align: 8 } as TypeLayout },
  up: { offset: 0x50, type: { kind: 'int3264', signed: false, size: 8, align: 8 } as TypeLayout },
  p: {
    offset: 0x58,
    type: { kind: 'pointer', pointer: 'unique', target: prim('short', 2), size: 8, align: 8 } as TypeLayout,
  },
  neg: { offset: -8, type: prim('long', 4) },
  f: { offset: 0x60, type: prim('float', 4) },
  d: { offset: 0x68, type: prim('double', 8) },
  h: { offset: 0x70, type: prim('handle_t', 8) },
  pf: {
    offset: 0x78,
    type: { kind: 'pointer', pointer: 'unique', target: prim('float', 4), size: 8, align: 8 } as TypeLayout,
  },
};
const operand: ExprOperand = (name) => OPERANDS[name];

const num = (value: number): IdlExpr => ({ kind: 'number', value });
const id = (name: string): IdlExpr => ({ kind: 'ident', name });
const program = (count: IdlExpr, first?: IdlExpr) => hex(compileExprProgram(first, count, operand, loc));
// LOAD width signed ADDR offset (4 bytes little-endian).
const load = (width: number, signed: number, offset: string) => `03 ${hex([width, signed])} 02 ${offset}`;

describe('expression programs (native/win/expr_eval.cc reads them)', () => {
  it('a constant: CONST and 8 bytes little-endian, two’s complement when negative', () => {
    expect(program(num(0x0102))).toBe('00 01 02 01 00 00 00 00 00 00');
    expect(program(num(-2))).toBe('00 01 fe ff ff ff ff ff ff ff');
    expect(program(num(2 ** 40 + 5))).toBe('00 01 05 00 00 00 00 01 00 00');
  });

  it('refuses a constant that is not a safe integer', () => {
    expect(() => program(num(1.5))).toThrow(new IdlError('1.5 is not an integer constant', loc));
    expect(() => program(num(2 ** 53))).toThrow(IdlError);
  });

  it('a name: LOAD of its width and signedness at StackTop + offset', () => {
    expect(program(id('s8'))).toBe(`00 ${load(1, 1, '10 00 00 00')}`);
    expect(program(id('u8'))).toBe(`00 ${load(1, 0, '11 00 00 00')}`);
    expect(program(id('s16'))).toBe(`00 ${load(2, 1, '18 00 00 00')}`);
    expect(program(id('u16'))).toBe(`00 ${load(2, 0, '20 00 00 00')}`);
    expect(program(id('s32'))).toBe(`00 ${load(4, 1, '28 00 00 00')}`);
    expect(program(id('u32'))).toBe(`00 ${load(4, 0, '30 00 00 00')}`);
    expect(program(id('s64'))).toBe(`00 ${load(8, 1, '38 00 00 00')}`);
    // An enum is an int in memory; __int3264 is 8 bytes in memory, signed as declared.
    expect(program(id('e'))).toBe(`00 ${load(4, 1, '40 00 00 00')}`);
    expect(program(id('ip'))).toBe(`00 ${load(8, 1, '48 00 00 00')}`);
    expect(program(id('up'))).toBe(`00 ${load(8, 0, '50 00 00 00')}`);
    // A pointer's own value (its address, 0 for NULL), unsigned.
    expect(program(id('p'))).toBe(`00 ${load(8, 0, '58 00 00 00')}`);
    // A negative offset (a field before the one sized) as 32 bits.
    expect(program(id('neg'))).toBe(`00 ${load(4, 1, 'f8 ff ff ff')}`);
  });

  it('*name: LOAD of the pointee, through LOAD of the pointer', () => {
    expect(program({ kind: 'unary', op: '*', operand: id('p') })).toBe(
      `00 03 02 01 ${load(8, 0, '58 00 00 00')}`,
    );
  });

  it('refuses what the interpreter cannot read', () => {
    expect(() => program({ kind: 'unary', op: '*', operand: id('s32') })).toThrow(
      new IdlError("'*s32' dereferences something that is not a pointer", loc),
    );
    expect(() => program({ kind: 'unary', op: '*', operand: num(4) })).toThrow(
      /`\*` of anything but a name in an expression/,
    );
    expect(() => program(id('missing'))).toThrow(
      new IdlError("'missing' in an expression is not a parameter or field in scope", loc),
    );
    expect(() => program(id('f'))).toThrow(/'f' in an expression \(only integers and pointers can be\)/);
    expect(() => program(id('d'))).toThrow(/'d' in an expression \(only integers and pointers can be\)/);
    expect(() => program(id('h'))).toThrow(/'h' in an expression \(only integers and pointers can be\)/);
    expect(() => program({ kind: 'unary', op: '*', operand: id('pf') })).toThrow(
      /'\*pf' in an expression \(only integers and pointers can be\)/,
    );
  });

  it('unary operators: NEG, BITNOT, NOT; unary + adds nothing', () => {
    const one = '01 01 00 00 00 00 00 00 00';
    expect(program({ kind: 'unary', op: '-', operand: num(1) })).toBe(`00 10 ${one}`);
    expect(program({ kind: 'unary', op: '~', operand: num(1) })).toBe(`00 11 ${one}`);
    expect(program({ kind: 'unary', op: '!', operand: num(1) })).toBe(`00 12 ${one}`);
    expect(program({ kind: 'unary', op: '+', operand: num(1) })).toBe(`00 ${one}`);
  });

  it('binary operators: 0x20 + their place in the interpreter’s list, left then right', () => {
    const ops: BinaryOp[] = ['+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^'];
    ops.push('&&', '||', '==', '!=', '<', '>', '<=', '>=');
    ops.forEach((op, i) => {
      expect(program({ kind: 'binary', op, left: id('s16'), right: num(3) }), op).toBe(
        `00 ${hex([0x20 + i])} ${load(2, 1, '18 00 00 00')} 01 03 00 00 00 00 00 00 00`,
      );
    });
    expect(ops).toHaveLength(0x31 - 0x20 + 1);
  });

  it('a conditional: COND test, then the true arm, then the false arm', () => {
    expect(
      program({
        kind: 'conditional',
        test: id('p'),
        whenTrue: { kind: 'unary', op: '*', operand: id('p') },
        whenFalse: num(0),
      }),
    ).toBe(
      `00 40 ${load(8, 0, '58 00 00 00')} 03 02 01 ${load(8, 0, '58 00 00 00')} 01 ${'00 '.repeat(8).trim()}`,
    );
  });

  it('first_is: has-first 1, the first expression, then the count', () => {
    expect(program(id('u32'), id('s32'))).toBe(
      `01 ${load(4, 1, '28 00 00 00')} ${load(4, 0, '30 00 00 00')}`,
    );
  });
});
