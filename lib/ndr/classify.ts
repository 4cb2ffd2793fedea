// The one classification of a type's layout that the format strings (lib/ndr) and the
// converters (lib/runtime) both rely on: wire alignment and size, conformance, whether
// NDR may block-copy it, and how x64 passes it by value.
import type { FieldLayout, TypeLayout } from './compiled.js';

/** x64 passes an aggregate of 1, 2, 4 or 8 bytes in its slot, any other by reference to a copy. */
export function isRegisterSized(size: number): boolean {
  return size === 1 || size === 2 || size === 4 || size === 8;
}

/** Alignment on the wire (NDR 2.0): pointers are 4-byte referent ids, enum16 is 2 bytes. */
export function wireAlign(t: TypeLayout): number {
  switch (t.kind) {
    case 'primitive':
      return t.size;
    case 'enum':
      return t.wire === 'enum16' ? 2 : 4;
    case 'pointer':
      return 4;
    case 'struct':
      return Math.max(...t.fields.map((f) => wireAlign(f.type)));
    case 'array':
      return wireAlign(t.element);
    case 'string':
      return t.char === 'char' ? 1 : 2;
    case 'union':
      return Math.max(
        wireAlign(t.switchType),
        ...t.arms.map((a) => (a.member ? wireAlign(a.member.type) : 1)),
      );
    case 'context_handle':
    case 'int3264':
    case 'ignore':
      return 4;
    case 'recursion':
      // Only ever a pointer's target, and a pointer is 4 bytes on the wire.
      return 4;
  }
}

export type StructClass = 'simple' | 'conformant' | 'conformant-varying' | 'bogus';

/** Whether memory and wire layouts agree, so NDR may block-copy (FC_STRUCT and friends). */
export function isSimple(t: TypeLayout): boolean {
  if (t.kind === 'primitive') return t.primitive !== 'handle_t' && !t.range;
  if (t.kind === 'enum') return t.wire === 'enum32' && !t.range;
  if (t.kind === 'struct') return classifyStruct(t) === 'simple';
  if (t.kind === 'array') return t.count !== undefined && !t.lengthIs && isSimple(t.element);
  return false;
}

export function classifyStruct(s: TypeLayout & { kind: 'struct' }): StructClass {
  const last = s.fields[s.fields.length - 1] as FieldLayout;
  const conformant = isConformant(last.type);
  const fixed = conformant ? s.fields.slice(0, -1) : s.fields;
  let end = 0;
  for (const f of fixed) {
    if (!isSimple(f.type)) return 'bogus';
    end = f.offset + f.type.size;
  }
  if (conformant) {
    const a = last.type;
    if (last.offset !== end) return 'bogus';
    // A conformant string is varying too: its length is its own.
    if (a.kind === 'string') return 'conformant-varying';
    if (a.kind !== 'array' || !isSimple(a.element)) return 'bogus';
    return a.lengthIs ? 'conformant-varying' : 'conformant';
  }
  // Trailing padding is memory only: NDR puts the next item right after the last field.
  return end === s.size ? 'simple' : 'bogus';
}

/** A conformant array or string: sized at run time (a struct's conformant tail). */
export function isConformant(t: TypeLayout): boolean {
  return (t.kind === 'array' && t.sizeIs !== undefined) || (t.kind === 'string' && t.count === undefined);
}

/** Conformant data anywhere inside (sizes or lengths the engine must compute). */
export function hasConformance(t: TypeLayout): boolean {
  if (t.kind === 'array')
    return t.sizeIs !== undefined || t.lengthIs !== undefined || hasConformance(t.element);
  if (t.kind === 'string') return t.count === undefined;
  if (t.kind === 'struct') return t.fields.some((f) => hasConformance(f.type));
  return false;
}

/** Whether marshalling the type involves pointers (or data NDR treats like them). */
export function hasPointers(t: TypeLayout): boolean {
  if (t.kind === 'pointer' || t.kind === 'string' || t.kind === 'context_handle') return true;
  if (t.kind === 'array') return hasPointers(t.element);
  if (t.kind === 'struct') return t.fields.some((f) => hasPointers(f.type));
  if (t.kind === 'union') return true;
  return false;
}

/** Bytes on the wire of a base type (an enum16 is 2). */
export function wireSize(t: TypeLayout): number {
  if (t.kind === 'enum') return t.wire === 'enum16' ? 2 : 4;
  return t.size;
}
