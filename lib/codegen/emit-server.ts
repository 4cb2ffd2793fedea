// One RPC interface as the typed implementation createServer takes (`ICalcServer`): each
// procedure gets the [in] and [in, out] values as a client receives them and the call's
// ServerCallInfo, and returns (or resolves to) what a client call resolves to. Context
// handles are the implementation's own state values.
import type { CompiledParam, CompiledProcedure, TypeLayout } from '../ndr/compiled.js';
import type { Docs } from './docs.js';
import { paramIdentifier, propertyKey } from './ts-names.js';
import { inputType, type NamedTypes, outputType } from './ts-types.js';
import type { TsWriter } from './ts-writer.js';

export function emitServer(
  out: TsWriter,
  compiled: { name: string; procedures: CompiledProcedure[] },
  serverIface: string,
  named: NamedTypes,
  docs: Docs,
): void {
  out.doc([
    `An implementation of ${compiled.name} for \`createServer\`: each method receives the [in] and`,
    '[in, out] values as a client receives them, then the call, and returns (or resolves to)',
    'what a client call resolves to. Context handles are any non-null state of your own.',
  ]);
  out.block(`export interface ${serverIface} {`, () => {
    for (const proc of compiled.procedures) {
      out.doc(docs.proc(compiled.name, proc.name));
      const params = proc.params
        .filter((p) => p.direction !== 'out')
        .map((p) => `${paramIdentifier(p.name)}: ${received(p, named)}`);
      const result = resultType(proc, named);
      out.line(
        `${propertyKey(proc.name)}?(${[...params, 'call: ServerCallInfo'].join(', ')}): ${result} | Promise<${result}>;`,
      );
    }
  });
}

function isHandle(type: TypeLayout): boolean {
  return type.kind === 'context_handle' || (type.kind === 'pointer' && type.target.kind === 'context_handle');
}

function received(param: CompiledParam, named: NamedTypes): string {
  return isHandle(param.type) ? 'unknown' : outputType(param.type, named);
}

function returned(type: TypeLayout, named: NamedTypes): string {
  return isHandle(type) ? 'unknown' : inputType(type, named);
}

function resultType(proc: CompiledProcedure, named: NamedTypes): string {
  const value = proc.returnType ? returned(proc.returnType, named) : 'void';
  const outParams = proc.params.filter((p) => p.direction !== 'in');
  if (outParams.length === 0) return value;
  const members = outParams.map(
    (p) => `${propertyKey(p.name)}${p.direction === 'inout' ? '?' : ''}: ${returned(p.type, named)}`,
  );
  if (proc.returnType) members.push(`returnValue: ${value}`);
  return `{ ${members.join('; ')} }`;
}
