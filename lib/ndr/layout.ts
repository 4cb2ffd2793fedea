// x64 (LLP64) C layouts: sizes, alignments and field offsets as MSVC and mingw lay
// them out, plus size_is/length_is resolved to correlations.

import { PRIMITIVE_SIZE } from '../idl/c-sizeof.js';
import { IdlError, notSupported } from '../idl/errors.js';
import { evalExpr } from '../idl/expr.js';
import type { IdlExpr, IdlInterface, IdlType, IdlUnion, SourceLocation } from '../idl/model.js';
import { SWITCH_TYPE_PRIMITIVES } from '../idl/resolve-attrs.js';
import type { Correlation, CorrelationOp, FieldLayout, TypeLayout, UnionArmLayout } from './compiled.js';

export function alignUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

export class LayoutEngine {
  private readonly named = new Map<string, TypeLayout>();
  private readonly inProgress = new Set<string>();

  constructor(private readonly iface: IdlInterface) {}

  /** The layout of a named struct or enum (cached). */
  namedLayout(name: string, loc: SourceLocation): TypeLayout {
    const cached = this.named.get(name);
    if (cached) return cached;
    const def = this.iface.types[name];
    if (!def) throw new IdlError(`unknown type '${name}'`, loc);
    // A struct reached again while it is laid out: only a pointer can lead here (C has no
    // other way to name an incomplete struct), and the pointer needs no size of its target.
    if (this.inProgress.has(name)) {
      if (def.kind !== 'struct') throw notSupported(`recursive type '${name}'`, def.loc);
      return { kind: 'recursion', name, size: 0, align: 1 };
    }
    this.inProgress.add(name);
    let layout: TypeLayout;
    // Cleared even when the type fails, so a later type naming it fails too (compile.ts
    // skips types no procedure uses) rather than meeting a stale 'recursion'.
    try {
      if (def.kind === 'enum') {
        layout = {
          kind: 'enum',
          name,
          size: 4,
          align: 4,
          wire: def.v1Enum ? 'enum32' : 'enum16',
          members: def.members,
        };
      } else if (def.kind === 'union') {
        layout = this.unionLayout(def, loc);
      } else {
        const fields: FieldLayout[] = [];
        let offset = 0;
        let align = 1;
        for (const f of def.fields) {
          // `[ignore] void *p` ([MS-FRS1] COMM_PACKET): never sent and NULL on receipt, so
          // what it points to is never read; laid out as a pointer to bytes.
          const fieldType: IdlType =
            f.ignore && f.type.kind === 'pointer' && f.type.target.kind === 'void'
              ? { ...f.type, target: { kind: 'primitive', name: 'byte' } }
              : f.type;
          const declared = this.layout(fieldType, 'field', f.loc);
          if (declared.kind === 'recursion')
            throw new IdlError(`struct '${name}' contains itself (only a pointer to it can)`, f.loc);
          const t: TypeLayout = f.ignore
            ? {
                kind: 'ignore',
                target: declared,
                size: 8,
                align: 8,
                ...(declared.name ? { name: declared.name } : {}),
              }
            : declared;
          offset = alignUp(offset, t.align);
          fields.push({ name: f.name, offset, type: t });
          offset += t.size;
          align = Math.max(align, t.align);
        }
        const byName = new Map(fields.map((f) => [f.name, f.type]));
        for (const f of fields) f.type = resolveSwitchOperands(f.type, byName);
        layout = { kind: 'struct', name, size: alignUp(offset, align), align, fields };
      }
    } finally {
      this.inProgress.delete(name);
    }
    this.named.set(name, layout);
    return layout;
  }

  /** A union's C layout: non-encapsulated, a C union; encapsulated, struct { discriminant; union }. */
  private unionLayout(def: IdlUnion, loc: SourceLocation): TypeLayout {
    const arms: UnionArmLayout[] = [];
    let size = 0;
    let align = 1;
    for (const a of def.arms) {
      const member = a.field
        ? { name: a.field.name, type: this.layout(a.field.type, 'field', a.field.loc) }
        : null;
      if (member) {
        if (member.type.size === 0) throw notSupported('a conformant union arm', a.loc);
        size = Math.max(size, member.type.size);
        align = Math.max(align, member.type.align);
      }
      arms.push({ cases: a.cases, isDefault: a.isDefault, member });
    }
    size = alignUp(size, align);
    // Non-encapsulated unions without switch_type take the type of switch_is's operand,
    // known only where they are used (resolveSwitchOperands): until then, a long.
    const switchType = this.layout(def.switchType ?? { kind: 'primitive', name: 'long' }, 'field', loc);
    if (!def.encapsulated)
      return {
        kind: 'union',
        name: def.name,
        size,
        align,
        switchType,
        ...(def.switchType ? {} : { switchFromOperand: true as const }),
        ...(def.msUnion ? { msUnion: true as const } : {}),
        arms,
      };
    const unionOffset = alignUp(switchType.size, align);
    const outerAlign = Math.max(align, switchType.align);
    return {
      kind: 'union',
      name: def.name,
      size: alignUp(unionOffset + size, outerAlign),
      align: outerAlign,
      switchType,
      encapsulated: { ...def.encapsulated, unionOffset },
      arms,
    };
  }

  layout(t: IdlType, scope: 'param' | 'field', loc: SourceLocation): TypeLayout {
    switch (t.kind) {
      case 'void':
        throw new IdlError('void has no layout', loc);
      case 'primitive': {
        const size = PRIMITIVE_SIZE[t.name];
        return {
          kind: 'primitive',
          primitive: t.name,
          size,
          align: size,
          ...(t.alias ? { name: t.alias } : {}),
          ...(t.range ? { range: { ...t.range } } : {}),
        };
      }
      case 'int3264':
        return {
          kind: 'int3264',
          signed: !t.unsigned,
          size: 8,
          align: 8,
          ...(t.alias ? { name: t.alias } : {}),
        };
      case 'context_handle':
        return {
          kind: 'context_handle',
          strict: !!t.strict,
          size: 8,
          align: 8,
          ...(t.alias ? { name: t.alias, typeName: t.alias } : {}),
        };
      case 'named': {
        const named = this.namedLayout(t.name, loc);
        if (t.range && named.kind === 'enum') return { ...named, range: { ...t.range } };
        if (!t.switchIs) {
          if (named.kind === 'union' && !named.encapsulated)
            throw new IdlError(`union '${t.name}' needs [switch_is] where it is used`, loc);
          return named;
        }
        if (named.kind !== 'union' || named.encapsulated)
          throw new IdlError('[switch_is] needs a non-encapsulated union', loc);
        return { ...named, switchIs: toCorrelation(t.switchIs, scope) };
      }
      case 'pointer':
        return {
          kind: 'pointer',
          pointer: t.pointer === 'ptr' ? 'full' : t.pointer,
          target: this.layout(t.target, scope, loc),
          size: 8,
          align: 8,
          ...(t.alias ? { name: t.alias } : {}),
          ...(t.arrayParam ? { arrayParam: true } : {}),
        };
      case 'array': {
        const element = this.layout(t.element, scope, loc);
        const lengthIs = t.length ? toCorrelation(t.length, scope) : undefined;
        const firstIs = t.first ? toCorrelation(t.first, scope) : undefined;
        const varying = {
          ...(lengthIs ? { lengthIs } : {}),
          ...(firstIs ? { firstIs } : {}),
          ...(t.sizeRange ? { sizeRange: { ...t.sizeRange } } : {}),
        };
        if ('fixed' in t.size) {
          return {
            kind: 'array',
            element,
            count: t.size.fixed,
            size: element.size * t.size.fixed,
            align: element.align,
            ...varying,
          };
        }
        return {
          kind: 'array',
          element,
          sizeIs: toCorrelation(t.size.is, scope),
          size: 0,
          align: element.align,
          ...varying,
        };
      }
      case 'string': {
        const unit = t.char === 'char' ? 1 : 2;
        const range = t.range ? { range: { ...t.range } } : {};
        if (!t.size) return { kind: 'string', char: t.char, size: 0, align: unit, ...range };
        if ('fixed' in t.size)
          return {
            kind: 'string',
            char: t.char,
            count: t.size.fixed,
            size: unit * t.size.fixed,
            align: unit,
            ...range,
          };
        return {
          kind: 'string',
          char: t.char,
          sizeIs: toCorrelation(t.size.is, scope),
          size: 0,
          align: unit,
          ...range,
        };
      }
    }
  }
}

/**
 * NDR can evaluate only `x`, `*x`, and x+1, x-1, x*2, x/2 (or a constant) by itself;
 * anything else becomes an expression callback (lib/ndr/expr-program.ts). The engine
 * reads a union's discriminant through the same conformance routine, so a switch_is
 * expression (`switch_is(0x00FFFFFF & Level)`) is a callback too, as MIDL writes it.
 */
export function toCorrelation(e: IdlExpr, scope: 'param' | 'field'): Correlation {
  const source = scope;
  // A constant expression (max_is(257) is 257 + 1) is a constant correlation, as MIDL
  // writes it (lpp_c.c @8: 40 00 0201 for max_is(257)).
  const constant = constantValue(e);
  if (constant !== undefined) return { source: 'constant', value: constant };
  const base = (x: IdlExpr): { name: string; deref: boolean } | undefined => {
    if (x.kind === 'ident') return { name: x.name, deref: false };
    if (x.kind === 'unary' && x.op === '*' && x.operand.kind === 'ident')
      return { name: x.operand.name, deref: true };
    return undefined;
  };
  const plain = base(e);
  if (plain) return { source, ...plain, op: 'none' };
  if (e.kind === 'binary') {
    const num = (x: IdlExpr) => (x.kind === 'number' ? x.value : undefined);
    const forms: [IdlExpr, IdlExpr, CorrelationOp][] = [];
    if (e.op === '+' && num(e.right) === 1) forms.push([e.left, e.right, 'add1']);
    if (e.op === '+' && num(e.left) === 1) forms.push([e.right, e.left, 'add1']);
    if (e.op === '-' && num(e.right) === 1) forms.push([e.left, e.right, 'sub1']);
    if (e.op === '*' && num(e.right) === 2) forms.push([e.left, e.right, 'mul2']);
    if (e.op === '*' && num(e.left) === 2) forms.push([e.right, e.left, 'mul2']);
    if (e.op === '/' && num(e.right) === 2) forms.push([e.left, e.right, 'div2']);
    for (const [operand, , op] of forms) {
      const b = base(operand);
      if (b && !(b.deref && op !== 'none')) return { source, ...b, op };
    }
  }
  // Any other expression (switch_is(0x00FFFFFF & Level) in [MS-PAR]) goes through an
  // expression callback, which sets the engine's MaxCount, where size_is and switch_is
  // both read their value. MIDL's /target NT60 output uses FC_EXPR instead (ms-par_c.c
  // @2416); a callback is the form every engine reads.
  return { source: 'expr', expr: e };
}

/**
 * MIDL gives a non-encapsulated union declared without [switch_type] the type of its
 * switch_is operand (an enum travels as FC_ENUM16, a short as FC_SHORT, ...). Returns
 * `t` with that type filled in for every such union it holds directly or through
 * pointers; `operands` has the layouts of the parameters (or fields) switch_is can name.
 */
export function resolveSwitchOperands(t: TypeLayout, operands: ReadonlyMap<string, TypeLayout>): TypeLayout {
  if (t.kind === 'pointer') {
    const target = resolveSwitchOperands(t.target, operands);
    return target === t.target ? t : { ...t, target };
  }
  if (t.kind !== 'union' || !t.switchFromOperand || !t.switchIs) return t;
  const c = t.switchIs;
  if (c.source !== 'param' && c.source !== 'field') return t;
  let operand = operands.get(c.name);
  if (operand?.kind === 'pointer' && c.deref) operand = operand.target;
  if (!operand) return t;
  if (operand.kind === 'enum') return { ...t, switchType: operand };
  // The union switches on its operand's type: a discriminant type, or an error_status_t
  // (an unsigned long to MIDL), which a [switch_type] may not name.
  if (
    operand.kind === 'primitive' &&
    (SWITCH_TYPE_PRIMITIVES.has(operand.primitive) || operand.primitive === 'error_status_t')
  ) {
    const { range: _range, ...plain } = operand;
    return { ...t, switchType: plain };
  }
  return t;
}

/** The value of an expression that names nothing, or undefined. */
function constantValue(e: IdlExpr): number | undefined {
  try {
    return evalExpr(e, () => undefined, { file: '', line: 0, column: 0 });
  } catch {
    return undefined;
  }
}
