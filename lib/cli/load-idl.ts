// Reads an IDL file (and its ACF) for a command, with #include / import resolved
// next to the including file first, then in each -I directory.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { GenerateOptions } from '../codegen/generate.js';
import { formatLocation, IdlError } from '../idl/errors.js';
import type { CliIo } from './io.js';

/** The options every command that reads an IDL takes (for node:util parseArgs). */
export const IDL_ARG_OPTIONS = {
  acf: { type: 'string' },
  include: { type: 'string', short: 'I', multiple: true },
} as const;

export interface IdlInput {
  source: string;
  options: GenerateOptions;
}

/** Reads the IDL; what the front end skips is printed to stderr as `file:line:column: warning: ...`. */
export function readIdl(
  file: string,
  acf: string | undefined,
  includeDirs: readonly string[],
  io: Pick<CliIo, 'stderr'>,
): IdlInput {
  const source = readText(file);
  // Says where each file was found, so its own includes are looked up next to it.
  const readFile = (path: string, from: string) => {
    const candidates = isAbsolute(path)
      ? [path]
      : [join(dirname(from), path), ...includeDirs.map((d) => join(d, path))];
    const found = candidates.find((c) => existsSync(c));
    return found === undefined ? undefined : { text: readFileSync(found, 'utf8'), file: found };
  };
  return {
    source,
    options: {
      file,
      readFile,
      onWarning: (w) => io.stderr(`${formatLocation(w.loc)}: warning: ${w.message}\n`),
      ...(acf !== undefined ? { acf: readText(acf), acfFile: acf } : {}),
    },
  };
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new IdlError(`cannot read: ${reason}`, { file, line: 1, column: 1 });
  }
}
