// TypeLayout -> TypeScript type expressions, in the two directions a value travels:
// `output` is exactly what lib/runtime/decode-call.ts produces, `input` everything
// lib/runtime/encode-call.ts accepts for it. One renderer per TypeLayout kind, in a
// table keyed by kind: a kind added to TypeLayout is a compile error here until it
// gets its renderer (and nowhere else in the generator needs to change).
import type { PrimitiveName } from '../idl/model.js';
import type { FieldLayout, TypeLayout } from '../ndr/compiled.js';
import { isByteArray, isGuid, isLargeInteger, isSid } from '../runtime/value-shapes.js';
import { propertyKey } from './ts-names.js';

type Kind = TypeLayout['kind'];
type LayoutOf<K extends Kind> = Extract<TypeLayout, { kind: K }>;

interface KindRenderer<K extends Kind> {
  output(type: LayoutOf<K>, named: NamedTypes): string;
  input(type: LayoutOf<K>, named: NamedTypes): string;
  /** Whether a value of this type is accepted in more shapes than it comes back in. */
  inputWidens(type: LayoutOf<K>, named: NamedTypes): boolean;
}

/** How the generated module refers to a named type (see emit-types.ts). */
export interface NamedTypes {
  /** Whether `name` has a declaration in the module (else the type is inlined). */
  has(name: string): boolean;
  /** The name of the input variant of a struct whose input widens. */
  inputName(name: string): string;
}

const PRIMITIVE_OUTPUT: Record<PrimitiveName, string> = {
  boolean: 'boolean',
  byte: 'number',
  char: 'string',
  uchar: 'number',
  small: 'number',
  usmall: 'number',
  wchar_t: 'string',
  short: 'number',
  ushort: 'number',
  long: 'number',
  ulong: 'number',
  hyper: 'bigint',
  uhyper: 'bigint',
  float: 'number',
  double: 'number',
  error_status_t: 'number',
  handle_t: 'never',
};
// Characters are also accepted as their code, 64-bit integers as safe integers.
const PRIMITIVE_INPUT: Partial<Record<PrimitiveName, string>> = {
  char: 'string | number',
  wchar_t: 'string | number',
  hyper: 'bigint | number',
  uhyper: 'bigint | number',
};

const BYTES_INPUT = 'ArrayBufferView | ArrayBuffer';

const RENDERERS: { [K in Kind]: KindRenderer<K> } = {
  primitive: {
    output: (t) => PRIMITIVE_OUTPUT[t.primitive],
    input: (t) => PRIMITIVE_INPUT[t.primitive] ?? PRIMITIVE_OUTPUT[t.primitive],
    inputWidens: (t) => PRIMITIVE_INPUT[t.primitive] !== undefined,
  },
  enum: {
    // Values come back as numbers; a member name is accepted as input.
    output: (t, named) =>
      t.name && named.has(t.name) ? t.name : t.members.map((m) => String(m.value)).join(' | ') || 'number',
    input: (t, named) =>
      t.name && named.has(t.name)
        ? `${t.name} | keyof typeof ${t.name}`
        : [...t.members.map((m) => String(m.value)), ...t.members.map((m) => JSON.stringify(m.name))].join(
            ' | ',
          ) || 'number',
    inputWidens: () => true,
  },
  struct: {
    // A struct with a JS form (a GUID's string...) is declared as that form
    // (`type GUID = string`); as input its struct is accepted too.
    output: (t, named) =>
      t.name && named.has(t.name) ? t.name : (structForm(t)?.output ?? structLiteral(t, named, 'output')),
    input: (t, named) => {
      const form = structForm(t);
      if (form) return `${form.input} | ${structLiteral(t, named, 'input')}`;
      if (!t.name || !named.has(t.name)) return structLiteral(t, named, 'input');
      return renderers('struct').inputWidens(t, named) ? named.inputName(t.name) : t.name;
    },
    inputWidens: (t, named) => !!structForm(t) || t.fields.some((f) => inputWidens(f.type, named)),
  },
  pointer: {
    // A [ref] pointer is its target; a NULL [unique] / [ptr] one is null.
    output: (t, named) => nullable(outputType(t.target, named), t.pointer !== 'ref'),
    input: (t, named) => nullable(inputType(t.target, named), t.pointer !== 'ref'),
    inputWidens: (t, named) => inputWidens(t.target, named),
  },
  array: {
    // Byte data (byte, char, small that is not [string]) is a Uint8Array; any binary form
    // or an array of numbers goes in.
    output: (t, named) => (isByteArray(t) ? 'Uint8Array' : `${group(outputType(t.element, named))}[]`),
    input: (t, named) =>
      `${isByteArray(t) ? `${BYTES_INPUT} | ` : ''}readonly ${group(inputType(t.element, named))}[]`,
    inputWidens: () => true,
  },
  string: {
    output: () => 'string',
    input: () => 'string',
    inputWidens: () => false,
  },
  union: {
    output: (t, named) => (t.name && named.has(t.name) ? t.name : unionType(t, named, 'output')),
    input: (t, named) => {
      if (!t.name || !named.has(t.name)) return unionType(t, named, 'input');
      return renderers('union').inputWidens(t, named) ? named.inputName(t.name) : t.name;
    },
    // A non-encapsulated union's `case` is optional as input (its switch_is argument selects the arm).
    inputWidens: (t, named) =>
      !t.encapsulated || t.arms.some((arm) => arm.member && inputWidens(arm.member.type, named)),
  },
  // 4 bytes on the wire: always a safe integer.
  int3264: {
    output: () => 'number',
    input: () => 'number',
    inputWidens: () => false,
  },
  // Never sent: the receiver sees NULL whatever the sender had.
  ignore: {
    output: () => 'null',
    input: () => 'null',
    // Optional as input (fieldKey): callers leave [ignore] fields out.
    inputWidens: () => true,
  },
  // A struct reached again through a pointer (a linked list): its declared name. It
  // widens as input (the struct's input variant holds it, and the struct widens with it).
  recursion: {
    output: (t, named) => declaredName(t, named),
    input: (t, named) => named.inputName(declaredName(t, named)),
    inputWidens: () => true,
  },
  // The runtime's ContextHandle, branded with its IDL typedef so one handle type can't
  // be passed for another; a reply gives null for a NULL (closed) handle.
  context_handle: {
    output: (t) => `${handleType(t)} | null`,
    input: (t) => handleType(t),
    inputWidens: () => false,
  },
};

/** The JS form of a struct shape lib/runtime/value-shapes.ts converts, and what documents it. */
export function structForm(
  type: LayoutOf<'struct'>,
): { output: string; input: string; doc: string[] } | undefined {
  if (isGuid(type)) {
    return {
      output: 'string',
      input: 'string',
      doc: [
        'A GUID as calls resolve it: the canonical lowercase string',
        '("6b29fc40-ca47-1067-b31d-00dd010662da"); calls also accept its { Data1, Data2, Data3, Data4 } struct.',
      ],
    };
  }
  if (isLargeInteger(type)) {
    return {
      output: 'bigint',
      input: 'bigint | number',
      doc: [
        'A 64-bit integer struct as calls resolve it: its QuadPart as a bigint;',
        'calls also accept a safe integer or the { QuadPart } struct.',
      ],
    };
  }
  if (isSid(type)) {
    return {
      output: 'string',
      input: 'string',
      doc: [
        'A SID as calls resolve it: its string form ("S-1-5-32-544", [MS-DTYP] 2.4.2.1);',
        'calls also accept its struct.',
      ],
    };
  }
  return undefined;
}

function declaredName(type: LayoutOf<'recursion'>, named: NamedTypes): string {
  if (!type.name || !named.has(type.name))
    throw new UnsupportedInCodegen(`a recursive struct without a declaration ('${type.name ?? ''}')`);
  return type.name;
}

function handleType(type: LayoutOf<'context_handle'>): string {
  return type.typeName ? `ContextHandle<${JSON.stringify(type.typeName)}>` : 'ContextHandle';
}

/**
 * Thrown by a renderer for a kind the generated clients cannot express yet (the runtime
 * has no JS shape for it): generate.ts reports it as an IdlError at the declaration.
 */
export class UnsupportedInCodegen extends Error {
  override name = 'UnsupportedInCodegen';
}

type UnionLayout = LayoutOf<'union'>;

/**
 * A discriminated union on `case`, the discriminant value that selects the arm, with
 * the arm's member under its own name (`{ case: 1; count: number } | { case: 2 }`). As
 * input, a non-encapsulated union may leave `case` out: its switch_is argument selects.
 */
function unionType(type: UnionLayout, named: NamedTypes, direction: 'input' | 'output'): string {
  const render = direction === 'input' ? inputType : outputType;
  const key = direction === 'input' && !type.encapsulated ? 'case?' : 'case';
  const arms = type.arms.map((arm) => {
    const tag = arm.isDefault ? 'number' : arm.cases.join(' | ');
    const member = arm.member ? ` ${propertyKey(arm.member.name)}: ${render(arm.member.type, named)};` : '';
    return `{ ${key}: ${tag};${member} }`;
  });
  return arms.join(' | ') || 'never';
}

function renderers<K extends Kind>(kind: K): KindRenderer<K> {
  return RENDERERS[kind] as KindRenderer<K>;
}

/** The type of a value as the runtime resolves it. */
export function outputType(type: TypeLayout, named: NamedTypes): string {
  return renderers(type.kind).output(type as never, named);
}

/** The type of every value the runtime accepts for `type`. */
export function inputType(type: TypeLayout, named: NamedTypes): string {
  return renderers(type.kind).input(type as never, named);
}

export function inputWidens(type: TypeLayout, named: NamedTypes): boolean {
  return renderers(type.kind).inputWidens(type as never, named);
}

/** The members of a struct type, one `name: Type;` per field. */
/** A struct field's property key; [ignore] fields are optional as input. */
export function fieldKey(field: FieldLayout, direction: 'input' | 'output'): string {
  return `${propertyKey(field.name)}${direction === 'input' && field.type.kind === 'ignore' ? '?' : ''}`;
}

export function structMembers(
  type: LayoutOf<'struct'>,
  named: NamedTypes,
  direction: 'input' | 'output',
): string[] {
  const render = direction === 'input' ? inputType : outputType;
  return type.fields.map((f) => `${fieldKey(f, direction)}: ${render(f.type, named)};`);
}

function structLiteral(type: LayoutOf<'struct'>, named: NamedTypes, direction: 'input' | 'output'): string {
  return `{ ${structMembers(type, named, direction).join(' ')} }`;
}

function nullable(type: string, isNullable: boolean): string {
  return isNullable ? `${type} | null` : type;
}

/** Parenthesises a union before `[]`. */
function group(type: string): string {
  // A union, or a `readonly T[]` (nested arrays), must be parenthesised before `[]`.
  return /[|&]/.test(type) || type.startsWith('readonly ') ? `(${type})` : type;
}
