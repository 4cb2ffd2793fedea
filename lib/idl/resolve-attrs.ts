// What data attributes do to a declarator's type: [range], [switch_is]/[switch_type],
// [context_handle] and [string], and reading attribute arguments as expressions.
import type { AttrAst, DeclaratorAst } from './ast.js';
import { IdlError, notSupported, type SourceLocation } from './errors.js';
import { evalExpr, parseExpr, sizeofName } from './expr.js';
import type { IdlExpr, IdlType, PrimitiveName } from './model.js';
import { parseTypeSpec } from './parser.js';
import { numericConst, type RType, type Scope } from './resolve-scope.js';
import { resolveSpec } from './resolve-types.js';
import type { Token } from './token.js';
import { TokenStream } from './token-stream.js';

/** Parses an attribute argument's tokens as an expression (empty argument: null). */
export function attrExpr(a: AttrAst, index: number, scope: Scope): IdlExpr | null {
  const raw = a.args[index];
  if (!raw || raw.length === 0) return null;
  const toks = sizeofTypedefs(raw, scope);
  const last = toks[toks.length - 1] as Token;
  const ts = new TokenStream([...toks, { kind: 'eof', text: '', loc: last.loc }]);
  const e = parseExpr(ts);
  if (!ts.atEnd()) ts.fail(`unexpected '${ts.peek().text}' in [${a.name}]`);
  return e;
}

/** C spellings of the primitives, for sizeof (expr.ts's table). */
const C_SPELLING: Record<PrimitiveName, string> = {
  boolean: 'boolean',
  byte: 'byte',
  char: 'char',
  uchar: 'char',
  small: 'small',
  usmall: 'small',
  wchar_t: 'wchar_t',
  short: 'short',
  ushort: 'short',
  long: 'long',
  ulong: 'long',
  hyper: 'hyper',
  uhyper: 'hyper',
  float: 'float',
  double: 'double',
  error_status_t: 'error_status_t',
  handle_t: 'void *',
};

/**
 * `sizeof(T)` of a typedef the scope knows (`sizeof(TCHAR)`, which is WCHAR or char by
 * UNICODE) as a number, before the expression is parsed; other sizeofs stay for expr.ts.
 */
function sizeofTypedefs(toks: Token[], scope: Scope): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Token;
    const name = toks[i + 2];
    if (
      t.text === 'sizeof' &&
      toks[i + 1]?.text === '(' &&
      name?.kind === 'ident' &&
      toks[i + 3]?.text === ')'
    ) {
      const found = scope.lookupType(name.text);
      const type = found?.kind === 'alias' ? found.type : undefined;
      const size =
        type?.kind === 'primitive'
          ? (sizeofName(C_SPELLING[type.name]) ?? 8)
          : type?.kind === 'pointer' || type?.kind === 'int3264' || type?.kind === 'context_handle'
            ? 8
            : undefined;
      if (size !== undefined) {
        out.push({ kind: 'number', text: String(size), value: size, loc: t.loc });
        i += 3;
        continue;
      }
    }
    out.push(t);
  }
  return out;
}

export function findAttr(attrs: AttrAst[], name: string): AttrAst | undefined {
  return attrs.find((a) => a.name === name);
}

/**
 * Replaces names of constants in an attribute expression by their values, and a wholly
 * constant expression by its value: `max_is(257)` (257 + 1) is the constant 258, which
 * MIDL writes as a constant conformance rather than an expression callback.
 */
export function foldConsts(e: IdlExpr, scope: Scope): IdlExpr {
  const folded = foldNames(e, scope);
  if (folded.kind === 'number' || !isConstant(folded)) return folded;
  try {
    return { kind: 'number', value: evalExpr(folded, () => undefined, { file: '', line: 0, column: 0 }) };
  } catch {
    return folded; // division by zero: left for the error where it is evaluated
  }
}

function foldNames(e: IdlExpr, scope: Scope): IdlExpr {
  switch (e.kind) {
    case 'ident': {
      const v = numericConst(scope, e.name);
      return v === undefined ? e : { kind: 'number', value: v };
    }
    case 'unary':
      return { ...e, operand: foldNames(e.operand, scope) };
    case 'binary':
      return { ...e, left: foldNames(e.left, scope), right: foldNames(e.right, scope) };
    case 'conditional':
      return {
        ...e,
        test: foldNames(e.test, scope),
        whenTrue: foldNames(e.whenTrue, scope),
        whenFalse: foldNames(e.whenFalse, scope),
      };
    default:
      return e;
  }
}

function isConstant(e: IdlExpr): boolean {
  switch (e.kind) {
    case 'number':
      return true;
    case 'ident':
      return false;
    case 'unary':
      return e.op !== '*' && isConstant(e.operand);
    case 'binary':
      return isConstant(e.left) && isConstant(e.right);
    case 'conditional':
      return isConstant(e.test) && isConstant(e.whenTrue) && isConstant(e.whenFalse);
  }
}

export function applyRange(t: RType, a: AttrAst, scope: Scope): RType {
  const lo = attrExpr(a, 0, scope);
  const hi = attrExpr(a, 1, scope);
  if (!lo || !hi || a.args.length !== 2)
    throw new IdlError('[range] takes two bounds: range(min, max)', a.loc);
  const value = (e: IdlExpr) => evalExpr(e, (n) => numericConst(scope, n), a.loc);
  const r = { min: value(lo), max: value(hi) };
  if (r.min > r.max)
    throw new IdlError(`[range(${r.min}, ${r.max})]: the minimum exceeds the maximum`, a.loc);
  if (r.min < -0x80000000 || r.max > 0xffffffff) throw notSupported('[range] bounds beyond 32 bits', a.loc);
  // On a sized array (or the pointer to one) it bounds the element count (MIDL's range on
  // conformance); on a pointer to an integer or an enum, the integer or enum. Sizes on an inner level
  // (`[out, size_is(, *n), range(0, MAX)] T **p`, [MS-EVEN6]): the array that level sizes.
  const sizedBelow = (x: RType): boolean =>
    x.kind === 'pointer' ? sizedBelow(x.target) : x.kind === 'array' || x.kind === 'string';
  if (t.kind === 'pointer' && t.target.kind === 'pointer' && sizedBelow(t.target))
    return { ...t, target: applyRange(t.target, a, scope) };
  const sized = t.kind === 'pointer' ? t.target : t;
  if (sized.kind === 'string') {
    // `[string, range(0, 8 * 1024)] wchar_t *`: the string's length ([MS-SCMR]).
    const ranged = { ...sized, range: r };
    return t.kind === 'pointer' ? { ...t, target: ranged } : ranged;
  }
  if (sized.kind === 'array' && 'is' in sized.size) {
    const ranged = { ...sized, sizeRange: r };
    return t.kind === 'pointer' ? { ...t, target: ranged } : ranged;
  }
  const isEnum = (x: RType): x is RType & { kind: 'named' } =>
    x.kind === 'named' && scope.lookupNamed(x.name)?.kind === 'enum';
  if (t.kind === 'pointer' && (t.target.kind === 'primitive' || isEnum(t.target)))
    return { ...t, target: applyRange(t.target, a, scope) };
  if (isEnum(t)) return { ...t, range: r };
  if (t.kind !== 'primitive' || ['float', 'double', 'handle_t', 'hyper', 'uhyper'].includes(t.name))
    throw notSupported('[range] on anything but an integer or character of 32 bits or less', a.loc);
  return { ...t, range: r };
}

/** [switch_is] lands on the union, through any pointers in front of it. */
export function applySwitchIs(t: RType, a: AttrAst, switchType: AttrAst | undefined, scope: Scope): RType {
  if (t.kind === 'pointer') return { ...t, target: applySwitchIs(t.target, a, switchType, scope) };
  const u = t.kind === 'named' ? scope.lookupNamed(t.name) : undefined;
  if (t.kind !== 'named' || u?.kind !== 'union' || u.encapsulated)
    throw new IdlError('[switch_is] needs a non-encapsulated union', a.loc);
  const e = attrExpr(a, 0, scope);
  if (!e) throw new IdlError('[switch_is] needs an expression', a.loc);
  if (switchType) {
    const st = resolveSwitchType(switchType, scope);
    if (u.switchType && JSON.stringify(u.switchType) !== JSON.stringify(st))
      throw notSupported(`[switch_type] different from the one union '${u.name}' declares`, switchType.loc);
    u.switchType = st;
  }
  return { ...t, switchIs: foldConsts(e, scope) };
}

export function resolveSwitchType(a: AttrAst, scope: Scope): IdlType {
  const toks = a.args[0] ?? [];
  if (toks.length === 0) throw new IdlError('[switch_type] needs a type', a.loc);
  const last = toks[toks.length - 1] as Token;
  const ts = new TokenStream([...toks, { kind: 'eof', text: '', loc: last.loc }]);
  const st = resolveSpec(parseTypeSpec(ts), scope, '', []);
  if (!ts.atEnd()) ts.fail(`unexpected '${ts.peek().text}' in [switch_type]`);
  return checkSwitchType(st, scope, a.loc);
}

/** The base types a union may switch on: MIDL's integer, char and boolean types. */
export const SWITCH_TYPE_PRIMITIVES: ReadonlySet<PrimitiveName> = new Set<PrimitiveName>([
  'boolean',
  'byte',
  'char',
  'uchar',
  'small',
  'usmall',
  'wchar_t',
  'short',
  'ushort',
  'long',
  'ulong',
]);

export function checkSwitchType(t: RType, scope: Scope, loc: SourceLocation): IdlType {
  const ok =
    (t.kind === 'primitive' && SWITCH_TYPE_PRIMITIVES.has(t.name)) ||
    (t.kind === 'named' && scope.lookupNamed(t.name)?.kind === 'enum');
  if (!ok) throw new IdlError('a union discriminant must be an integer, char, boolean or enum', loc);
  if (t.kind === 'primitive') return { kind: 'primitive', name: t.name };
  return t as IdlType;
}

/** [context_handle] on `void *` or a pointer to a (usually incomplete) struct. */
export function makeContextHandle(t: RType, d: DeclaratorAst, attrs: AttrAst[]): RType {
  const at = findAttr(attrs, 'context_handle')?.loc ?? d.loc;
  const strict = !!findAttr(attrs, 'strict_context_handle');
  const typeStrict = !!findAttr(attrs, 'type_strict_context_handle');
  const flags = { ...(strict ? { strict } : {}), ...(typeStrict ? { typeStrict } : {}) };
  // `[out, context_handle] void **h`: the handle is the inner pointer.
  if (t.kind === 'pointer' && t.target.kind === 'pointer')
    return { ...t, target: { kind: 'context_handle', ...flags } };
  // `[out, context_handle] PCONTEXT_HANDLE_X *h` where the typedef is already a context
  // handle ([MS-EVEN6] EvtRpcRegisterRemoteSubscription): the attribute repeats it.
  if (t.kind === 'context_handle' || (t.kind === 'pointer' && t.target.kind === 'context_handle')) return t;
  if (t.kind !== 'pointer') throw new IdlError('[context_handle] needs a pointer type', at);
  return { kind: 'context_handle', ...flags };
}

/**
 * [string] on a char or wchar_t array or pointer. `varying` is the [length_is], [last_is] or
 * [first_is] beside it, if any: a string's length is its terminator, so MIDL refuses
 * [length_is] and [last_is] with [string] (the [length_is] page), and first_is likewise
 * sets the transmitted part.
 */
export function makeString(t: RType, loc: SourceLocation, scope: Scope, varying?: string): RType {
  const charOf = (e: RType): 'char' | 'wchar_t' | undefined => {
    if (e.kind !== 'primitive') return undefined;
    if (e.name === 'char' || e.name === 'uchar' || e.name === 'byte') return 'char';
    if (e.name === 'wchar_t' || e.name === 'ushort') return 'wchar_t';
    return undefined;
  };
  const fromArray = (a: RType & { kind: 'array' }): RType => {
    // `[size_is(n), string] wchar_t **p`: an array of string pointers.
    if (a.element.kind === 'pointer') return { ...a, element: makeString(a.element, loc, scope) };
    const c = charOf(a.element);
    if (!c) throw notSupported('[string] on an array of anything but char/wchar_t', loc);
    if (a.length) throw new IdlError(`[string] with [${varying ?? 'length_is'}]`, loc);
    if ('open' in a.size) return { kind: 'string', char: c };
    return { kind: 'string', char: c, size: a.size };
  };
  if (t.kind === 'string') return t;
  if (t.kind === 'array') return fromArray(t);
  if (t.kind === 'pointer') {
    const target = t.target;
    if (target.kind === 'string') return t;
    if (target.kind === 'array') return { ...t, target: fromArray(target) };
    const c = charOf(target);
    if (c) return { ...t, target: { kind: 'string', char: c } };
    if (target.kind === 'pointer') return { ...t, target: makeString(target, loc, scope) };
  }
  throw new IdlError('[string] needs a char or wchar_t pointer or array', loc);
}
