// C constant/attribute expressions: parsed to IdlExpr, evaluated where they must be
// numbers (consts, array bounds, #if).
import { sizeofIdent, sizeofTypeName } from './c-sizeof.js';
import { IdlError, type SourceLocation } from './errors.js';
import type { BinaryOp, IdlExpr } from './model.js';
import type { TokenStream } from './token-stream.js';

const BINARY: [BinaryOp[], number][] = [
  [['||'], 1],
  [['&&'], 2],
  [['|'], 3],
  [['^'], 4],
  [['&'], 5],
  [['==', '!='], 6],
  [['<', '>', '<=', '>='], 7],
  [['<<', '>>'], 8],
  [['+', '-'], 9],
  [['*', '/', '%'], 10],
];
const PRECEDENCE = new Map<string, number>(BINARY.flatMap(([ops, p]) => ops.map((op) => [op, p] as const)));

export function parseExpr(ts: TokenStream): IdlExpr {
  const test = parseBinary(ts, 1);
  if (ts.accept('?')) {
    const then = parseExpr(ts);
    ts.expect(':');
    return { kind: 'conditional', test, whenTrue: then, whenFalse: parseExpr(ts) };
  }
  return test;
}

function parseBinary(ts: TokenStream, minPrec: number): IdlExpr {
  let left = parseUnary(ts);
  for (;;) {
    const t = ts.peek();
    const prec = t.kind === 'punct' ? PRECEDENCE.get(t.text) : undefined;
    if (prec === undefined || prec < minPrec) return left;
    ts.next();
    const right = parseBinary(ts, prec + 1);
    left = { kind: 'binary', op: t.text as BinaryOp, left, right };
  }
}

function parseUnary(ts: TokenStream): IdlExpr {
  const t = ts.peek();
  if (t.kind === 'punct' && ['-', '+', '~', '!', '*'].includes(t.text)) {
    ts.next();
    return { kind: 'unary', op: t.text as '-' | '+' | '~' | '!' | '*', operand: parseUnary(ts) };
  }
  if (t.kind === 'punct' && t.text === '(') {
    ts.next();
    // A cast like (unsigned long)x: skip the type name, keep the operand.
    if (ts.peek().kind === 'ident' && isCastStart(ts)) {
      while (!ts.is(')')) ts.next();
      ts.expect(')');
      return parseUnary(ts);
    }
    const e = parseExpr(ts);
    ts.expect(')');
    return e;
  }
  if (t.kind === 'number' || t.kind === 'char') {
    ts.next();
    return { kind: 'number', value: t.value ?? 0 };
  }
  if (t.kind === 'ident' && t.text === 'sizeof' && ts.peek(1).text === '(') return parseSizeof(ts);
  if (t.kind === 'ident') {
    ts.next();
    return { kind: 'ident', name: t.text };
  }
  return ts.fail(`expected an expression but found '${t.text || 'end of file'}'`);
}

/**
 * `sizeof(type)` of a C base type, a pointer, or an [MS-DTYP] integer typedef (as protocol
 * IDLs size their buffers: `2 * sizeof(WCHAR)`), as x64 (LLP64) has them. Folded here,
 * where no struct is known yet: a struct's size is an error at its position.
 */
function parseSizeof(ts: TokenStream): IdlExpr {
  ts.next();
  const open = ts.expect('(');
  const words: string[] = [];
  let pointer = false;
  while (!ts.is(')') && !ts.atEnd()) {
    const w = ts.next();
    if (w.text === '*') pointer = true;
    else if (w.kind === 'ident' && w.text !== 'const') words.push(w.text);
    else if (w.text !== 'const') return ts.fail(`sizeof of something other than a type name`);
  }
  ts.expect(')');
  // C11 6.7.2p2: `short int`, `long long int` and `unsigned int` name short, long long, int.
  const name =
    words.filter((w) => w !== 'unsigned' && w !== 'signed' && !(w === 'int' && words.length > 1)).join(' ') ||
    'int';
  const size = pointer ? 8 : SIZEOF[name];
  // A declared type (`sizeof(GUID)`, a struct): sized once the scope knows it (c-sizeof.ts).
  if (size === undefined && words.length === 1 && !/^(un)?signed$/.test(name))
    return { kind: 'ident', name: sizeofIdent(name) };
  if (size === undefined)
    throw new IdlError(
      `sizeof(${words.join(' ')}): only base types, pointers and [MS-DTYP] integer typedefs`,
      open.loc,
    );
  return { kind: 'number', value: size };
}

/** sizeof of a C base type or [MS-DTYP] integer typedef spelled `name`, if this table knows it. */
export function sizeofName(name: string): number | undefined {
  return Object.hasOwn(SIZEOF, name) ? SIZEOF[name] : undefined;
}

const SIZEOF: Record<string, number> = {
  char: 1,
  byte: 1,
  small: 1,
  __int8: 1,
  boolean: 1,
  BYTE: 1,
  UCHAR: 1,
  CHAR: 1,
  BOOLEAN: 1,
  short: 2,
  __int16: 2,
  wchar_t: 2,
  WCHAR: 2,
  USHORT: 2,
  SHORT: 2,
  WORD: 2,
  int: 4,
  long: 4,
  'long int': 4,
  __int32: 4,
  float: 4,
  error_status_t: 4,
  LONG: 4,
  ULONG: 4,
  DWORD: 4,
  INT: 4,
  UINT: 4,
  BOOL: 4,
  NTSTATUS: 4,
  UINT32: 4,
  INT32: 4,
  ULONG32: 4,
  LONG32: 4,
  DWORD32: 4,
  HRESULT: 4,
  UINT16: 2,
  INT16: 2,
  UINT8: 1,
  INT8: 1,
  UINT64: 8,
  INT64: 8,
  DWORDLONG: 8,
  LONG_PTR: 8,
  UINT_PTR: 8,
  INT_PTR: 8,
  hyper: 8,
  __int64: 8,
  'long long': 8,
  double: 8,
  ULONG64: 8,
  LONG64: 8,
  DWORD64: 8,
  ULONGLONG: 8,
  LONGLONG: 8,
  QWORD: 8,
  __int3264: 8,
  ULONG_PTR: 8,
  SIZE_T: 8,
  DWORD_PTR: 8,
};

const CAST_WORDS = new Set([
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
]);
function isCastStart(ts: TokenStream): boolean {
  let i = 0;
  while (ts.peek(i).kind === 'ident' && CAST_WORDS.has(ts.peek(i).text)) i++;
  return i > 0 && ts.peek(i).text === ')';
}

/** Evaluates an expression to an integer (C semantics on 32/64-bit ints, enough for IDL). */
export function evalExpr(
  e: IdlExpr,
  lookup: (name: string) => number | undefined,
  at: SourceLocation,
): number {
  const ev = (x: IdlExpr): number => {
    switch (x.kind) {
      case 'number':
        return x.value;
      case 'ident': {
        const v = lookup(x.name);
        if (v === undefined && sizeofTypeName(x.name) !== undefined)
          throw new IdlError(
            `${x.name}: not a type with a C size here (base types, pointers, [MS-DTYP] integer typedefs, and structs, unions and enums declared before it)`,
            at,
          );
        if (v === undefined) throw new IdlError(`'${x.name}' is not a constant`, at);
        return v;
      }
      case 'unary': {
        const v = ev(x.operand);
        switch (x.op) {
          case '-':
            return -v;
          case '+':
            return v;
          case '~':
            return Number(~BigInt(v)); // all 64 bits, as & | ^ (`~v` would cut v to 32)
          case '!':
            return v ? 0 : 1;
          case '*':
            throw new IdlError('a dereference is not a constant expression', at);
        }
        break;
      }
      case 'conditional':
        return ev(x.test) ? ev(x.whenTrue) : ev(x.whenFalse);
      case 'binary': {
        const v = applyBinary(x.op, ev(x.left), ev(x.right));
        if (v === undefined) throw new IdlError('division by zero in a constant expression', at);
        return v;
      }
    }
    throw new IdlError('unsupported expression', at);
  };
  return ev(e);
}

/** A C binary operator on integers (0/1 for comparisons and logic); undefined: division by zero. */
export function applyBinary(op: BinaryOp, a: number, b: number): number | undefined {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? undefined : Math.trunc(a / b);
    case '%':
      return b === 0 ? undefined : a % b;
    case '<<':
      return Number(BigInt.asIntN(64, BigInt(a) << BigInt(b)));
    case '>>':
      return Number(BigInt(a) >> BigInt(b));
    case '&':
      return Number(BigInt(a) & BigInt(b));
    case '|':
      return Number(BigInt(a) | BigInt(b));
    case '^':
      return Number(BigInt(a) ^ BigInt(b));
    case '&&':
      return a && b ? 1 : 0;
    case '||':
      return a || b ? 1 : 0;
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
    case '<':
      return a < b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
  }
}
