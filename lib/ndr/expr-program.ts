// Expression callbacks (FC_CALLBACK correlations). NDR evaluates only x, *x and x±1, x*2,
// x/2 by itself; MIDL turns anything else (first_is, `p ? *p : 0`, `(a + b) * 4`) into a C
// routine in the stub's apfnExprEval table that sets pStubMsg->Offset and ->MaxCount.
// winrpc has no per-interface C code, so it compiles each expression into a small program
// that the addon's generic routine interprets (native/win/expr_eval.cc).
//
// A program: u8 hasFirst, [the first_is expression], the count expression. An expression,
// prefix-encoded (little-endian):
//   CONST i64 | ADDR i32 (StackTop + offset) | LOAD u8 width, u8 signed, <address>
//   | unary op <x> | binary op <x> <y> | COND <test> <x> <y>
import { IdlError, notSupported, type SourceLocation } from '../idl/errors.js';
import type { BinaryOp, IdlExpr } from '../idl/model.js';
import type { TypeLayout } from './compiled.js';
import { FormatBuffer } from './format-buffer.js';

export const EXPR_OP = {
  CONST: 0x01,
  ADDR: 0x02,
  LOAD: 0x03,
  NEG: 0x10,
  BITNOT: 0x11,
  NOT: 0x12,
  COND: 0x40,
} as const;

/** Binary operators in opcode order from 0x20. */
export const EXPR_BINARY: readonly BinaryOp[] = [
  '+',
  '-',
  '*',
  '/',
  '%',
  '<<',
  '>>',
  '&',
  '|',
  '^',
  '&&',
  '||',
  '==',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
];
const BINARY_BASE = 0x20;

/** Where an identifier lives relative to the callback's StackTop, and its C type. */
export type ExprOperand = (name: string) => { offset: number; type: TypeLayout } | undefined;

export function compileExprProgram(
  first: IdlExpr | undefined,
  count: IdlExpr,
  operand: ExprOperand,
  loc: SourceLocation,
): Uint8Array {
  const b = new FormatBuffer();
  b.u8(first ? 1 : 0);
  if (first) emit(b, first, operand, loc);
  emit(b, count, operand, loc);
  return b.toUint8Array();
}

function emit(b: FormatBuffer, e: IdlExpr, operand: ExprOperand, loc: SourceLocation): void {
  switch (e.kind) {
    case 'number':
      b.u8(EXPR_OP.CONST);
      for (const byte of int64Bytes(e.value, loc)) b.u8(byte);
      return;
    case 'ident': {
      const o = lookup(e.name, operand, loc);
      emitLoad(b, o.type, o.offset, loc, e.name);
      return;
    }
    case 'unary':
      if (e.op === '*') {
        if (e.operand.kind !== 'ident')
          throw notSupported('`*` of anything but a name in an expression', loc);
        const o = lookup(e.operand.name, operand, loc);
        if (o.type.kind !== 'pointer')
          throw new IdlError(`'*${e.operand.name}' dereferences something that is not a pointer`, loc);
        const { width, signed } = scalar(o.type.target, loc, `*${e.operand.name}`);
        b.u8(EXPR_OP.LOAD, width);
        b.u8(signed ? 1 : 0);
        emitLoad(b, o.type, o.offset, loc, e.operand.name);
        return;
      }
      if (e.op === '+') {
        emit(b, e.operand, operand, loc);
        return;
      }
      b.u8({ '-': EXPR_OP.NEG, '~': EXPR_OP.BITNOT, '!': EXPR_OP.NOT }[e.op]);
      emit(b, e.operand, operand, loc);
      return;
    case 'binary':
      b.u8(BINARY_BASE + EXPR_BINARY.indexOf(e.op));
      emit(b, e.left, operand, loc);
      emit(b, e.right, operand, loc);
      return;
    case 'conditional':
      b.u8(EXPR_OP.COND);
      emit(b, e.test, operand, loc);
      emit(b, e.whenTrue, operand, loc);
      emit(b, e.whenFalse, operand, loc);
      return;
  }
}

function lookup(name: string, operand: ExprOperand, loc: SourceLocation) {
  const o = operand(name);
  if (!o) throw new IdlError(`'${name}' in an expression is not a parameter or field in scope`, loc);
  return o;
}

/** LOAD of the value at StackTop + offset: a number, or a pointer's address (0: NULL). */
function emitLoad(
  b: FormatBuffer,
  type: TypeLayout,
  offset: number,
  loc: SourceLocation,
  name: string,
): void {
  const { width, signed } = type.kind === 'pointer' ? { width: 8, signed: false } : scalar(type, loc, name);
  b.u8(EXPR_OP.LOAD, width);
  b.u8(signed ? 1 : 0);
  b.u8(EXPR_OP.ADDR);
  b.u32(offset >>> 0);
}

const SIGNED = new Set(['small', 'short', 'long', 'hyper']);

function scalar(t: TypeLayout, loc: SourceLocation, name: string): { width: number; signed: boolean } {
  if (
    t.kind === 'primitive' &&
    t.primitive !== 'float' &&
    t.primitive !== 'double' &&
    t.primitive !== 'handle_t'
  )
    return { width: t.size, signed: SIGNED.has(t.primitive) };
  if (t.kind === 'enum') return { width: 4, signed: true };
  if (t.kind === 'int3264') return { width: 8, signed: t.signed };
  throw notSupported(`'${name}' in an expression (only integers and pointers can be)`, loc);
}

function int64Bytes(value: number, loc: SourceLocation): number[] {
  if (!Number.isSafeInteger(value)) throw new IdlError(`${value} is not an integer constant`, loc);
  const v = BigInt.asUintN(64, BigInt(value));
  return Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));
}
