// winrpc gen <file.idl> [--acf f.acf] [-I dir]... [-o client.ts]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateClient } from '../codegen/generate.js';
import type { CliIo } from './io.js';
import { IDL_ARG_OPTIONS, readIdl } from './load-idl.js';
import { UsageError } from './usage-error.js';

export const GEN_USAGE = 'winrpc gen <file.idl> [--acf file.acf] [-I dir]... [-o client.ts]';

export function gen(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...IDL_ARG_OPTIONS,
      out: { type: 'string', short: 'o' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('gen takes one IDL file');
  const { source, options } = readIdl(positionals[0]!, values.acf, values.include ?? [], io);
  const text = generateClient(source, options);
  if (values.out === undefined || values.out === '-') io.stdout(text);
  else {
    writeFileSync(values.out, text);
    io.stderr(`winrpc gen: wrote ${values.out}\n`);
  }
  return 0;
}
