// One procedure as a typed method: positional [in] / [in, out] parameters, then the
// call options; the promise resolves as lib/runtime/decode-call.ts decodes: the return
// value alone, or an object of the [out] / [in, out] values plus `returnValue`.
import type { CompiledParam, CompiledProcedure, TypeLayout } from '../ndr/compiled.js';
import { paramIdentifier, propertyKey } from './ts-names.js';
import { inputType, type NamedTypes, outputType } from './ts-types.js';

export interface MethodSignature {
  /** `a: number` for each positional parameter, then `options?: CallOptions`. */
  params: string[];
  /** The identifiers the method passes on, in order. */
  args: string[];
  /** The promise's value type. */
  result: string;
}

export function methodSignature(proc: CompiledProcedure, named: NamedTypes): MethodSignature {
  const inParams = proc.params.filter((p) => p.direction !== 'out');
  const implied = impliedSizes(proc);
  const params = inParams.map((p) => {
    let type = inputType(p.type, named);
    // An [in, out] context handle may start NULL (C passes &h with h = NULL).
    if (p.direction === 'inout' && pointee(p).kind === 'context_handle') type = `${type} | null`;
    return `${paramIdentifier(p.name)}: ${implied.has(p.name) ? `${type} | undefined` : type}`;
  });
  return {
    params: [...params, 'options?: CallOptions'],
    args: inParams.map((p) => paramIdentifier(p.name)),
    result: resultType(proc, named),
  };
}

function resultType(proc: CompiledProcedure, named: NamedTypes): string {
  const returned = proc.returnType ? outputType(proc.returnType, named) : 'void';
  const outParams = proc.params.filter((p) => p.direction !== 'in');
  if (outParams.length === 0) return returned;
  const members = outParams.map((p) => `${propertyKey(p.name)}: ${outputType(p.type, named)}`);
  if (proc.returnType) members.push(`returnValue: ${returned}`);
  return `{ ${members.join('; ')} }`;
}

/**
 * Parameters the runtime fills in when passed `undefined`: those sizing [in] data
 * through a plain size_is / length_is (encode-call.ts, "the fill-in rule").
 */
function impliedSizes(proc: CompiledProcedure): Set<string> {
  const names = new Set<string>();
  for (const param of proc.params) {
    if (param.direction === 'out') continue;
    for (const c of correlations(pointee(param))) {
      if (c.source === 'param' && !c.deref) names.add(c.name);
    }
  }
  for (const name of names) {
    const param = proc.params.find((p) => p.name === name);
    if (!param || param.direction === 'out' || param.type.kind !== 'primitive') names.delete(name);
  }
  return names;
}

function pointee(param: CompiledParam): TypeLayout {
  return param.type.kind === 'pointer' ? param.type.target : param.type;
}

function correlations(type: TypeLayout) {
  if (type.kind === 'array') return [type.sizeIs, type.lengthIs].filter((c) => c !== undefined);
  if (type.kind === 'string' && type.sizeIs) return [type.sizeIs];
  return [];
}
