// sizeof(T) of a declared type, as C computes it for x64 (LLP64, /Zp8): what protocol IDLs
// divide their payload limits by ([MS-EVEN6] `MAX_PAYLOAD / sizeof(GUID)`, [MS-FRS1]
// `range(sizeof(GUID), sizeof(GUID))`). MIDL folds these with the C sizes of its own
// type model. The parser folds base types itself (expr.ts); a declared name reaches here
// as the identifier `sizeof(Name)`, looked up like a constant once the type is known.
import type { IdlType, PrimitiveName } from './model.js';
import type { RType, Scope } from './resolve-scope.js';

const SIZEOF_PREFIX = 'sizeof(';

/** The identifier a `sizeof(Name)` of a not-yet-known type is parsed into. */
export function sizeofIdent(name: string): string {
  return `${SIZEOF_PREFIX}${name})`;
}

/** The type name of a `sizeof(Name)` identifier, or undefined for an ordinary name. */
export function sizeofTypeName(ident: string): string | undefined {
  return ident.startsWith(SIZEOF_PREFIX) && ident.endsWith(')')
    ? ident.slice(SIZEOF_PREFIX.length, -1)
    : undefined;
}

interface CLayout {
  size: number;
  align: number;
}

/** The memory size of each base type (x64); lib/ndr's layout uses the same table. */
export const PRIMITIVE_SIZE: Record<PrimitiveName, number> = {
  boolean: 1,
  byte: 1,
  char: 1,
  uchar: 1,
  small: 1,
  usmall: 1,
  wchar_t: 2,
  short: 2,
  ushort: 2,
  long: 4,
  ulong: 4,
  hyper: 8,
  uhyper: 8,
  float: 4,
  double: 8,
  error_status_t: 4,
  handle_t: 8,
};

const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;

/** The C size of the type `name` names here (alias, struct, union or enum), if it has one. */
export function cSizeofName(scope: Scope, name: string): number | undefined {
  return namedLayout(scope, name, new Set())?.size;
}

function namedLayout(scope: Scope, name: string, seen: Set<string>): CLayout | undefined {
  if (seen.has(name)) return undefined; // a struct containing itself by value has no size
  const alias = scope.lookupAlias(name);
  if (alias) return layout(scope, alias, new Set([...seen, name]));
  const named = scope.lookupNamed(name);
  if (!named) return undefined;
  const inner = new Set([...seen, name]);
  if (named.kind === 'enum') return { size: 4, align: 4 };
  const members: CLayout[] = [];
  if (named.kind === 'struct') {
    for (const f of named.fields) {
      const l = layout(scope, f.type, inner);
      if (!l) return undefined;
      members.push(l);
    }
    let offset = 0;
    let align = 1;
    for (const m of members) {
      offset = alignUp(offset, m.align) + m.size;
      align = Math.max(align, m.align);
    }
    return { size: alignUp(offset, align), align };
  }
  // A union: its largest arm, aligned to its most aligned arm; encapsulated, the
  // discriminant comes first, as MIDL's C header declares the struct.
  let size = 0;
  let align = 1;
  for (const arm of named.arms) {
    if (!arm.field) continue;
    const l = layout(scope, arm.field.type, inner);
    if (!l) return undefined;
    size = Math.max(size, l.size);
    align = Math.max(align, l.align);
  }
  const union = { size: alignUp(size, align), align };
  if (!named.encapsulated) return union;
  const disc = named.switchType ? layout(scope, named.switchType as RType, inner) : undefined;
  if (!disc) return undefined;
  const whole = Math.max(disc.align, union.align);
  return { size: alignUp(alignUp(disc.size, union.align) + union.size, whole), align: whole };
}

function layout(scope: Scope, t: RType | IdlType, seen: Set<string>): CLayout | undefined {
  switch (t.kind) {
    case 'primitive': {
      const size = PRIMITIVE_SIZE[t.name];
      return { size, align: size };
    }
    case 'pointer':
    case 'context_handle':
    case 'int3264':
      return { size: 8, align: 8 };
    case 'named':
      return namedLayout(scope, t.name, seen);
    case 'array': {
      const element = layout(scope, t.element, seen);
      if (!element) return undefined;
      // A conformant array is a C flexible array member: no size of its own.
      const n = 'fixed' in t.size ? t.size.fixed : 0;
      return { size: element.size * n, align: element.align };
    }
    case 'string': {
      const char = t.char === 'wchar_t' ? 2 : 1;
      const n = t.size && 'fixed' in t.size ? t.size.fixed : 0;
      return { size: char * n, align: char };
    }
    default:
      return undefined;
  }
}
