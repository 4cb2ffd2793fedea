// The MIDL oracle's IDL corpus (test/fixtures/midl) as a user meets it: each published IDL
// goes through `winrpc gen` unchanged (with its ACF, imports resolved next to it, as MIDL
// resolves them), and the generated clients type-check with tsc in one run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../lib/cli/main.js';
import { loadMidlFixture, MIDL_FIXTURE_NAMES } from './ndr-midl-fixtures.js';

const ROOT = join(import.meta.dirname, '../..');

describe('MIDL corpus through winrpc gen and tsc', () => {
  mkdirSync(join(ROOT, '.cache'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, '.cache', 'midl-corpus-'));
  const generated: string[] = [];
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(MIDL_FIXTURE_NAMES)('%s: winrpc gen', async (name) => {
    const fixture = loadMidlFixture(name);
    const out = join(dir, `${name}.client.ts`);
    const args = ['gen', fixture.idlFile, '-o', out];
    if (fixture.parse.acfFile) args.push('--acf', fixture.parse.acfFile);
    const stderr: string[] = [];
    const code = await main(args, { stdout: () => {}, stderr: (t) => stderr.push(t) });
    // The IdlError (file:line:column) is what a user would see; it is the failure message.
    if (code !== 0) throw new Error(`winrpc gen exited with ${code}: ${stderr.join('').trim()}`);
    generated.push(out);
  });

  it('the generated clients type-check with tsc', () => {
    expect(generated.length, 'no fixture went through winrpc gen').toBeGreaterThan(0);
    const tsconfig = join(dir, 'tsconfig.json');
    writeFileSync(
      tsconfig,
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: true,
          verbatimModuleSyntax: true,
          skipLibCheck: true,
          noEmit: true,
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules', '@types')],
          paths: { winrpc: [join(ROOT, 'lib', 'index.ts')] },
        },
        files: generated,
      }),
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', tsconfig], { encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  }, 180_000);
});
