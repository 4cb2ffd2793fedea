// The corpus: every published [MS-*] IDL in test/fixtures/idl compiles unchanged, and each
// one goes through `winrpc gen` and type-checks with tsc (strict, as users compile it).
// The MIDL-output fixtures get the same in ndr-midl-corpus.test.ts.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateClient } from '../../lib/codegen/generate.js';
import { IdlError } from '../../lib/idl/errors.js';
import { typeCheck } from '../support/type-check.js';

const ROOT = join(import.meta.dirname, '../..');
const IDL_DIR = join(ROOT, 'test/fixtures/idl');
const OUT = join(ROOT, '.cache/idl-corpus');

interface Entry {
  name: string;
  idl: string;
  acf?: string;
}

/** The [MS-*] IDLs of a folder: test/fixtures/idl's own, or a subfolder's (README there). */
function msIdls(dir: string): Entry[] {
  return readdirSync(dir)
    .filter((f) => /^ms-.*\.idl$/.test(f))
    .map((f) => ({ name: f.replace(/\.idl$/, ''), idl: join(dir, f) }));
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
    ...(e.acf ? { acf: readFileSync(e.acf, 'utf8'), acfFile: e.acf } : {}),
  });
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
  it('compiles every published [MS-*] IDL unchanged, and tsc accepts every generated client', () => {
    const ms = msIdls(IDL_DIR);
    expect(ms.length).toBeGreaterThanOrEqual(4);
    const { files, refused } = compileAll(ms, OUT);
    expect(refused).toEqual({});
    expect(files.length).toBe(ms.length);
    // One program for all of them: tsc's cost is the runtime they import, paid once.
    expect(typeCheck(files)).toEqual([]);
  }, 180_000);

  // Appendix A of 24 more specifications, byte for byte as go-msrpc copies them
  // (test/fixtures/idl/ms-appendix-a/README.md): kept out of test/fixtures/idl itself so the
  // fuzz tests, which take every IDL there, stay the size they were.
  it('compiles 24 [MS-*] Appendix A IDLs as published, and tsc accepts every generated client', () => {
    const ms = msIdls(join(IDL_DIR, 'ms-appendix-a'));
    expect(ms.length).toBe(24);
    const { files, refused } = compileAll(ms, join(OUT, 'ms-appendix-a'));
    expect(refused).toEqual({});
    expect(files.length).toBe(ms.length);
    expect(typeCheck(files)).toEqual([]);
  }, 300_000);
});
