// The compiled interface as a literal the generated module hands to defineInterface():
// format strings as base64, one procedure and one named type per line, so a change
// in the compiler shows up in a golden diff as the lines it touched.
import type { CompiledInterface } from '../ndr/compiled.js';
import { embedInterface } from '../runtime/embedded-interface.js';
import type { TsWriter } from './ts-writer.js';

export function emitEmbedded(out: TsWriter, constName: string, compiled: CompiledInterface): void {
  const embedded = embedInterface(compiled);
  const json = (value: unknown) => JSON.stringify(value);
  out.doc([
    `The compiled interface ${compiled.name} (NDR format strings and x64 layouts), embedded so that`,
    'nothing is parsed at run time; `begin()` on it gives the low-level AsyncCall flow.',
  ]);
  out.block(
    `export const ${constName}: RpcInterface = defineInterface({`,
    () => {
      out.line(`format: ${embedded.format},`);
      out.line(`name: ${json(embedded.name)},`);
      out.line(`uuid: ${json(embedded.uuid)},`);
      out.line(`version: ${json(embedded.version)},`);
      out.line(`procFormat: ${json(embedded.procFormat)},`);
      out.line(`typeFormat: ${json(embedded.typeFormat)},`);
      if (embedded.exprPrograms) out.line(`exprPrograms: ${json(embedded.exprPrograms)},`);
      out.block(
        'procedures: [',
        () => {
          for (const proc of embedded.procedures) out.line(`${json(proc)},`);
        },
        '],',
      );
      if (Object.keys(embedded.types).length === 0) {
        out.line('types: {},');
        return;
      }
      out.block(
        'types: {',
        () => {
          for (const [name, type] of Object.entries(embedded.types))
            out.line(`${json(name)}: ${json(type)},`);
        },
        '},',
      );
    },
    '});',
  );
}
