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
      return def?.kind === 'struct' ? at(def.fields.find((field) => field.name === f)?.loc) : undefined;
    },
  };
}
