// The corpus: every published [MS-*] IDL in test/fixtures compiles unchanged, and each one
// goes through `winrpc gen` and type-checks with tsc (strict, as users compile it). The
// real MIDL-output fixtures (test/fixtures/midl, when present) are held to the same,
// except for the refusals listed below with their reasons.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { generateClient } from '../../lib/codegen/generate.js';
import { IdlError } from '../../lib/idl/errors.js';

const ROOT = join(import.meta.dirname, '../..');
const IDL_DIR = join(ROOT, 'test/fixtures/idl');
const MIDL_DIR = join(ROOT, 'test/fixtures/midl');
const OUT = join(ROOT, '.cache/idl-corpus');

/** What a MIDL fixture may still be refused for, and why (each names a missing engine form). */
const KNOWN_REFUSALS: Record<string, RegExp> = {
  'ms-frs2': /'BYTE_PIPE' cannot be used: pipe is not supported yet/, // a procedure sends a pipe
  'ms-efsr': /'EFS_EXIM_PIPE' cannot be used: pipe is not supported yet/, // EfsRpcReadFileRaw
  'ms-drsr': /recursive type 'REPLENTINFLIST' is not supported yet/, // lib/ndr: linked lists
  'dsinternals-drsr': /recursive type 'REPLENTINFLIST' is not supported yet/,
  'improsec-drsr': /recursive type 'REPLENTINFLIST' is not supported yet/,
};

/** The -D options MIDL ran with, where a fixture's provenance records them. */
const DEFINES: Record<string, Record<string, string>> = {
  'sudo-for-windows': { UNICODE: '1' }, // its stub has FC_C_WSTRING for LPTSTR
};

interface Entry {
  name: string;
  idl: string;
  acf?: string;
}

function msIdls(): Entry[] {
  return readdirSync(IDL_DIR)
    .filter((f) => /^ms-.*\.idl$/.test(f))
    .map((f) => ({ name: f.replace(/\.idl$/, ''), idl: join(IDL_DIR, f) }));
}

function midlFixtures(): Entry[] {
  if (!existsSync(join(MIDL_DIR, 'fixtures.json'))) return [];
  const list = JSON.parse(readFileSync(join(MIDL_DIR, 'fixtures.json'), 'utf8')).fixtures as Record<
    string,
    { idl: string; acf?: string }
  >;
  return Object.entries(list).map(([name, f]) => ({
    name,
    idl: join(MIDL_DIR, name, f.idl),
    ...(f.acf ? { acf: join(MIDL_DIR, name, f.acf) } : {}),
  }));
}

/** `winrpc gen` for one entry, as the CLI reads files (relative to the including file). */
function generate(e: Entry): string {
  const readFile = (path: string, from: string) => {
    const candidate = join(dirname(from.startsWith('/') ? from : e.idl), path);
    return existsSync(candidate) ? readFileSync(candidate, 'utf8') : undefined;
  };
  return generateClient(readFileSync(e.idl, 'utf8'), {
    file: e.idl,
    readFile,
    ...(DEFINES[e.name] ? { defines: DEFINES[e.name] } : {}),
    ...(e.acf ? { acf: readFileSync(e.acf, 'utf8'), acfFile: e.acf } : {}),
  });
}

/** tsc's diagnostics for generated modules, with the project's strict options. */
function typeCheck(files: string[]): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => {},
    },
  );
  const options = { ...config?.options, noEmit: true };
  const program = ts.createProgram(files, options);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || files.includes(d.file.fileName))
    .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

function compileAll(entries: Entry[], dir: string): { files: string[]; refused: Record<string, string> } {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const refused: Record<string, string> = {};
  for (const e of entries) {
    try {
      const file = join(dir, `${e.name}.client.ts`);
      writeFileSync(file, generate(e));
      files.push(file);
    } catch (error) {
      if (!(error instanceof IdlError)) throw error;
      refused[e.name] = error.message;
    }
  }
  return { files, refused };
}

describe('IDL corpus', () => {
  const midl = midlFixtures();
  it(`compiles every published [MS-*] IDL${midl.length ? ' and the MIDL-output fixtures (but the known refusals)' : ' (test/fixtures/midl is not on this branch)'}, and tsc accepts every generated client`, () => {
    const ms = msIdls();
    expect(ms.length).toBeGreaterThanOrEqual(4);
    const { files, refused } = compileAll([...ms, ...midl], OUT);
    const unexpected = Object.entries(refused).filter(
      ([name, message]) => !KNOWN_REFUSALS[name]?.test(message),
    );
    expect(unexpected).toEqual([]);
    expect(files.length).toBe(ms.length + midl.length - Object.keys(refused).length);
    // One program for all of them: tsc's cost is the runtime they import, paid once.
    expect(typeCheck(files)).toEqual([]);
  }, 180_000);
});
