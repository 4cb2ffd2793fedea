// winrpc inspect <file.idl> [--acf f.acf] [-I dir]... [--format-strings]: interfaces
// and procedures with the signatures their typed clients get; with --format-strings,
// the annotated format strings (for bug reports).
import { parseArgs } from 'node:util';
import { compileForCodegen } from '../codegen/generate.js';
import { methodSignature } from '../codegen/proc-signature.js';
import type { NamedTypes } from '../codegen/ts-types.js';
import { formatLocation } from '../idl/errors.js';
import type { CompiledInterface } from '../ndr/compiled.js';
import { annotateProcFormat, annotateTypeFormat, formatAnnotated } from './annotate-format.js';
import type { CliIo } from './io.js';
import { IDL_ARG_OPTIONS, readIdl } from './load-idl.js';
import { UsageError } from './usage-error.js';

export const INSPECT_USAGE = 'winrpc inspect <file.idl> [--acf file.acf] [-I dir]... [--format-strings]';

export function inspect(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...IDL_ARG_OPTIONS,
      'format-strings': { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('inspect takes one IDL file');
  const { source, options } = readIdl(positionals[0]!, values.acf, values.include ?? [], io);
  const { model, compiled } = compileForCodegen(source, options);
  const out: string[] = [];
  compiled.forEach((iface, i) => {
    const loc = model.interfaces[i]?.loc;
    out.push(
      `interface ${iface.name} ${iface.uuid} version ${iface.version.major}.${iface.version.minor}` +
        (loc ? `  (${formatLocation(loc)})` : ''),
    );
    const named = namedTypes(iface);
    for (const proc of iface.procedures) {
      const sig = methodSignature(proc, named);
      out.push(
        `  ${String(proc.opnum).padStart(3)}  ${proc.name}(${sig.params.slice(0, -1).join(', ')}): ${sig.result}`,
      );
    }
    const types = Object.keys(iface.types);
    if (types.length) out.push(`  types: ${types.join(', ')}`);
    if (values['format-strings']) {
      out.push('', `  proc format string (${iface.procFormat.length} bytes):`);
      for (const proc of annotateProcFormat(iface)) {
        out.push(`   ${proc.name}:`, ...formatAnnotated(proc.lines, '   '));
      }
      out.push('', `  type format string (${iface.typeFormat.length} bytes):`);
      out.push(...formatAnnotated(annotateTypeFormat(iface), '   '));
    }
    out.push('');
  });
  io.stdout(`${out.join('\n').trimEnd()}\n`);
  return 0;
}

function namedTypes(iface: CompiledInterface): NamedTypes {
  return { has: (name) => name in iface.types, inputName: (name) => `${name}Input` };
}
