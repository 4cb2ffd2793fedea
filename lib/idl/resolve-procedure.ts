// Procedures: parameters, directions, binding handles, call semantics, and the
// procedures winrpc skips ([callback], [local]).
import type { ProcedureAst } from './ast.js';
import { checkIdlAttrs, skippedBy } from './attributes.js';
import { IdlError, notSupported, type SourceLocation, UnusableTypeError } from './errors.js';
import type {
  Direction,
  IdlInterface,
  IdlParam,
  IdlProcedure,
  IdlRpcFlags,
  IdlType,
  PointerKind,
} from './model.js';
import { findAttr } from './resolve-attrs.js';
import { applyDeclarator } from './resolve-declarator.js';
import { finalize } from './resolve-interface.js';
import type { RType, Scope } from './resolve-scope.js';
import { checkIdents, exprsOf, resolveSpec } from './resolve-types.js';

/**
 * [callback] procedures run in the client (the server calls them), and [local] ones have
 * no stubs: neither is a call winrpc makes, and neither takes an opnum from the
 * interface's procedures ([MS-RPCE] 2.2.4.2 numbers callbacks on their own).
 */
export function skipProcedure(p: ProcedureAst, scope: Scope): boolean {
  const why = skippedBy(p.attrs, 'procedure');
  if (why) scope.warn(`skipped procedure '${p.name}': ${why}`, p.loc);
  return why !== undefined;
}

export interface RProcedure extends Omit<IdlProcedure, 'params' | 'returnType'> {
  returnType: RType;
  params: (Omit<IdlParam, 'type'> & { type: RType })[];
}

export function resolveProcedure(p: ProcedureAst, scope: Scope, opnum: number): RProcedure {
  checkIdlAttrs(p.attrs, 'procedure');
  const ret = applyDeclarator(
    resolveSpec(p.returnSpec, scope, '', []),
    { name: p.name, pointers: p.returnPointers, arrays: [], loc: p.loc },
    [],
    scope,
    'return',
  );
  if (ret.kind === 'pointer') throw notSupported('pointer return value', p.loc);
  if (ret.kind === 'named' && scope.lookupNamed(ret.name)?.kind === 'struct')
    throw notSupported('struct return value', p.loc);
  if (ret.kind === 'primitive' && ret.name === 'handle_t') throw notSupported('handle_t return value', p.loc);
  if (ret.kind === 'named' && scope.lookupNamed(ret.name)?.kind === 'union')
    throw notSupported('union return value', p.loc);
  const proc: RProcedure = { name: p.name, opnum, returnType: ret, params: [], acfAsync: false, loc: p.loc };
  const rpcFlags: IdlRpcFlags = {};
  for (const flag of ['idempotent', 'maybe', 'broadcast'] as const)
    if (findAttr(p.attrs, flag)) rpcFlags[flag] = true;
  if (Object.keys(rpcFlags).length > 0) proc.rpcFlags = rpcFlags;
  p.params.forEach((param, index) => {
    checkIdlAttrs(param.attrs, 'param');
    const name = param.declarator.name;
    // MIDL allows it ("the parameter-name identifier in the function declarator is
    // optional"); winrpc passes values by name: only this procedure is refused.
    if (!name)
      throw new UnusableTypeError(
        `a parameter without a name (${index + 1} of '${p.name}') is not supported yet`,
        param.loc,
        {
          kind: 'unsupported',
        },
      );
    // MIDL2003 "redefinition": a parameter of the same name already exists in the prototype.
    if (p.params.slice(0, index).some((q) => q.declarator.name === name))
      throw new IdlError(`parameter '${name}' of '${p.name}' is declared twice`, param.declarator.loc);
    const isIn = param.attrs.some((a) => a.name === 'in');
    const isOut = param.attrs.some((a) => a.name === 'out');
    const direction: Direction = isIn && isOut ? 'inout' : isOut ? 'out' : 'in';
    const base = resolveSpec(param.spec, scope, `${p.name}_${name}`, param.attrs);
    let t = applyDeclarator(base, param.declarator, param.attrs, scope, 'param');
    if (findAttr(param.attrs, 'strict_context_handle')) {
      const strict = markStrict(t);
      if (!strict) throw new IdlError('[strict_context_handle] needs a context handle', param.loc);
      t = strict;
    }
    if (t.kind === 'void') throw new IdlError(`parameter '${name}' has type void`, param.loc);
    // [MS-FAX] Appendix A's `[in] LPBYTE lpcSenderProfile[]`: an open array with nothing
    // that sizes it. Microsoft's MIDL documentation says only that the size of `[]` is
    // "determined at run time" (by [size_is]/[max_is], or a [string]'s terminator), not what
    // MIDL sends without them, so winrpc leaves just this procedure unavailable.
    const array = t.kind === 'pointer' && t.arrayParam ? t.target : t;
    if (array.kind === 'array' && 'open' in array.size)
      throw notSupported(
        `conformant array parameter '${name}' without [size_is] or [max_is]`,
        param.declarator.loc,
      );
    if (t.kind === 'primitive' && t.name === 'handle_t') {
      if (index !== 0)
        throw notSupported(`handle_t parameter '${name}' that is not the first parameter`, param.loc);
      if (isOut) throw new IdlError(`binding handle '${name}' cannot be [out]`, param.loc);
      proc.bindingHandle = { name, index };
      return;
    }
    if (containsHandle(t)) throw notSupported(`handle_t inside parameter '${name}'`, param.loc);
    if (isOut && t.kind !== 'pointer')
      throw new IdlError(`[out] parameter '${name}' must be a pointer`, param.loc);
    if (isOut && !isIn && t.kind === 'pointer' && (t.pointer === 'unique' || t.pointer === 'ptr'))
      throw outOnlyNotRef(name, t.pointer, param.loc);
    // A [handle] typedef by value (or through one pointer): a generic binding handle.
    const generic =
      param.spec.kind === 'name' && scope.isGenericHandle(param.spec.name) && param.declarator.pointers <= 1
        ? param.spec.name
        : undefined;
    proc.params.push({
      name,
      direction,
      type: t,
      ...(generic ? { genericHandle: generic } : {}),
      loc: param.declarator.loc,
    });
    if (generic && isIn && !proc.bindingHandle && !proc.genericBinding)
      proc.genericBinding = {
        name,
        index: proc.params.length - 1,
        typeName: generic,
        viaPointer: param.declarator.pointers === 1,
      };
  });
  const names = new Set(proc.params.map((x) => x.name));
  for (const param of proc.params)
    for (const e of exprsOf(param.type)) checkIdents(e, names, param.loc, `parameter of '${p.name}'`);
  return proc;
}

/**
 * "Out-only unique or full pointer parameters not accepted" (MIDL, Microsoft RPC docs):
 * nothing about an [out]-only parameter reaches the server, so its stub could not know
 * whether the pointer is NULL.
 */
function outOnlyNotRef(name: string, kind: PointerKind, loc: SourceLocation): IdlError {
  return new IdlError(`[out] parameter '${name}' cannot be [${kind}]`, loc);
}

/** The type with its context handle marked [strict_context_handle]; undefined if it has none. */
function markStrict(t: RType): RType | undefined {
  if (t.kind === 'context_handle') return { ...t, strict: true };
  if (t.kind === 'pointer') {
    const inner = markStrict(t.target);
    return inner && { ...t, target: inner };
  }
  return undefined;
}

/** Marks every context handle of an interface strict (the interface-wide attribute, IDL or ACF). */
export function markAllStrict(iface: IdlInterface): void {
  const visit = (t: IdlType): IdlType => (markStrict(t as RType) as IdlType | undefined) ?? t;
  for (const p of iface.procedures) {
    p.returnType = visit(p.returnType);
    for (const x of p.params) x.type = visit(x.type);
  }
}

export function containsHandle(t: RType): boolean {
  if (t.kind === 'primitive') return t.name === 'handle_t';
  if (t.kind === 'pointer') return containsHandle(t.target);
  if (t.kind === 'array') return containsHandle(t.element);
  return false;
}

export function finalizeProcedure(p: RProcedure, pointerDefault: PointerKind): IdlProcedure {
  const out: IdlProcedure = {
    name: p.name,
    opnum: p.opnum,
    returnType: finalize(p.returnType, pointerDefault, false, p.loc),
    // An [out]-only [unique] or [ptr] pointer was refused in resolveProcedure: a top-level
    // pointer without an attribute finalizes to [ref].
    params: p.params.map((x) => {
      const type = finalize(x.type, pointerDefault, true, x.loc);
      return {
        name: x.name,
        direction: x.direction,
        type,
        ...(x.genericHandle ? { genericHandle: x.genericHandle } : {}),
        loc: x.loc,
      };
    }),
    acfAsync: p.acfAsync,
    ...(p.rpcFlags ? { rpcFlags: { ...p.rpcFlags } } : {}),
    loc: p.loc,
  };
  if (p.bindingHandle) out.bindingHandle = p.bindingHandle;
  if (p.genericBinding) out.genericBinding = p.genericBinding;
  return out;
}
