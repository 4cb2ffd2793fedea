// Declarators: C pointer and array syntax plus the attributes that reshape it
// (size_is/length_is/first_is levels, pointer kinds) into one type.
import type { AttrAst, DeclaratorAst } from './ast.js';
import { IdlError, notSupported } from './errors.js';
import { evalExpr } from './expr.js';
import type { IdlExpr } from './model.js';
import {
  applyRange,
  applySwitchIs,
  attrExpr,
  findAttr,
  foldConsts,
  makeContextHandle,
  makeString,
} from './resolve-attrs.js';
import { numericConst, type RType, type Scope } from './resolve-scope.js';

type DeclContext = 'typedef' | 'field' | 'param' | 'return';

/**
 * Builds the type of one declarator: C array and pointer syntax, then the attributes
 * that reshape it (size_is/length_is make the pointee an array, [string] makes a
 * char array a string, [unique]/[ref]/[ptr] set the outermost pointer's kind).
 */
export function applyDeclarator(
  base: RType,
  d: DeclaratorAst,
  attrs: AttrAst[],
  scope: Scope,
  ctx: DeclContext,
): RType {
  for (const a of attrs) {
    // Microsoft RPC does not implement min_is: every array starts at index 0, so only
    // [min_is(0)] (on every level) means anything, and it changes nothing.
    if (a.name === 'min_is') {
      const zero = a.args.every((_, i) => {
        const e = attrExpr(a, i, scope);
        if (!e) return true;
        try {
          return evalExpr(e, (n) => numericConst(scope, n), a.loc) === 0;
        } catch {
          return false; // a parameter or field: not a constant 0
        }
      });
      if (!zero)
        throw new IdlError('[min_is] other than 0: Microsoft RPC arrays always start at index 0', a.loc);
    }
  }
  if (d.functionPointer) throw notSupported(`function pointer '${d.name}'`, d.loc);
  if (d.arrays.length > 0 && d.pointers > 0) throw notSupported('array of pointers', d.loc);
  if (d.arrays.slice(1).some((x) => x === null))
    throw new IdlError('only the first dimension of an array may be open', d.loc);
  let t: RType = base;
  if (d.arrays.length > 0 && ctx === 'return')
    throw new IdlError('a procedure cannot return an array', d.loc);
  // Innermost dimension first: `long a[2][3]` is 2 arrays of 3 longs.
  for (let i = d.arrays.length - 1; i >= 0; i--) {
    const dim = d.arrays[i];
    if (dim === null || dim === undefined) t = { kind: 'array', element: t, size: { open: true } };
    else {
      const n = evalExpr(dim, (name) => numericConst(scope, name), d.loc);
      if (!Number.isInteger(n) || n <= 0)
        throw new IdlError(`array size must be a positive integer, not ${n}`, d.loc);
      t = { kind: 'array', element: t, size: { fixed: n } };
    }
  }
  for (let i = 0; i < d.pointers; i++) t = { kind: 'pointer', target: t };
  if (findAttr(attrs, 'context_handle')) t = makeContextHandle(t, d, attrs);

  const sizeAttr = findAttr(attrs, 'size_is') ?? findAttr(attrs, 'max_is');
  const lengthAttr = findAttr(attrs, 'length_is') ?? findAttr(attrs, 'last_is');
  if (findAttr(attrs, 'length_is') && findAttr(attrs, 'last_is'))
    throw new IdlError('[length_is] and [last_is] together', lengthAttr?.loc);
  if (sizeAttr && findAttr(attrs, 'size_is') && findAttr(attrs, 'max_is'))
    throw new IdlError('[size_is] and [max_is] together', sizeAttr.loc);
  const firstAttr = findAttr(attrs, 'first_is');
  // Levels up to the last one with a size or length: `[size_is(n,)] T **p` ([MS-DRSR])
  // sizes only the outer pointer, as `[size_is(n)]` does.
  const levels = (a: AttrAst | undefined) => (a ? a.args.findLastIndex((x) => x.length > 0) + 1 : 0);
  const nargs = Math.max(levels(sizeAttr), levels(lengthAttr));
  if (nargs > 1) {
    if (firstAttr) throw notSupported('[first_is] with sizes on more than one pointer level', firstAttr.loc);
    t = applyLevels(t, sizeAttr, lengthAttr, nargs, scope, ctx, d);
  } else if (sizeAttr || lengthAttr || firstAttr) {
    const binary = (op: '+' | '-', left: IdlExpr, right: IdlExpr): IdlExpr => ({
      kind: 'binary',
      op,
      left,
      right,
    });
    const one: IdlExpr = { kind: 'number', value: 1 };
    let size = sizeAttr ? attrExpr(sizeAttr, 0, scope) : null;
    let length = lengthAttr ? attrExpr(lengthAttr, 0, scope) : null;
    const first = firstAttr ? attrExpr(firstAttr, 0, scope) : null;
    if (firstAttr && !first) throw new IdlError('[first_is] needs an expression', firstAttr.loc);
    // last_is(x): elements first..x (first defaults to 0), so x - first + 1 of them.
    if (length && lengthAttr?.name === 'last_is')
      length = binary('+', first ? binary('-', length, first) : length, one);
    if (sizeAttr && !size) throw notSupported(`[${sizeAttr.name}] on an inner pointer`, sizeAttr.loc);
    if (size && sizeAttr?.name === 'max_is') size = binary('+', size, one);
    const fold = (e: IdlExpr | null) => (e ? foldConsts(e, scope) : undefined);
    // first_is alone: every element from first to the end.
    const rest = (total: IdlExpr) =>
      first && !length ? { length: fold(binary('-', total, first)) as IdlExpr } : {};
    const varying = {
      ...(length ? { length: fold(length) as IdlExpr } : {}),
      ...(first ? { first: fold(first) as IdlExpr } : {}),
    };
    if (t.kind === 'array') {
      if ('fixed' in t.size && size)
        throw new IdlError(`[${sizeAttr?.name}] on a fixed-size array`, sizeAttr?.loc);
      const total: IdlExpr | undefined =
        size ??
        ('fixed' in t.size
          ? { kind: 'number', value: t.size.fixed }
          : 'is' in t.size
            ? t.size.is
            : undefined);
      t = {
        ...t,
        ...(size ? { size: { is: fold(size) as IdlExpr } } : {}),
        ...varying,
        ...(total ? rest(total) : {}),
      };
    } else if (t.kind === 'pointer' && t.target.kind === 'string' && !t.target.size) {
      // `[out, string, size_is(*pcch)] LPSTR s` ([MS-SCMR]): a pointer typedef that is
      // already [string] (LPSTR, LPWSTR); MIDL sizes the string, as for `char *`.
      if (length || first)
        throw new IdlError(
          `[${(lengthAttr ?? firstAttr)?.name}] on a [string]`,
          (lengthAttr ?? firstAttr)?.loc,
        );
      if (!size) {
        // No size: the attribute there is (an empty length_is(), say) names the problem.
        const attr = (sizeAttr ?? lengthAttr ?? firstAttr)!;
        throw new IdlError(`[${attr.name}] needs an expression`, attr.loc ?? d.loc);
      }
      t = { ...t, target: { ...t.target, size: { is: fold(size) as IdlExpr } } };
      delete (t as { alias?: string }).alias;
    } else if (t.kind === 'pointer') {
      if (!size)
        throw notSupported(
          `[${(lengthAttr ?? firstAttr)?.name}] without [size_is] on a pointer`,
          (lengthAttr ?? firstAttr)?.loc,
        );
      t = {
        ...t,
        target: {
          kind: 'array',
          element: t.target,
          size: { is: fold(size) as IdlExpr },
          ...varying,
          ...rest(size),
        },
      };
      delete (t as { alias?: string }).alias;
    } else {
      // One of the three is there (this branch needs one): first_is alone included.
      const attr = (sizeAttr ?? lengthAttr ?? firstAttr)!;
      throw new IdlError(`[${attr.name}] needs a pointer or an array`, attr.loc ?? d.loc);
    }
  }

  const str = findAttr(attrs, 'string');
  if (str) t = makeString(t, str.loc, scope, (lengthAttr ?? firstAttr)?.name);

  const kinds = (['ref', 'unique', 'ptr'] as const).filter((k) => findAttr(attrs, k));
  if (kinds.length > 1) throw new IdlError(`conflicting pointer attributes [${kinds.join('], [')}]`, d.loc);
  const kind = kinds[0];
  const arrayParam = d.arrays.length > 0 && ctx === 'param';
  if (kind && arrayParam && kind !== 'ref') {
    // `[unique, size_is(n)] T a[*]`: the array's address may be NULL (MIDL: a unique pointer).
    t = { kind: 'pointer', pointer: kind, target: t };
  } else if (kind && ctx === 'field' && d.pointers === 0 && d.arrays[0] === null && t.kind === 'array') {
    // `[size_is(n), unique] T a[]` in a struct: MIDL makes the open array a sized pointer.
    t = { kind: 'pointer', pointer: kind, target: t };
  } else if (kind === 'ref' && t.kind === 'context_handle') {
    // `[in, ref] DRS_HANDLE h` ([MS-DRSR]): a context handle is a pointer in C; [ref] changes nothing.
  } else if (kind && !arrayParam) {
    if (t.kind !== 'pointer') throw new IdlError(`[${kind}] needs a pointer`, findAttr(attrs, kind)?.loc);
    t = { ...t, pointer: kind };
  }

  const range = findAttr(attrs, 'range');
  if (range) t = applyRange(t, range, scope);
  const switchIs = findAttr(attrs, 'switch_is');
  const switchType = findAttr(attrs, 'switch_type');
  if (switchIs) t = applySwitchIs(t, switchIs, switchType, scope);
  else if (switchType && ctx !== 'typedef')
    throw new IdlError('[switch_type] without [switch_is] where a union is used', switchType.loc);
  // C passes an array parameter as its address: a [ref] pointer to the array.
  if (arrayParam && t.kind !== 'pointer')
    t = { kind: 'pointer', pointer: 'ref', target: t, arrayParam: true };
  return t;
}

/**
 * `[size_is(a, b)] long **p` (and length_is/max_is/last_is likewise): each argument
 * sizes one pointer level, outermost first, and an empty argument leaves its level a
 * plain pointer. A pointer to `a` pointers to arrays of `b`: FC_BOGUS_ARRAY of pointers
 * to conformant arrays, every count a top-level parameter correlation.
 */
function applyLevels(
  t: RType,
  sizeAttr: AttrAst | undefined,
  lengthAttr: AttrAst | undefined,
  nargs: number,
  scope: Scope,
  ctx: DeclContext,
  d: DeclaratorAst,
): RType {
  const at = (sizeAttr ?? lengthAttr)?.loc;
  const name = (sizeAttr ?? lengthAttr)?.name;
  // A struct field's inner counts would be read relative to memory the engine does not
  // point at the struct: only parameters (whose counts come from the stack).
  if (ctx !== 'param') throw notSupported(`[${name}] on more than one level outside a parameter`, at);
  // Pointer levels of the type, not of the declarator: `[size_is(, *n)] PBYTE *pp`
  // ([MS-DNSP]) sizes the pointer PBYTE names, as MIDL reads it.
  let pointers = 0;
  for (let p = t; p.kind === 'pointer'; p = p.target) pointers++;
  if (pointers < nargs)
    throw new IdlError(`[${name}] has ${nargs} levels but '${d.name}' has ${pointers} pointers`, at);
  const fold = (e: IdlExpr) => foldConsts(e, scope);
  const plus1 = (e: IdlExpr): IdlExpr => ({
    kind: 'binary',
    op: '+',
    left: e,
    right: { kind: 'number', value: 1 },
  });
  const level = (p: RType, i: number): RType => {
    if (p.kind !== 'pointer') throw new IdlError(`[${name}] level ${i + 1} is not a pointer`, at);
    const target = i + 1 < nargs ? level(p.target, i + 1) : p.target;
    let size = sizeAttr ? attrExpr(sizeAttr, i, scope) : null;
    let length = lengthAttr ? attrExpr(lengthAttr, i, scope) : null;
    if (size && sizeAttr?.name === 'max_is') size = plus1(size);
    if (length && lengthAttr?.name === 'last_is') length = plus1(length);
    if (length && !size)
      throw notSupported(`[${lengthAttr?.name}] without a size on pointer level ${i + 1}`, at);
    if (!size) return { ...p, target };
    const out: RType = {
      ...p,
      target: {
        kind: 'array',
        element: target,
        size: { is: fold(size) },
        ...(length ? { length: fold(length) } : {}),
      },
    };
    delete (out as { alias?: string }).alias;
    return out;
  };
  return level(t, 0);
}
