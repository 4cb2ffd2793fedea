// Interfaces: the header attributes, the types an interface lists (built-in ones only
// when used, incomplete ones skipped), and open pointer kinds made final.
import type { AttrAst, InterfaceAst } from './ast.js';
import { checkIdlAttrs, skippedBy } from './attributes.js';
import { IdlError, notSupported, type SourceLocation } from './errors.js';
import type {
  IdlField,
  IdlInterface,
  IdlNamedType,
  IdlType,
  PointerKind,
  UnavailableProcedure,
} from './model.js';
import { findAttr } from './resolve-attrs.js';
import {
  finalizeProcedure,
  markAllStrict,
  type RProcedure,
  resolveProcedure,
  skipProcedure,
} from './resolve-procedure.js';
import { type RType, Scope } from './resolve-scope.js';
import { declareOrSkip } from './resolve-types.js';
import { isBuiltinFile } from './sdk-files.js';

/** Fills in open pointer kinds: [ref] for a top-level parameter pointer, pointer_default elsewhere. */
export function finalize(
  t: RType,
  pointerDefault: PointerKind,
  topLevel: boolean,
  loc: SourceLocation,
): IdlType {
  switch (t.kind) {
    case 'pointer': {
      const pointer = t.pointer ?? (topLevel ? 'ref' : pointerDefault);
      const out: IdlType = {
        kind: 'pointer',
        pointer,
        target: finalize(t.target, pointerDefault, false, loc),
      };
      if (t.alias) out.alias = t.alias;
      if (t.arrayParam) out.arrayParam = true;
      return out;
    }
    case 'array': {
      if ('open' in t.size) throw new IdlError('conformant array needs [size_is] or [max_is]', loc);
      const out: IdlType = {
        kind: 'array',
        element: finalize(t.element, pointerDefault, false, loc),
        size: t.size,
      };
      if (t.length) out.length = t.length;
      if (t.first) out.first = t.first;
      if (t.sizeRange) out.sizeRange = t.sizeRange;
      return out;
    }
    default:
      return t;
  }
}

function finalizeStruct(s: IdlNamedType, pointerDefault: PointerKind): IdlNamedType {
  if (s.kind === 'union')
    return {
      ...s,
      arms: s.arms.map((a) => ({
        ...a,
        field: a.field && {
          ...a.field,
          type: finalize(a.field.type as RType, pointerDefault, false, a.field.loc),
        },
      })),
    };
  if (s.kind !== 'struct') return s;
  return {
    ...s,
    fields: s.fields.map((f) => ({ ...f, type: finalize(f.type as RType, pointerDefault, false, f.loc) })),
  };
}

/** The roots of COM's interfaces, which the SDK's unknwn.idl and oaidl.idl declare. */
const COM_ROOTS = new Set(['IUnknown', 'IDispatch']);

/**
 * The interface, or undefined for one winrpc skips (with a warning): an object (COM)
 * interface or a [local] one, which has no stubs. Their declarations stay visible to the
 * file, as in MIDL.
 */
export function resolveInterface(
  ast: InterfaceAst,
  parent: Scope,
  /** Receives the interface's own scope, which later interfaces in the file see ([MS-PAN]). */
  declared?: (scope: Scope) => void,
): IdlInterface | undefined {
  parent.interfaces.add(ast.name);
  // An interface deriving from COM's roots (or from a COM interface skipped here) is an
  // object interface even without [object]: [MS-WMI] IWbemRemoteRefresher : IUnknown,
  // [MS-ADTG] IDataFactory [odl] : IUnknown. DCE interfaces cannot derive.
  const comBase =
    ast.base && (COM_ROOTS.has(ast.base) || parent.isComInterface(ast.base))
      ? `an object (COM) interface ('${ast.name}' derives from '${ast.base}') is not supported yet`
      : undefined;
  const skipped = skippedBy(ast.attrs, 'interface') ?? comBase;
  if (skipped) {
    if (comBase || findAttr(ast.attrs, 'object')) parent.comInterfaces.add(ast.name);
    for (const item of ast.items) if (item.kind !== 'procedure') declareOrSkip(item, parent);
    parent.warn(`skipped interface '${ast.name}': ${skipped}`, ast.loc);
    return undefined;
  }
  if (ast.base)
    throw notSupported(`interface inheritance ('${ast.name}' derives from '${ast.base}')`, ast.loc);
  checkIdlAttrs(ast.attrs, 'interface');
  const uuidAttr = findAttr(ast.attrs, 'uuid');
  if (!uuidAttr) throw new IdlError(`interface '${ast.name}' has no [uuid]`, ast.loc);
  const uuid = (uuidAttr.args[0]?.[0]?.text ?? '').toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(uuid))
    throw new IdlError(`malformed uuid '${uuid}'`, uuidAttr.loc);
  const version = { major: 0, minor: 0 };
  const versionAttr = findAttr(ast.attrs, 'version');
  if (versionAttr) {
    const text = (versionAttr.args[0] ?? []).map((t) => t.text).join('');
    const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
    if (!m) throw new IdlError(`malformed version '${text}'`, versionAttr.loc);
    version.major = Number(m[1]);
    version.minor = Number(m[2] ?? 0);
    if (version.major > 0xffff || version.minor > 0xffff)
      throw new IdlError(`version '${text}' out of range`, versionAttr.loc);
  }
  let pointerDefault: PointerKind = 'unique';
  const pd = findAttr(ast.attrs, 'pointer_default');
  if (pd) {
    const k = pd.args[0]?.[0]?.text;
    if (k !== 'ref' && k !== 'unique' && k !== 'ptr')
      throw new IdlError(`pointer_default must be ref, unique or ptr, not '${k}'`, pd.loc);
    pointerDefault = k;
  }
  const endpoints = (findAttr(ast.attrs, 'endpoint')?.args ?? []).map((toks) => {
    const t = toks[0];
    if (!t || t.kind !== 'string' || toks.length !== 1)
      throw new IdlError('endpoint() takes string literals', t?.loc ?? ast.loc);
    return t.text;
  });

  const scope = new Scope(parent);
  declared?.(scope);
  const procedures: RProcedure[] = [];
  const unavailable: UnavailableProcedure[] = [];
  for (const item of ast.items) {
    if (item.kind !== 'procedure') declareOrSkip(item, scope);
    else if (!skipProcedure(item, scope)) {
      const opnum = procedures.length + unavailable.length;
      try {
        procedures.push(resolveProcedure(item, scope, opnum));
      } catch (e) {
        // MIDL compiles it: the interface stays usable, only this procedure is refused (a
        // type winrpc cannot marshal, or any other 'unsupported' construct of the procedure).
        if (!(e instanceof IdlError) || e.kind !== 'unsupported') throw e;
        unavailable.push({ name: item.name, opnum, reason: e.message });
        scope.warn(
          `procedure '${item.name}' (opnum ${opnum}) cannot be called: ${e.detail}`,
          e.location ?? item.loc,
        );
      }
    }
  }
  const names = new Set<string>(unavailable.map((u) => u.name));
  for (const p of procedures) {
    if (names.has(p.name)) throw new IdlError(`procedure '${p.name}' is defined twice`, p.loc);
    names.add(p.name);
  }
  const types: Record<string, IdlNamedType> = {};
  const all = scope.allNamed();
  const used = usedBuiltinTypes(all, procedures, scope);
  const incomplete = incompleteTypes(all, scope);
  for (const p of procedures) {
    for (const x of [{ type: p.returnType, loc: p.loc }, ...p.params]) {
      const missing = undefinedIn(x.type, new Set(), scope);
      if (missing) throw new IdlError(`struct '${missing}' is declared but never defined`, x.loc);
    }
  }
  for (const t of all) {
    if (isBuiltinFile(t.loc.file) && !used.has(t.name)) continue;
    const missing = incomplete.get(t.name);
    if (missing) {
      scope.warn(
        `skipped '${t.name}', which no procedure uses: struct '${missing}' is declared but never defined`,
        t.loc,
      );
      continue;
    }
    types[t.name] = finalizeStruct(t, pointerDefault);
  }
  // An interface's [ms_union] applies to each of its non-encapsulated unions.
  if (findAttr(ast.attrs, 'ms_union'))
    for (const [name, t] of Object.entries(types))
      if (t.kind === 'union' && !t.encapsulated) types[name] = { ...t, msUnion: true };
  const aliases: Record<string, IdlType> = {};
  for (const [name, t] of scope.allAliases()) {
    try {
      aliases[name] = finalize(t, pointerDefault, false, ast.loc);
    } catch {
      // An alias that is only valid with attributes at its use site; codegen does not need it.
    }
  }
  if (findAttr(ast.attrs, 'strict_context_handle')) markAllStrict({ procedures } as unknown as IdlInterface);
  const binding = ast.attrs.find(
    (a) => a.name === 'implicit_handle' || a.name === 'auto_handle' || a.name === 'explicit_handle',
  );
  const iface: IdlInterface = {
    name: ast.name,
    uuid,
    version,
    pointerDefault,
    endpoints,
    ...(binding ? { acfHandle: bindingHandleAttr(binding) } : {}),
    consts: Object.fromEntries(scope.allConsts()),
    types,
    aliases,
    procedures: procedures.map((p) => finalizeProcedure(p, pointerDefault)),
    ...(unavailable.length > 0 ? { unavailable } : {}),
    loc: ast.loc,
  };
  return iface;
}

/** [implicit_handle(handle_t h)], [auto_handle] or [explicit_handle], as IdlInterface.acfHandle records it. */
export function bindingHandleAttr(a: AttrAst): NonNullable<IdlInterface['acfHandle']> {
  const kind = a.name as 'implicit_handle' | 'auto_handle' | 'explicit_handle';
  const toks = a.args[0] ?? [];
  const name = toks[toks.length - 1]?.text;
  return { kind, ...(kind === 'implicit_handle' && name ? { name } : {}) };
}

/** The built-in (prelude, SDK) named types that the interface's own types and procedures reach. */
function usedBuiltinTypes(all: IdlNamedType[], procs: RProcedure[], scope: Scope): Set<string> {
  const used = new Set<string>();
  const visitType = (t: RType): void => {
    if (t.kind === 'pointer') visitType(t.target);
    else if (t.kind === 'array') visitType(t.element);
    else if (t.kind === 'named') visitNamed(t.name);
  };
  const visitNamed = (name: string): void => {
    if (used.has(name)) return;
    used.add(name);
    const def = scope.lookupNamed(name);
    if (def?.kind === 'struct') for (const f of def.fields) visitType(f.type as RType);
    if (def?.kind === 'union') for (const a of def.arms) if (a.field) visitType(a.field.type as RType);
  };
  for (const t of all) if (!isBuiltinFile(t.loc.file)) visitNamed(t.name);
  for (const p of procs) {
    visitType(p.returnType);
    for (const x of p.params) visitType(x.type);
  }
  return used;
}

/**
 * Types that contain or point to a struct declared but never defined (`typedef struct _X
 * *PX;` in SDK headers), by name, with that struct: skipped unless a procedure uses them.
 */
function incompleteTypes(all: IdlNamedType[], scope: Scope): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of all) if (t.kind === 'struct' && t.fields.length === 0) out.set(t.name, t.name);
  for (let grew = true; grew; ) {
    grew = false;
    for (const t of all) {
      if (out.has(t.name)) continue;
      for (const f of membersOf(t)) {
        const missing = undefinedIn(f.type as RType, new Set(out.keys()), scope, false);
        if (missing) {
          out.set(t.name, out.get(missing) ?? missing);
          grew = true;
          break;
        }
      }
    }
  }
  return out;
}

function membersOf(t: IdlNamedType | undefined): IdlField[] {
  if (t?.kind === 'struct') return t.fields;
  if (t?.kind === 'union') return t.arms.flatMap((a) => (a.field ? [a.field] : []));
  return [];
}

/**
 * The first named type a type contains or points to that is not defined (or is one of
 * `incomplete`), looking through named types' members when `deep`.
 */
function undefinedIn(
  t: RType,
  incomplete: Set<string>,
  scope: Scope,
  deep = true,
  seen = new Set<string>(),
): string | undefined {
  if (t.kind === 'pointer') return undefinedIn(t.target, incomplete, scope, deep, seen);
  if (t.kind === 'array') return undefinedIn(t.element, incomplete, scope, deep, seen);
  if (t.kind !== 'named') return undefined;
  const def = scope.lookupNamed(t.name);
  if (!def || incomplete.has(t.name) || (def.kind === 'struct' && def.fields.length === 0)) return t.name;
  if (!deep || seen.has(t.name)) return undefined;
  seen.add(t.name);
  for (const f of membersOf(def)) {
    const hit = undefinedIn(f.type as RType, incomplete, scope, deep, seen);
    if (hit) return hit;
  }
  return undefined;
}
