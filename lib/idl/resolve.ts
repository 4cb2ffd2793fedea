// Name resolution: parse trees -> IdlModel. Typedef chains collapse to structural types
// (names kept as `alias`), structs/enums become named types, attributes become array,
// string and pointer structure, and everything outside the supported subset is reported.
import type {
  AttrAst,
  DeclAst,
  DeclaratorAst,
  FieldAst,
  InterfaceAst,
  ProcedureAst,
  TypeSpecAst,
} from './ast.js';
import { PRELUDE_FILE, PRELUDE_STRUCTS } from './builtins.js';
import { IdlError, notSupported, type SourceLocation } from './errors.js';
import { evalExpr, parseExpr } from './expr.js';
import type {
  Direction,
  IdlEnum,
  IdlExpr,
  IdlField,
  IdlInterface,
  IdlNamedType,
  IdlParam,
  IdlProcedure,
  IdlRange,
  IdlRpcFlags,
  IdlStruct,
  IdlType,
  IdlUnion,
  IdlUnionArm,
  PointerKind,
  PrimitiveName,
} from './model.js';
import { parseTypeSpec } from './parser.js';
import type { Token } from './token.js';
import { TokenStream } from './token-stream.js';

/**
 * While resolving, a pointer's kind may still be open: a typedef'd pointer without an
 * attribute takes [ref] as a top-level parameter and pointer_default elsewhere.
 */
type RType =
  | { kind: 'void' }
  | { kind: 'primitive'; name: PrimitiveName; alias?: string; range?: IdlRange }
  | { kind: 'named'; name: string; switchIs?: IdlExpr; range?: IdlRange }
  | { kind: 'context_handle'; alias?: string; strict?: boolean; typeStrict?: boolean }
  | { kind: 'int3264'; unsigned: boolean; alias?: string }
  | { kind: 'pointer'; pointer?: PointerKind; target: RType; alias?: string; arrayParam?: true }
  | {
      kind: 'array';
      element: RType;
      size: { fixed: number } | { is: IdlExpr } | { open: true };
      length?: IdlExpr;
      first?: IdlExpr;
      sizeRange?: IdlRange;
    }
  | {
      kind: 'string';
      char: 'char' | 'wchar_t';
      size?: { fixed: number } | { is: IdlExpr };
      range?: IdlRange;
    };

/** One level of names: built-ins, an imported file, the file's top level, an interface. */
export class Scope {
  readonly aliases = new Map<string, RType>();
  readonly named = new Map<string, IdlNamedType>();
  readonly tags = new Map<string, string>(); // struct/enum tag -> named type name
  readonly consts = new Map<string, number | string>();
  /** Typedef names declared with [handle] (generic binding handles). */
  readonly genericHandles = new Set<string>();
  constructor(readonly parent?: Scope) {}

  isGenericHandle(name: string): boolean {
    return this.genericHandles.has(name) || !!this.parent?.isGenericHandle(name);
  }

  lookupAlias(name: string): RType | undefined {
    return this.aliases.get(name) ?? this.parent?.lookupAlias(name);
  }
  lookupNamed(name: string): IdlNamedType | undefined {
    return this.named.get(name) ?? this.parent?.lookupNamed(name);
  }
  lookupTag(tag: string): string | undefined {
    return this.tags.get(tag) ?? this.parent?.lookupTag(tag);
  }
  lookupConst(name: string): number | string | undefined {
    return this.consts.get(name) ?? this.parent?.lookupConst(name);
  }
  /** Every named type visible here, outermost scope first. */
  allNamed(): IdlNamedType[] {
    return [...(this.parent?.allNamed() ?? []), ...this.named.values()];
  }
  allAliases(): [string, RType][] {
    return [...(this.parent?.allAliases() ?? []), ...this.aliases];
  }
  allConsts(): [string, number | string][] {
    return [...(this.parent?.allConsts() ?? []), ...this.consts];
  }
}

/** Attributes that shape a declarator's type, wherever it is declared. */
const SHAPE_ATTRS = [
  'string',
  'size_is',
  'max_is',
  'min_is',
  'length_is',
  'first_is',
  'last_is',
  'unique',
  'ref',
  'ptr',
  'range',
  'switch_is',
  'switch_type',
  'annotation',
];
const PARAM_ATTRS = new Set([...SHAPE_ATTRS, 'in', 'out', 'context_handle', 'strict_context_handle']);
const FIELD_ATTRS = new Set([...SHAPE_ATTRS, 'ignore']);
const TYPEDEF_ATTRS = new Set([
  ...SHAPE_ATTRS,
  'v1_enum',
  'public',
  'context_handle',
  'strict_context_handle',
  'type_strict_context_handle',
  'ms_union',
  'handle',
]);
/** Call-semantics attributes of a procedure, carried to the proc header's rpc flags. */
const RPC_FLAG_ATTRS = ['idempotent', 'maybe', 'broadcast'] as const;
const PROC_ATTRS = new Set(['annotation', 'helpstring', ...RPC_FLAG_ATTRS]);
const INTERFACE_ATTRS = new Set([
  'uuid',
  'version',
  'pointer_default',
  'endpoint',
  'helpstring',
  'ms_union',
  'annotation',
  'strict_context_handle',
]);

export function declare(decl: DeclAst, scope: Scope): void {
  switch (decl.kind) {
    case 'const': {
      const name = decl.declarator.name;
      const value =
        typeof decl.value === 'string'
          ? decl.value
          : evalExpr(decl.value, (n) => numericConst(scope, n), decl.loc);
      scope.consts.set(name, value);
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
      checkAttrs(decl.attrs, TYPEDEF_ATTRS, 'typedef');
      // `typedef struct _X {...} X, *PX;` names the struct after its first plain declarator.
      const plain = decl.declarators.find((d) => d.pointers === 0 && d.arrays.length === 0);
      const defName =
        plain?.name ??
        (decl.spec.kind === 'struct' || decl.spec.kind === 'enum' ? decl.spec.tag : undefined) ??
        decl.declarators[0]?.name ??
        '';
      // A context handle's C type points at an incomplete struct or void: nothing to resolve.
      const base: RType = findAttr(decl.attrs, 'context_handle')
        ? { kind: 'void' }
        : resolveSpec(decl.spec, scope, defName, decl.attrs);
      for (const d of decl.declarators) {
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

function withAlias(t: RType, name: string): RType {
  if (t.kind === 'primitive' || t.kind === 'pointer' || t.kind === 'context_handle' || t.kind === 'int3264')
    return { ...t, alias: name };
  return t;
}

function numericConst(scope: Scope, name: string): number | undefined {
  const v = scope.lookupConst(name);
  return typeof v === 'number' ? v : undefined;
}

function checkAttrs(attrs: AttrAst[], allowed: Set<string>, where: string): void {
  for (const a of attrs) {
    if (!allowed.has(a.name)) {
      if (KNOWN_ATTRS.has(a.name)) throw notSupported(`attribute [${a.name}] on a ${where}`, a.loc);
      throw new IdlError(`unknown attribute [${a.name}] on a ${where}`, a.loc);
    }
  }
}

/** Valid MIDL attributes: reported as "not supported yet" rather than "unknown". */
const KNOWN_ATTRS = new Set([
  'async',
  'async_uuid',
  'broadcast',
  'call_as',
  'callback',
  'case',
  'comm_status',
  'context_handle',
  'context_handle_noserialize',
  'context_handle_serialize',
  'custom',
  'default',
  'defaultvalue',
  'disable_consistency_check',
  'dispinterface',
  'enable_allocate',
  'encode',
  'decode',
  'endpoint',
  'entry',
  'fault_status',
  'first_is',
  'force_allocate',
  'handle',
  'id',
  'idempotent',
  'ignore',
  'iid_is',
  'immediatebind',
  'last_is',
  'length_is',
  'lcid',
  'local',
  'maybe',
  'message',
  'ms_union',
  'nonbrowsable',
  'notify',
  'notify_flag',
  'object',
  'optional',
  'out',
  'partial_ignore',
  'pipe',
  'pointer_default',
  'propget',
  'propput',
  'propputref',
  'range',
  'represent_as',
  'retval',
  'size_is',
  'source',
  'strict_context_handle',
  'string',
  'switch_is',
  'switch_type',
  'transmit_as',
  'unique',
  'user_marshal',
  'uuid',
  'v1_enum',
  'version',
  'wire_marshal',
  'max_is',
  'min_is',
  'ref',
  'ptr',
  'in',
  'helpstring',
  'public',
  'annotation',
  'oleautomation',
  'dual',
  'hidden',
  'restricted',
  'implicit_handle',
  'auto_handle',
  'explicit_handle',
  'nocode',
  'code',
  'optimize',
  'allocate',
  'cs_char',
  'cs_stag',
  'cs_rtag',
  'cs_drtag',
  'cs_tag_rtn',
]);

function resolveSpec(spec: TypeSpecAst, scope: Scope, defName: string, attrs: AttrAst[]): RType {
  switch (spec.kind) {
    case 'keywords':
      return keywordType(spec.words, spec.loc);
    case 'name': {
      const alias = scope.lookupAlias(spec.name);
      if (alias) return alias;
      if (scope.lookupNamed(spec.name)) return { kind: 'named', name: spec.name };
      throw new IdlError(`unknown type '${spec.name}'`, spec.loc);
    }
    case 'union':
      return resolveUnion(spec, scope, defName, attrs);
    case 'struct':
    case 'enum': {
      const tag = spec.tag;
      const known = tag ? scope.lookupTag(tag) : undefined;
      const hasBody = spec.kind === 'struct' ? spec.fields !== undefined : spec.members !== undefined;
      if (!hasBody) {
        if (known) return { kind: 'named', name: known };
        // A forward reference: bind the tag now, the body may follow.
        const name = defName || (tag as string);
        scope.tags.set(tag as string, name);
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
          scope.consts.set(m.name, value);
          next = value + 1;
        }
        scope.named.set(name, e);
      } else {
        const s: IdlStruct = { kind: 'struct', name, ...tagProp, fields: [], loc: spec.loc };
        scope.named.set(name, s); // before the fields: a struct may point to itself
        for (const f of spec.fields ?? []) s.fields.push(resolveField(f, scope, name));
        if (s.fields.length === 0) throw new IdlError(`struct '${name}' has no fields`, spec.loc);
        checkStructCorrelations(s);
      }
      return { kind: 'named', name };
    }
  }
}

function keywordType(words: string[], loc: SourceLocation): RType {
  const has = (w: string) => words.includes(w);
  const count = (w: string) => words.filter((x) => x === w).length;
  const unsigned = has('unsigned');
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
      return prim(has('signed') ? 'small' : 'char');
    case 'small':
      return prim(unsigned ? 'usmall' : 'small');
    case 'wchar_t':
      return prim('wchar_t');
    case 'short':
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

/** Parses an attribute argument's tokens as an expression (empty argument: null). */
function attrExpr(a: AttrAst, index: number): IdlExpr | null {
  const toks = a.args[index];
  if (!toks || toks.length === 0) return null;
  const last = toks[toks.length - 1] as Token;
  const ts = new TokenStream([...toks, { kind: 'eof', text: '', loc: last.loc }]);
  const e = parseExpr(ts);
  if (!ts.atEnd()) ts.fail(`unexpected '${ts.peek().text}' in [${a.name}]`);
  return e;
}

function findAttr(attrs: AttrAst[], name: string): AttrAst | undefined {
  return attrs.find((a) => a.name === name);
}

/** Replaces names of constants in an attribute expression by their values. */
function foldConsts(e: IdlExpr, scope: Scope): IdlExpr {
  switch (e.kind) {
    case 'ident': {
      const v = numericConst(scope, e.name);
      return v === undefined ? e : { kind: 'number', value: v };
    }
    case 'unary':
      return { ...e, operand: foldConsts(e.operand, scope) };
    case 'binary':
      return { ...e, left: foldConsts(e.left, scope), right: foldConsts(e.right, scope) };
    case 'conditional':
      return {
        ...e,
        test: foldConsts(e.test, scope),
        whenTrue: foldConsts(e.whenTrue, scope),
        whenFalse: foldConsts(e.whenFalse, scope),
      };
    default:
      return e;
  }
}

type DeclContext = 'typedef' | 'field' | 'param' | 'return';

/**
 * Builds the type of one declarator: C array and pointer syntax, then the attributes
 * that reshape it (size_is/length_is make the pointee an array, [string] makes a
 * char array a string, [unique]/[ref]/[ptr] set the outermost pointer's kind).
 */
function applyDeclarator(
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
        const e = attrExpr(a, i);
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
  const nargs = Math.max(sizeAttr?.args.length ?? 0, lengthAttr?.args.length ?? 0);
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
    let size = sizeAttr ? attrExpr(sizeAttr, 0) : null;
    let length = lengthAttr ? attrExpr(lengthAttr, 0) : null;
    const first = firstAttr ? attrExpr(firstAttr, 0) : null;
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
      throw new IdlError(
        `[${(sizeAttr ?? lengthAttr)?.name}] needs a pointer or an array`,
        (sizeAttr ?? lengthAttr)?.loc,
      );
    }
  }

  const str = findAttr(attrs, 'string');
  if (str) t = makeString(t, str.loc, scope);

  const kinds = (['ref', 'unique', 'ptr'] as const).filter((k) => findAttr(attrs, k));
  if (kinds.length > 1) throw new IdlError(`conflicting pointer attributes [${kinds.join('], [')}]`, d.loc);
  const kind = kinds[0];
  const arrayParam = d.arrays.length > 0 && ctx === 'param';
  if (kind && arrayParam && kind !== 'ref') {
    // `[unique, size_is(n)] T a[*]`: the array's address may be NULL (MIDL: a unique pointer).
    t = { kind: 'pointer', pointer: kind, target: t };
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
  // Only the outermost level sized (`[size_is(n,)] DSNAME **p`, [MS-DRSR]) is an ordinary
  // field correlation.
  const innerSized = [sizeAttr, lengthAttr].some((a) => a?.args.slice(1).some((arg) => arg.length > 0));
  if (ctx !== 'param' && innerSized)
    throw notSupported(`[${name}] on more than one level outside a parameter`, at);
  if (d.pointers < nargs)
    throw new IdlError(`[${name}] has ${nargs} levels but '${d.name}' has ${d.pointers} pointers`, at);
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
    let size = sizeAttr ? attrExpr(sizeAttr, i) : null;
    let length = lengthAttr ? attrExpr(lengthAttr, i) : null;
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

function applyRange(t: RType, a: AttrAst, scope: Scope): RType {
  const lo = attrExpr(a, 0);
  const hi = attrExpr(a, 1);
  if (!lo || !hi || a.args.length !== 2)
    throw new IdlError('[range] takes two bounds: range(min, max)', a.loc);
  const value = (e: IdlExpr) => evalExpr(e, (n) => numericConst(scope, n), a.loc);
  const r = { min: value(lo), max: value(hi) };
  if (r.min > r.max)
    throw new IdlError(`[range(${r.min}, ${r.max})]: the minimum exceeds the maximum`, a.loc);
  if (r.min < -0x80000000 || r.max > 0xffffffff) throw notSupported('[range] bounds beyond 32 bits', a.loc);
  // On a sized array (or the pointer to one) it bounds the element count (MIDL's range on
  // conformance); on a pointer to an integer, the integer.
  const sized = t.kind === 'pointer' ? t.target : t;
  if (sized.kind === 'array' && 'is' in sized.size) {
    const ranged = { ...sized, sizeRange: r };
    return t.kind === 'pointer' ? { ...t, target: ranged } : ranged;
  }
  if (t.kind === 'pointer' && t.target.kind === 'primitive')
    return { ...t, target: applyRange(t.target, a, scope) };
  if (t.kind === 'named' && scope.lookupNamed(t.name)?.kind === 'enum') return { ...t, range: r };
  // `[string, range(0, 8 * 1024)] wchar_t *` ([MS-SCMR]): bounds the string's count.
  if (t.kind === 'string') return { ...t, range: r };
  if (t.kind === 'pointer' && t.target.kind === 'string') return { ...t, target: { ...t.target, range: r } };
  if (t.kind !== 'primitive' || ['float', 'double', 'handle_t', 'hyper', 'uhyper'].includes(t.name))
    throw notSupported('[range] on anything but an integer or character of 32 bits or less', a.loc);
  return { ...t, range: r };
}

/** [switch_is] lands on the union, through any pointers in front of it. */
function applySwitchIs(t: RType, a: AttrAst, switchType: AttrAst | undefined, scope: Scope): RType {
  if (t.kind === 'pointer') return { ...t, target: applySwitchIs(t.target, a, switchType, scope) };
  const u = t.kind === 'named' ? scope.lookupNamed(t.name) : undefined;
  if (t.kind !== 'named' || u?.kind !== 'union' || u.encapsulated)
    throw new IdlError('[switch_is] needs a non-encapsulated union', a.loc);
  const e = attrExpr(a, 0);
  if (!e) throw new IdlError('[switch_is] needs an expression', a.loc);
  if (switchType) {
    const st = resolveSwitchType(switchType, scope);
    if (u.switchType && JSON.stringify(u.switchType) !== JSON.stringify(st))
      throw notSupported(`[switch_type] different from the one union '${u.name}' declares`, switchType.loc);
    u.switchType = st;
  }
  return { ...t, switchIs: foldConsts(e, scope) };
}

function resolveSwitchType(a: AttrAst, scope: Scope): IdlType {
  const toks = a.args[0] ?? [];
  if (toks.length === 0) throw new IdlError('[switch_type] needs a type', a.loc);
  const last = toks[toks.length - 1] as Token;
  const ts = new TokenStream([...toks, { kind: 'eof', text: '', loc: last.loc }]);
  const st = resolveSpec(parseTypeSpec(ts), scope, '', []);
  if (!ts.atEnd()) ts.fail(`unexpected '${ts.peek().text}' in [switch_type]`);
  return checkSwitchType(st, scope, a.loc);
}

function checkSwitchType(t: RType, scope: Scope, loc: SourceLocation): IdlType {
  const ok =
    (t.kind === 'primitive' &&
      ['boolean', 'byte', 'char', 'small', 'usmall', 'wchar_t', 'short', 'ushort', 'long', 'ulong'].includes(
        t.name,
      )) ||
    (t.kind === 'named' && scope.lookupNamed(t.name)?.kind === 'enum');
  if (!ok) throw new IdlError('a union discriminant must be an integer, char, boolean or enum', loc);
  if (t.kind === 'primitive') return { kind: 'primitive', name: t.name };
  return t as IdlType;
}

/** [context_handle] on `void *` or a pointer to a (usually incomplete) struct. */
function makeContextHandle(t: RType, d: DeclaratorAst, attrs: AttrAst[]): RType {
  const at = findAttr(attrs, 'context_handle')?.loc ?? d.loc;
  const strict = !!findAttr(attrs, 'strict_context_handle');
  const typeStrict = !!findAttr(attrs, 'type_strict_context_handle');
  const flags = { ...(strict ? { strict } : {}), ...(typeStrict ? { typeStrict } : {}) };
  // `[out, context_handle] void **h`: the handle is the inner pointer.
  if (t.kind === 'pointer' && t.target.kind === 'pointer')
    return { ...t, target: { kind: 'context_handle', ...flags } };
  if (t.kind !== 'pointer') throw new IdlError('[context_handle] needs a pointer type', at);
  return { kind: 'context_handle', ...flags };
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
  return { kind: 'named', name };
}

function makeString(t: RType, loc: SourceLocation, scope: Scope): RType {
  const charOf = (e: RType): 'char' | 'wchar_t' | undefined => {
    if (e.kind !== 'primitive') return undefined;
    if (e.name === 'char' || e.name === 'byte') return 'char';
    if (e.name === 'wchar_t' || e.name === 'ushort') return 'wchar_t';
    return undefined;
  };
  const fromArray = (a: RType & { kind: 'array' }): RType => {
    // `[size_is(n), string] wchar_t **p`: an array of string pointers.
    if (a.element.kind === 'pointer') return { ...a, element: makeString(a.element, loc, scope) };
    const c = charOf(a.element);
    if (!c) throw notSupported('[string] on an array of anything but char/wchar_t', loc);
    if (a.length) throw new IdlError('[string] with [length_is]', loc);
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

function resolveField(f: FieldAst, scope: Scope, structName: string): IdlField {
  checkAttrs(f.attrs, FIELD_ATTRS, 'struct field');
  const innerName = `${structName}_${f.declarator.name}`;
  const base = resolveSpec(f.spec, scope, innerName, f.attrs);
  const t = applyDeclarator(base, f.declarator, f.attrs, scope, 'field');
  const ignore = findAttr(f.attrs, 'ignore');
  if (ignore && t.kind !== 'pointer') throw new IdlError('[ignore] needs a pointer field', ignore.loc);
  if (t.kind === 'context_handle') throw new IdlError('a context handle cannot be a struct field', f.loc);
  return {
    name: f.declarator.name,
    type: t as IdlType,
    ...(ignore ? { ignore: true } : {}),
    loc: f.declarator.loc,
  };
}

/** size_is/length_is in a struct must name fields of that struct; an open array must come last. */
function checkStructCorrelations(s: IdlStruct): void {
  const names = new Set(s.fields.map((f) => f.name));
  s.fields.forEach((f, i) => {
    const t = f.type as RType;
    if (t.kind === 'array' && 'open' in t.size)
      throw new IdlError(`conformant array '${f.name}' needs [size_is] or [max_is]`, f.loc);
    if ((t.kind === 'array' && 'is' in t.size) || (t.kind === 'string' && !t.size)) {
      if (i !== s.fields.length - 1)
        throw new IdlError(`conformant array '${f.name}' must be the last field of '${s.name}'`, f.loc);
    }
    for (const e of exprsOf(t)) checkIdents(e, names, f.loc, `field of '${s.name}'`);
  });
}

function* exprsOf(t: RType): Generator<IdlExpr> {
  if (t.kind === 'array') {
    if ('is' in t.size) yield t.size.is;
    if (t.length) yield t.length;
    if (t.first) yield t.first;
    yield* exprsOf(t.element);
  } else if (t.kind === 'string' && t.size && 'is' in t.size) yield t.size.is;
  else if (t.kind === 'pointer') yield* exprsOf(t.target);
  else if (t.kind === 'named' && t.switchIs) yield t.switchIs;
}

function checkIdents(e: IdlExpr, names: Set<string>, loc: SourceLocation, what: string): void {
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

/** Fills in open pointer kinds: [ref] for a top-level parameter pointer, pointer_default elsewhere. */
function finalize(t: RType, pointerDefault: PointerKind, topLevel: boolean, loc: SourceLocation): IdlType {
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

export function resolveInterface(ast: InterfaceAst, parent: Scope): IdlInterface {
  if (ast.attrs.some((a) => a.name === 'object')) throw notSupported('object (COM) interface', ast.loc);
  checkAttrs(ast.attrs, INTERFACE_ATTRS, 'interface');
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
  const procedures: RProcedure[] = [];
  for (const item of ast.items) {
    if (item.kind === 'procedure') procedures.push(resolveProcedure(item, scope, procedures.length));
    else declare(item, scope);
  }
  const names = new Set<string>();
  for (const p of procedures) {
    if (names.has(p.name)) throw new IdlError(`procedure '${p.name}' is defined twice`, p.loc);
    names.add(p.name);
  }
  const types: Record<string, IdlNamedType> = {};
  const all = scope.allNamed();
  const used = usedPreludeTypes(all, procedures, scope);
  for (const t of all) {
    if (PRELUDE_STRUCTS.has(t.name) && t.loc.file === PRELUDE_FILE && !used.has(t.name)) continue;
    types[t.name] = finalizeStruct(t, pointerDefault);
  }
  if (findAttr(ast.attrs, 'ms_union')) markMsUnions(types);
  for (const t of Object.values(types)) {
    if (t.kind === 'struct' && t.fields.length === 0)
      throw new IdlError(`struct '${t.name}' is declared but never defined`, t.loc);
  }
  const aliases: Record<string, IdlType> = {};
  for (const [name, t] of scope.allAliases()) {
    try {
      aliases[name] = finalize(t, pointerDefault, false, ast.loc);
    } catch {
      // An alias that is only valid with attributes at its use site; codegen does not need it.
    }
  }
  if (findAttr(ast.attrs, 'strict_context_handle')) markAllStrict({ procedures } as unknown as IdlInterface);
  const iface: IdlInterface = {
    name: ast.name,
    uuid,
    version,
    pointerDefault,
    endpoints,
    consts: Object.fromEntries(scope.allConsts()),
    types,
    aliases,
    procedures: procedures.map((p) => finalizeProcedure(p, pointerDefault)),
    loc: ast.loc,
  };
  return iface;
}

interface RProcedure extends Omit<IdlProcedure, 'params' | 'returnType'> {
  returnType: RType;
  params: (Omit<IdlParam, 'type'> & { type: RType })[];
}

function resolveProcedure(p: ProcedureAst, scope: Scope, opnum: number): RProcedure {
  checkAttrs(p.attrs, PROC_ATTRS, 'procedure');
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
  const rpcFlags = procRpcFlags(p.attrs);
  if (rpcFlags) proc.rpcFlags = rpcFlags;
  p.params.forEach((param, index) => {
    checkAttrs(param.attrs, PARAM_ATTRS, 'parameter');
    const name = param.declarator.name;
    if (!name) throw new IdlError(`parameter ${index + 1} of '${p.name}' has no name`, param.loc);
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
    if (isOut && !isIn && t.kind === 'pointer' && t.pointer === 'unique')
      throw new IdlError(`[out] parameter '${name}' cannot be [unique]`, param.loc);
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

/** The prelude's named types that the interface's own types and procedures reach. */
function usedPreludeTypes(all: IdlNamedType[], procs: RProcedure[], scope: Scope): Set<string> {
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
  for (const t of all) if (t.loc.file !== PRELUDE_FILE) visitNamed(t.name);
  for (const p of procs) {
    visitType(p.returnType);
    for (const x of p.params) visitType(x.type);
  }
  return used;
}

function containsHandle(t: RType): boolean {
  if (t.kind === 'primitive') return t.name === 'handle_t';
  if (t.kind === 'pointer') return containsHandle(t.target);
  if (t.kind === 'array') return containsHandle(t.element);
  return false;
}

function finalizeProcedure(p: RProcedure, pointerDefault: PointerKind): IdlProcedure {
  const out: IdlProcedure = {
    name: p.name,
    opnum: p.opnum,
    returnType: finalize(p.returnType, pointerDefault, false, p.loc),
    params: p.params.map((x) => {
      const type = finalize(x.type, pointerDefault, true, x.loc);
      if (type.kind === 'pointer' && type.pointer === 'unique' && x.direction === 'out')
        throw new IdlError(`[out] parameter '${x.name}' cannot be [unique]`, x.loc);
      return {
        name: x.name,
        direction: x.direction,
        type,
        ...(x.genericHandle ? { genericHandle: x.genericHandle } : {}),
        loc: x.loc,
      };
    }),
    acfAsync: p.acfAsync,
    loc: p.loc,
  };
  if (p.rpcFlags) out.rpcFlags = p.rpcFlags;
  if (p.bindingHandle) out.bindingHandle = p.bindingHandle;
  if (p.genericBinding) out.genericBinding = p.genericBinding;
  return out;
}

// --- [ms_union] and the procedure's rpc flags (lib/ndr writes them; see issue 11) ---

function procRpcFlags(attrs: AttrAst[]): IdlRpcFlags | undefined {
  const flags: IdlRpcFlags = {};
  for (const name of RPC_FLAG_ATTRS) if (findAttr(attrs, name)) flags[name] = true;
  return Object.keys(flags).length > 0 ? flags : undefined;
}

/** An interface's [ms_union] applies to each of its non-encapsulated unions. */
function markMsUnions(types: Record<string, IdlNamedType>): void {
  for (const [name, t] of Object.entries(types))
    if (t.kind === 'union' && !t.encapsulated) types[name] = { ...t, msUnion: true };
}
