// Recursive structs (a linked list's `next`) reach lib/runtime as `recursion` layouts that
// name the struct (lib/ndr keeps layouts JSON). The converters follow values, so they can
// walk a cyclic layout: this links each `recursion` to the struct it names, in a copy.
import type { CompiledInterface, TypeLayout } from '../ndr/compiled.js';

export function linkRecursion(compiled: CompiledInterface): CompiledInterface {
  if (!JSON.stringify(compiled.types).includes('"kind":"recursion"')) return compiled;
  // structuredClone keeps shared layouts shared, so the links reach every use.
  const copy = structuredClone(compiled);
  const seen = new Set<TypeLayout>();
  const visit = (t: TypeLayout): TypeLayout => {
    if (t.kind === 'recursion') {
      const target = copy.types[t.name as string];
      if (!target) throw new Error(`winrpc: ${copy.name}: recursive type '${t.name}' has no layout`);
      return target;
    }
    if (seen.has(t)) return t;
    seen.add(t);
    switch (t.kind) {
      case 'pointer':
      case 'ignore':
        t.target = visit(t.target);
        break;
      case 'array':
        t.element = visit(t.element);
        break;
      case 'struct':
        for (const f of t.fields) f.type = visit(f.type);
        break;
      case 'union':
        for (const a of t.arms) if (a.member) a.member.type = visit(a.member.type);
        break;
    }
    return t;
  };
  for (const name of Object.keys(copy.types)) copy.types[name] = visit(copy.types[name] as TypeLayout);
  for (const proc of copy.procedures) {
    for (const p of proc.params) p.type = visit(p.type);
    if (proc.returnType) proc.returnType = visit(proc.returnType);
  }
  return copy;
}
