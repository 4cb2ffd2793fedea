// The MIDL oracle fixtures (test/fixtures/midl): each folder's IDL, ACF and client stub as
// test/fixtures/midl/fixtures.json names them, with imports and #includes resolved next to
// the including file, as MIDL resolves them.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { ParseIdlOptions } from '../../lib/idl/parse-idl.js';

export const MIDL_FIXTURES = join(import.meta.dirname, '../fixtures/midl');

interface Entry {
  idl: string;
  acf?: string;
  stub: string;
  /** Macros MIDL was run with (/D), as the stub's types show. */
  defines?: Record<string, string>;
}

const manifest: Record<string, Entry> = JSON.parse(
  readFileSync(join(MIDL_FIXTURES, 'fixtures.json'), 'utf8'),
).fixtures;

export const MIDL_FIXTURE_NAMES = Object.keys(manifest);

export interface MidlFixture {
  name: string;
  /** The IDL's path relative to the repository root, as error positions show it. */
  idlFile: string;
  idl: string;
  stub: string;
  parse: ParseIdlOptions & { file: string };
}

export function loadMidlFixture(name: string): MidlFixture {
  const entry = manifest[name];
  if (!entry) throw new Error(`no MIDL fixture '${name}'`);
  const dir = join(MIDL_FIXTURES, name);
  const idlFile = join(dir, entry.idl);
  const readFile = (path: string, from: string): string | undefined => {
    const candidate = isAbsolute(path) ? path : join(dirname(from), path);
    return existsSync(candidate) ? readFileSync(candidate, 'utf8') : undefined;
  };
  return {
    name,
    idlFile,
    idl: readFileSync(idlFile, 'utf8'),
    stub: readFileSync(join(dir, entry.stub), 'latin1'),
    parse: {
      file: idlFile,
      readFile,
      ...(entry.defines ? { defines: entry.defines } : {}),
      ...(entry.acf
        ? { acf: readFileSync(join(dir, entry.acf), 'utf8'), acfFile: join(dir, entry.acf) }
        : {}),
    },
  };
}
