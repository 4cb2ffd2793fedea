// Declarations: typedefs, consts, structs, enums and unions into a scope, and what
// winrpc cannot compile skipped there with a warning (refused only where it is used).
import type { AttrAst, DeclAst, DeclaratorAst, FieldAst, TypeSpecAst } from './ast.js';
import { checkIdlAttrs } from './attributes.js';
import { formatLocation, IdlError, notSupported, type SourceLocation, UnusableTypeError } from './errors.js';
import { evalExpr } from './expr.js';
import type {
  IdlEnum,
  IdlExpr,
  IdlField,
  IdlStruct,
  IdlType,
  IdlUnion,
  IdlUnionArm,
  PrimitiveName,
} from './model.js';
import { checkSwitchType, findAttr, resolveSwitchType } from './resolve-attrs.js';
import { applyDeclarator } from './resolve-declarator.js';
import { containsHandle } from './resolve-procedure.js';
import { numericConst, type RType, type Scope } from './resolve-scope.js';

/**
 * Declares what MIDL accepts but winrpc cannot compile (a pipe, a C union, an interface
 * pointer...) as unavailable, with a warning: an error only where a procedure uses it.
 */
export function declareOrSkip(decl: DeclAst, scope: Scope): void {
  const before = {
    aliases: new Set(scope.aliases.keys()),
    named: new Set(scope.named.keys()),
    tags: new Set(scope.tags.keys()),
  };
  try {
    declare(decl, scope);
  } catch (e) {
    if (!(e instanceof IdlError) || e.kind !== 'unsupported') throw e;
    // Undo what the declaration added before it failed, then remember why.
    for (const k of [...scope.aliases.keys()]) if (!before.aliases.has(k)) scope.aliases.delete(k);
    for (const k of [...scope.named.keys()]) if (!before.named.has(k)) scope.named.delete(k);
    for (const k of [...scope.tags.keys()]) if (!before.tags.has(k)) scope.tags.delete(k);
    const names = declaredNames(decl);
    for (const n of names) scope.unavailable.set(n, e);
    const typedefs = decl.kind === 'typedef' ? decl.declarators.map((d) => d.name) : [];
    const shown = typedefs.length ? typedefs : names.filter((n) => !n.includes(' '));
    scope.warn(
      `skipped ${shown.length ? `'${shown.join("', '")}'` : 'a declaration'}, which no procedure uses: ${e.detail}`,
      e.location ?? decl.loc,
    );
  }
}

/** The type names and tags (`struct X`) a declaration introduces. */
function declaredNames(decl: DeclAst): string[] {
  const names: string[] = [];
  const spec = decl.spec;
  if ((spec.kind === 'struct' || spec.kind === 'enum' || spec.kind === 'union') && spec.tag)
    names.push(`${spec.kind} ${spec.tag}`, spec.tag);
  if (decl.kind === 'typedef') for (const d of decl.declarators) names.push(d.name);
  if (decl.kind === 'const') names.push(decl.declarator.name);
  return names;
}

/** The error for a use of something declareOrSkip skipped: at the use, saying why. */
/**
 * What winrpc cannot marshal, used directly (`[in] IStream *p`, [MS-RPCE] pipes): MIDL
 * compiles it, so only the procedure that uses it is refused (UnusableTypeError), as for a
 * typedef of it (unavailableError).
 */
function unusable(construct: string, loc: SourceLocation): IdlError {
  return new UnusableTypeError(`${construct} is not supported yet`, loc, { kind: 'unsupported' });
}

function interfacePointer(name: string, loc: SourceLocation): IdlError {
  return unusable(`interface pointer ('${name}')`, loc);
}

function unavailableError(name: string, why: IdlError, loc: SourceLocation): IdlError {
  const at = why.location ? ` (${formatLocation(why.location)})` : '';
  return new UnusableTypeError(`'${name}' cannot be used: ${why.detail}${at}`, loc, {
    kind: 'unsupported',
    cause: why,
  });
}

export function declare(decl: DeclAst, scope: Scope): void {
  switch (decl.kind) {
    case 'const': {
      const name = decl.declarator.name;
      const value =
        typeof decl.value === 'string'
          ? decl.value
          : evalExpr(decl.value, (n) => numericConst(scope, n), decl.loc);
      defineConst(scope, name, value, decl.loc);
      return;
    }
    case 'tag':
      resolveSpec(
        decl.spec,
        scope,
        decl.spec.kind === 'struct' || decl.spec.kind === 'enum' ? (decl.spec.tag ?? '') : '',
        [],
      );
      return;
    case 'typedef': {
      checkIdlAttrs(decl.attrs, 'typedef');
      // `typedef struct _X {...} X, *PX;` names the struct after its first plain declarator.
      const plain = decl.declarators.find((d) => d.pointers === 0 && d.arrays.length === 0);
      const defName =
        plain?.name ??
        (decl.spec.kind === 'struct' || decl.spec.kind === 'enum' ? decl.spec.tag : undefined) ??
        decl.declarators[0]?.name ??
        '';
      // A context handle's C type points at an incomplete struct or void: nothing to resolve.
      const base: RType = findAttr(decl.attrs, 'context_handle')
        ? contextHandleBase(decl.spec, scope)
        : resolveSpec(decl.spec, scope, defName, decl.attrs);
      for (const d of decl.declarators) {
        if (redefinesBuiltin(d, base, decl.attrs)) continue;
        if (
          scope.aliases.has(d.name) ||
          (scope.named.has(d.name) && !(base.kind === 'named' && base.name === d.name))
        ) {
          throw new IdlError(`'${d.name}' is already defined`, d.loc);
        }
        if (base.kind === 'named' && base.name === d.name && d.pointers === 0 && d.arrays.length === 0) {
          // `typedef [handle] struct {...} H;`: the struct itself is the handle type.
          if (findAttr(decl.attrs, 'handle')) scope.genericHandles.add(d.name);
          continue;
        }
        const t = applyDeclarator(base, d, decl.attrs, scope, 'typedef');
        const handle = findAttr(decl.attrs, 'handle');
        if (handle) {
          if (t.kind === 'context_handle' || containsHandle(t) || t.kind === 'void')
            throw new IdlError(
              '[handle] needs a data type (not void, handle_t or a context handle)',
              handle.loc,
            );
          scope.genericHandles.add(d.name);
        }
        scope.aliases.set(d.name, withAlias(t, d.name));
      }
      return;
    }
  }
}

/**
 * What a [context_handle] typedef's declarators apply to: `void` (`void *`, `struct _X *`),
 * or a pointer when the type is itself a pointer typedef, as [MS-SCMR]'s
 * `typedef [context_handle] PVOID SC_RPC_HANDLE` with [MS-DTYP]'s `typedef void *PVOID`
 * (MIDL accepts it; aliases are stored resolved, so one lookup follows the whole chain).
 */
function contextHandleBase(spec: TypeSpecAst, scope: Scope): RType {
  if (spec.kind !== 'name') return { kind: 'void' };
  const found = scope.lookupType(spec.name);
  const t = found?.kind === 'alias' ? found.type : undefined;
  if (t?.kind === 'pointer' || t?.kind === 'context_handle')
    return { kind: 'pointer', target: { kind: 'void' } };
  return { kind: 'void' };
}

/**
 * The built-in type names an IDL may declare again, as SDK headers do for C
 * (`typedef unsigned short wchar_t;`), and the primitive each must be.
 */
const BUILTIN_NAMES: Record<string, PrimitiveName[]> = {
  wchar_t: ['wchar_t', 'ushort', 'short'],
  error_status_t: ['error_status_t', 'ulong', 'long'],
  boolean: ['boolean', 'char', 'uchar', 'byte', 'usmall'],
  byte: ['byte', 'char', 'uchar', 'usmall'],
};

/** A typedef of a built-in name to its own type changes nothing: skipped. Another type is an error. */
function redefinesBuiltin(d: DeclaratorAst, base: RType, attrs: AttrAst[]): boolean {
  const compatible = BUILTIN_NAMES[d.name];
  if (!compatible) return false;
  if (
    d.pointers === 0 &&
    d.arrays.length === 0 &&
    attrs.length === 0 &&
    base.kind === 'primitive' &&
    compatible.includes(base.name)
  )
    return true;
  throw new IdlError(`'${d.name}' is a built-in type and cannot be redefined as another type`, d.loc);
}

function withAlias(t: RType, name: string): RType {
  if (t.kind === 'primitive' || t.kind === 'pointer' || t.kind === 'context_handle' || t.kind === 'int3264')
    return { ...t, alias: name };
  return t;
}

export function resolveSpec(spec: TypeSpecAst, scope: Scope, defName: string, attrs: AttrAst[]): RType {
  switch (spec.kind) {
    case 'keywords':
      return keywordType(spec.words, spec.loc);
    case 'name': {
      const found = scope.lookupType(spec.name);
      if (found?.kind === 'alias') return found.type;
      if (found?.kind === 'named') return { kind: 'named', name: spec.name };
      if (found?.kind === 'unavailable') throw unavailableError(spec.name, found.error, spec.loc);
      if (found?.kind === 'interface') throw interfacePointer(spec.name, spec.loc);
      // Declared ahead of its body; the layout finds the body, or says it never came.
      if (scope.isForwardName(spec.name)) return { kind: 'named', name: spec.name };
      throw new IdlError(`unknown type '${spec.name}'`, spec.loc);
    }
    case 'pipe':
      throw unusable('pipe', spec.loc);
    case 'interface':
      throw interfacePointer(spec.name, spec.loc);
    case 'union':
      return resolveUnion(spec, scope, defName, attrs);
    case 'struct':
    case 'enum': {
      const tag = spec.tag;
      const known = tag ? scope.lookupTag(tag) : undefined;
      const hasBody = spec.kind === 'struct' ? spec.fields !== undefined : spec.members !== undefined;
      if (!hasBody) {
        if (known) return { kind: 'named', name: known };
        const skipped = scope.lookupUnavailable(`${spec.kind} ${tag}`);
        if (skipped) throw unavailableError(`${spec.kind} ${tag}`, skipped, spec.loc);
        // A forward reference: bind the tag now, the body may follow.
        const name = defName || (tag as string);
        scope.tags.set(tag as string, name);
        if (defName) scope.forwardNames.add(defName);
        return { kind: 'named', name };
      }
      const name = known && !scope.named.has(known) ? known : defName || tag;
      if (!name) throw notSupported('anonymous struct or enum outside a typedef', spec.loc);
      if (scope.named.has(name)) throw new IdlError(`'${name}' is already defined`, spec.loc);
      if (tag) scope.tags.set(tag, name);
      const tagProp = tag && tag !== name ? { tag } : {};
      if (spec.kind === 'enum') {
        const e: IdlEnum = {
          kind: 'enum',
          name,
          ...tagProp,
          v1Enum: attrs.some((a) => a.name === 'v1_enum'),
          members: [],
          loc: spec.loc,
        };
        let next = 0;
        for (const m of spec.members ?? []) {
          const value = m.value ? evalExpr(m.value, (n) => numericConst(scope, n), m.loc) : next;
          if (!Number.isInteger(value)) throw new IdlError(`enumerator '${m.name}' is not an integer`, m.loc);
          e.members.push({ name: m.name, value });
          defineConst(scope, m.name, value, m.loc);
          next = value + 1;
        }
        scope.named.set(name, e);
      } else {
        const s: IdlStruct = { kind: 'struct', name, ...tagProp, fields: [], loc: spec.loc };
        scope.named.set(name, s); // before the fields: a struct may point to itself
        const names = memberNames(spec.fields ?? []);
        (spec.fields ?? []).forEach((f, i) => {
          s.fields.push(resolveField(f, scope, name, names[i]));
        });
        if (s.fields.length === 0) throw new IdlError(`struct '${name}' has no fields`, spec.loc);
        checkMemberNames(s.fields, name);
        checkStructCorrelations(s, scope);
      }
      return { kind: 'named', name };
    }
  }
}

/** Types that take no sign: "not applicable" in MIDL's table of base types. */
const UNSIGNABLE = new Set(['void', 'byte', 'float', 'double', 'handle_t']);

function keywordType(words: string[], loc: SourceLocation): RType {
  const has = (w: string) => words.includes(w);
  const count = (w: string) => words.filter((x) => x === w).length;
  const unsigned = has('unsigned');
  // C11 6.7.2p2: no type is both; MIDL's byte, float, double, handle_t and void have no sign.
  const hasSign = has('signed') || unsigned;
  if ((has('signed') && unsigned) || (hasSign && words.some((w) => UNSIGNABLE.has(w))))
    throw new IdlError(`invalid type '${words.join(' ')}'`, loc);
  const key = words
    .filter(
      (w) => w !== 'signed' && w !== 'unsigned' && !(w === 'int' && words.length > 1 && !has('__int64')),
    )
    .join(' ');
  const prim = (name: PrimitiveName): RType => ({ kind: 'primitive', name });
  switch (key) {
    case 'void':
      return { kind: 'void' };
    case 'boolean':
      return prim('boolean');
    case 'byte':
      return prim('byte');
    case 'char':
      // MIDL's char is unsigned either way (FC_CHAR); spelling it `unsigned` says the
      // value is a number (UCHAR, BOOLEAN), not a character.
      return prim(has('signed') ? 'small' : unsigned ? 'uchar' : 'char');
    case 'small':
    case '__int8': // MIDL: equivalent to small
      return prim(unsigned ? 'usmall' : 'small');
    case 'wchar_t':
      return prim('wchar_t');
    case 'short':
    case '__int16': // MIDL: equivalent to short
      return prim(unsigned ? 'ushort' : 'short');
    case '':
    case 'int':
    case 'long':
    case '__int32':
      if (count('long') > 1) break;
      return prim(unsigned ? 'ulong' : 'long');
    case 'hyper':
    case '__int64':
    case 'int64':
    case 'long long':
      return prim(unsigned ? 'uhyper' : 'hyper');
    case 'float':
      return prim('float');
    case 'double':
      return prim('double');
    case 'error_status_t':
      return prim('error_status_t');
    case 'handle_t':
      return prim('handle_t');
    case '__int3264':
      return { kind: 'int3264', unsigned };
  }
  throw new IdlError(`invalid type '${words.join(' ')}'`, loc);
}

function resolveUnion(
  spec: TypeSpecAst & { kind: 'union' },
  scope: Scope,
  defName: string,
  attrs: AttrAst[],
): RType {
  const tag = spec.tag;
  const known = tag ? scope.lookupTag(tag) : undefined;
  if (!spec.arms) {
    if (known) return { kind: 'named', name: known };
    const skipped = scope.lookupUnavailable(`union ${tag}`);
    if (skipped) throw unavailableError(`union ${tag}`, skipped, spec.loc);
    const name = defName || (tag as string);
    scope.tags.set(tag as string, name);
    return { kind: 'named', name };
  }
  const name = known && !scope.named.has(known) ? known : defName || tag;
  if (!name) throw notSupported('anonymous union outside a typedef or struct', spec.loc);
  if (scope.named.has(name)) throw new IdlError(`'${name}' is already defined`, spec.loc);
  if (tag) scope.tags.set(tag, name);
  const u: IdlUnion = {
    kind: 'union',
    name,
    ...(tag && tag !== name ? { tag } : {}),
    arms: [],
    loc: spec.loc,
  };
  const st = findAttr(attrs, 'switch_type');
  if (spec.switch) {
    if (st) throw new IdlError('[switch_type] on an encapsulated union', st.loc);
    u.switchType = checkSwitchType(resolveSpec(spec.switch.spec, scope, '', []), scope, spec.switch.loc);
    u.encapsulated = { discriminant: spec.switch.name, unionName: spec.switch.unionName ?? 'u' };
  } else if (st) u.switchType = resolveSwitchType(st, scope);
  if (findAttr(attrs, 'ms_union') && !u.encapsulated) u.msUnion = true;
  scope.named.set(name, u);
  const seen = new Set<number>();
  let defaults = 0;
  const cArm = spec.arms.find((a) => !a.isDefault && a.cases.length === 0);
  if (cArm) {
    scope.named.delete(name);
    throw notSupported(`a C union ('${name}' has an arm without [case] or [default])`, cArm.loc);
  }
  for (const a of spec.arms) {
    const cases = a.cases.map((e) => {
      const v = evalExpr(e, (n) => numericConst(scope, n), a.loc);
      if (!Number.isInteger(v)) throw new IdlError(`case value ${v} is not an integer`, a.loc);
      if (seen.has(v)) throw new IdlError(`case ${v} appears twice in union '${name}'`, a.loc);
      seen.add(v);
      return v;
    });
    if (a.isDefault && ++defaults > 1) throw new IdlError(`union '${name}' has two default arms`, a.loc);
    const arm: IdlUnionArm = { cases, isDefault: a.isDefault, field: null, loc: a.loc };
    if (a.field) {
      const f = resolveField(a.field, scope, name);
      arm.field = f;
    }
    u.arms.push(arm);
  }
  if (u.arms.length === 0) throw new IdlError(`union '${name}' has no arms`, spec.loc);
  checkMemberNames(
    u.arms.flatMap((a) => (a.field ? [a.field] : [])),
    name,
  );
  return { kind: 'named', name };
}

/**
 * The name of each member of a struct: its declarator's, or for an unnamed union member
 * (`[switch_is(dwInfoLevel)] union { ... };`, [MS-SCMR]) the name the SDK's
 * NONAMELESSUNION gives it: `u`, then `u2`, `u3`... (DUMMYUNIONNAME, DUMMYUNIONNAME2...),
 * skipping names the struct's other members take. MIDL's C header leaves the union
 * unnamed; its wire form and C layout are those of a named member.
 */
function memberNames(fields: FieldAst[]): (string | undefined)[] {
  const taken = new Set(fields.map((f) => f.declarator.name).filter((n) => n));
  let next = 1;
  return fields.map((f) => {
    if (f.declarator.name || f.spec.kind !== 'union') return undefined;
    let name: string;
    do {
      name = next === 1 ? 'u' : `u${next}`;
      next++;
    } while (taken.has(name));
    taken.add(name);
    return name;
  });
}

function resolveField(f: FieldAst, scope: Scope, structName: string, unnamedAs?: string): IdlField {
  checkIdlAttrs(f.attrs, 'field');
  const fieldName = f.declarator.name || unnamedAs;
  if (!fieldName) throw notSupported(`an anonymous struct or union member of '${structName}'`, f.loc);
  if (f.bitWidth) throw notSupported(`bit field '${f.declarator.name}' of '${structName}'`, f.declarator.loc);
  const innerName = `${structName}_${fieldName}`;
  const base = resolveSpec(f.spec, scope, innerName, f.attrs);
  const t = applyDeclarator(base, { ...f.declarator, name: fieldName }, f.attrs, scope, 'field');
  const union = unionUnder(t, scope);
  if (union && !union.encapsulated && !union.switchIs)
    throw notSupported(`a union member without [switch_is] ('${fieldName}' of '${structName}')`, f.loc);
  const ignore = findAttr(f.attrs, 'ignore');
  if (ignore && t.kind !== 'pointer') throw new IdlError('[ignore] needs a pointer field', ignore.loc);
  // Struct fields and union arms alike: a context handle is a parameter or a return value.
  if (t.kind === 'context_handle')
    throw new IdlError(`a context handle cannot be a member of '${structName}'`, f.loc);
  return {
    name: fieldName,
    type: t as IdlType,
    ...(ignore ? { ignore: true } : {}),
    ...(f.declarator.name ? {} : { unnamed: true as const }),
    loc: f.declarator.loc,
  };
}

/** The union a type is, or points to; and its [switch_is] there. */
function unionUnder(t: RType, scope: Scope): (IdlUnion & { switchIs?: IdlExpr }) | undefined {
  if (t.kind === 'pointer') return unionUnder(t.target, scope);
  if (t.kind !== 'named') return undefined;
  const def = scope.lookupNamed(t.name);
  return def?.kind === 'union' ? { ...def, ...(t.switchIs ? { switchIs: t.switchIs } : {}) } : undefined;
}

/**
 * A const or enumerator: one declaration per name in a scope (C11 6.7p3; an inner scope
 * may hide an outer one's).
 */
function defineConst(scope: Scope, name: string, value: number | string, loc: SourceLocation): void {
  if (scope.consts.has(name)) throw new IdlError(`'${name}' is already defined`, loc);
  scope.consts.set(name, value);
}

/** MIDL2003 "redefinition": two members of one struct or union with the same name. */
function checkMemberNames(fields: IdlField[], owner: string): void {
  const seen = new Set<string>();
  for (const f of fields) {
    if (seen.has(f.name)) throw new IdlError(`'${f.name}' is already a member of '${owner}'`, f.loc);
    seen.add(f.name);
  }
}

/** Whether a struct ends in a conformant array or string, itself or through its last member. */
function isConformantStruct(t: RType, scope: Scope, seen = new Set<string>()): boolean {
  if (t.kind !== 'named' || seen.has(t.name)) return false;
  seen.add(t.name);
  const def = scope.lookupNamed(t.name);
  const last =
    def?.kind === 'struct' ? (def.fields[def.fields.length - 1]?.type as RType | undefined) : undefined;
  if (!last) return false;
  if ((last.kind === 'array' && 'is' in last.size) || (last.kind === 'string' && !last.size)) return true;
  return isConformantStruct(last, scope, seen);
}

/**
 * size_is/length_is in a struct must name fields of that struct; a conformant array, or a
 * struct that ends in one, must come last (C11 6.7.2.1p3; DCE IDL: "a structure can contain
 * only one conformant array, which must be the last member").
 */
function checkStructCorrelations(s: IdlStruct, scope: Scope): void {
  const names = new Set(s.fields.map((f) => f.name));
  s.fields.forEach((f, i) => {
    const t = f.type as RType;
    if (i !== s.fields.length - 1 && isConformantStruct(t, scope))
      throw new IdlError(`conformant struct '${f.name}' must be the last field of '${s.name}'`, f.loc);
    // MIDL accepts the declaration and refuses it only where it is sent.
    if (t.kind === 'array' && 'open' in t.size)
      throw new IdlError(`conformant array '${f.name}' needs [size_is] or [max_is]`, f.loc, {
        kind: 'unsupported',
      });
    if ((t.kind === 'array' && 'is' in t.size) || (t.kind === 'string' && !t.size)) {
      if (i !== s.fields.length - 1)
        throw new IdlError(`conformant array '${f.name}' must be the last field of '${s.name}'`, f.loc);
    }
    for (const e of exprsOf(t)) checkIdents(e, names, f.loc, `field of '${s.name}'`);
  });
}

export function* exprsOf(t: RType): Generator<IdlExpr> {
  if (t.kind === 'array') {
    if ('is' in t.size) yield t.size.is;
    if (t.length) yield t.length;
    if (t.first) yield t.first;
    yield* exprsOf(t.element);
  } else if (t.kind === 'string' && t.size && 'is' in t.size) yield t.size.is;
  else if (t.kind === 'pointer') yield* exprsOf(t.target);
  else if (t.kind === 'named' && t.switchIs) yield t.switchIs;
}

export function checkIdents(e: IdlExpr, names: Set<string>, loc: SourceLocation, what: string): void {
  switch (e.kind) {
    case 'ident':
      if (!names.has(e.name))
        throw new IdlError(`'${e.name}' in a size/length attribute is not a ${what}`, loc);
      return;
    case 'unary':
      checkIdents(e.operand, names, loc, what);
      return;
    case 'binary':
      checkIdents(e.left, names, loc, what);
      checkIdents(e.right, names, loc, what);
      return;
    case 'conditional':
      checkIdents(e.test, names, loc, what);
      checkIdents(e.whenTrue, names, loc, what);
      checkIdents(e.whenFalse, names, loc, what);
      return;
    default:
      return;
  }
}
