// Declarations of an interface's named types: enums as a const object plus a type of
// its values, structs as an interface of what calls resolve to plus, when inputs are
// wider (bigints also as numbers, enum names, readonly arrays), a `…Input` interface.
// Kinds without a declaration here are written inline where they are used.
import type { TypeLayout } from '../ndr/compiled.js';
import type { Docs } from './docs.js';
import { propertyKey } from './ts-names.js';
import { fieldKey, inputType, inputWidens, type NamedTypes, outputType, structForm } from './ts-types.js';
import type { TsWriter } from './ts-writer.js';

type LayoutOf<K extends TypeLayout['kind']> = Extract<TypeLayout, { kind: K }>;

interface Declarer<K extends TypeLayout['kind']> {
  /** The top-level names the declaration takes. */
  names(name: string, type: LayoutOf<K>, named: NamedTypes): string[];
  emit(out: TsWriter, name: string, type: LayoutOf<K>, named: NamedTypes, docs: Docs): void;
}

const DECLARERS: { [K in TypeLayout['kind']]?: Declarer<K> } = {
  enum: {
    names: (name) => [name],
    emit(out, name, type, _named, docs) {
      out.doc(docs.type(name));
      out.block(
        `export const ${name} = {`,
        () => {
          for (const m of type.members) out.line(`${propertyKey(m.name)}: ${m.value},`);
        },
        '} as const;',
      );
      out.line(`export type ${name} = (typeof ${name})[keyof typeof ${name}];`);
    },
  },
  struct: {
    names: (name, type, named) =>
      inputWidens(type, named) && !structForm(type) ? [name, named.inputName(name)] : [name],
    emit(out, name, type, named, docs) {
      const form = structForm(type);
      if (form) {
        out.doc([...(docs.type(name) ?? []), ...form.doc]);
        out.line(`export type ${name} = ${form.output};`);
        return;
      }
      const fields = (direction: 'input' | 'output') => () => {
        for (const f of type.fields) {
          out.doc(docs.field(name, f.name));
          const render = direction === 'input' ? inputType : outputType;
          out.line(`${fieldKey(f, direction)}: ${render(f.type, named)};`);
        }
      };
      out.doc(docs.type(name));
      out.block(`export interface ${name} {`, fields('output'));
      if (inputWidens(type, named)) {
        out.line();
        out.doc([`A {@link ${name}} as calls accept it (see {@link ${name}} for what they resolve to).`]);
        out.block(`export interface ${named.inputName(name)} {`, fields('input'));
      }
    },
  },
  union: {
    names: (name, type, named) => (inputWidens(type, named) ? [name, named.inputName(name)] : [name]),
    emit(out, name, type, named, docs) {
      // The declaration is the union itself; uses refer to it by name.
      const unnamed = { ...type, name: undefined };
      out.doc(docs.type(name));
      out.line(`export type ${name} = ${outputType(unnamed, named)};`);
      if (inputWidens(type, named)) {
        out.doc([`A {@link ${name}} as calls accept it.`]);
        out.line(`export type ${named.inputName(name)} = ${inputType(unnamed, named)};`);
      }
    },
  },
};

function declarer(kind: TypeLayout['kind']): Declarer<TypeLayout['kind']> | undefined {
  return DECLARERS[kind] as Declarer<TypeLayout['kind']> | undefined;
}

/** Whether a named type of this kind gets a declaration of its own. */
export function isDeclared(type: TypeLayout): boolean {
  return declarer(type.kind) !== undefined;
}

export function declaredNames(name: string, type: TypeLayout, named: NamedTypes): string[] {
  return declarer(type.kind)?.names(name, type, named) ?? [];
}

export function emitTypeDeclaration(
  out: TsWriter,
  name: string,
  type: TypeLayout,
  named: NamedTypes,
  docs: Docs,
): void {
  declarer(type.kind)?.emit(out, name, type, named, docs);
}
