// JSDoc text for each generated declaration, from the IDL comments before the
// declaration it comes from (positions from the model, text from doc-comments.ts).
import type { IdlModel, SourceLocation } from '../idl/model.js';
import type { DocComments } from './doc-comments.js';

export interface Docs {
  iface(name: string): string[] | undefined;
  proc(iface: string, proc: string): string[] | undefined;
  type(name: string): string[] | undefined;
  field(type: string, field: string): string[] | undefined;
}

export function modelDocs(model: IdlModel, comments: DocComments): Docs {
  const at = (loc: SourceLocation | undefined) => (loc ? comments.before(loc) : undefined);
  const iface = (name: string) => model.interfaces.find((i) => i.name === name);
  const type = (name: string) => model.interfaces.map((i) => i.types[name]).find((t) => t !== undefined);
  return {
    iface: (name) => at(iface(name)?.loc),
    proc: (i, p) => at(iface(i)?.procedures.find((proc) => proc.name === p)?.loc),
    type: (name) => at(type(name)?.loc),
    field: (t, f) => {
      const def = type(t);
      const field = def?.kind === 'struct' ? def.fields.find((x) => x.name === f) : undefined;
      const text = at(field?.loc);
      return field?.unnamed ? [...(text ?? []), ...unnamedNote(f)] : text;
    },
  };
}

/** What an unnamed union member's generated property says about its name. */
function unnamedNote(name: string): string[] {
  return [
    `Unnamed in the IDL (an anonymous union in MIDL's C header): winrpc names it \`${name}\`,`,
    "as the SDK's NONAMELESSUNION names DUMMYUNIONNAME (u, u2, u3...).",
  ];
}
