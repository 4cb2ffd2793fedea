// The differentials can fail. Issue 17's two one-line breaks of the compiler are applied
// to a copy of lib/ (in .cache/, so the copy resolves the same packages), the copy's
// compileIdl is loaded in place of the real one, and the widl and MIDL differentials'
// own comparisons (ndr-widl-compare.ts, ndr-midl-classify.ts) must report the procedures
// each break changes. The unchanged copy is the control: it must report nothing.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { compileIdl as CompileIdl } from '../../lib/ndr/index.js';
import { IDL_CORPUS } from './ndr-corpus.js';
import { compareProcs } from './ndr-midl-classify.js';
import { decodeMidlProc } from './ndr-midl-decode.js';
import { loadMidlFixture, MIDL_FIXTURE_NAMES } from './ndr-midl-fixtures.js';
import { parseMidlStub } from './ndr-midl-stub.js';
import { compareWithWidl, type Golden, MODES, WIDL_GOLDEN, widlFromGolden } from './ndr-widl-compare.js';

const ROOT = join(import.meta.dirname, '../..');
const WORK = join(ROOT, '.cache', `diff-mutants-${process.pid}`);
afterAll(() => rmSync(WORK, { recursive: true, force: true }));
// Each case compiles the whole widl and MIDL corpus twice (seconds; more on a busy machine).
const TIMEOUT = 120_000;

interface Mutant {
  name: string;
  file: string;
  from: string;
  to: string;
}
const MUTANTS: Mutant[] = [
  {
    name: 'Oi_FULL_PTR_USED dropped',
    file: 'ndr/proc-format.ts',
    from: 'OI_FLAGS | (fullPointers ? OI_FULL_PTR_USED : 0),',
    to: 'OI_FLAGS,',
  },
  {
    name: 'the robust early correlation flag flipped',
    file: 'ndr/type-format.ts',
    from: 'this.checkData(early ? CORR_FLAGS.EARLY : 0, range ?? own);',
    to: 'this.checkData(early ? 0 : CORR_FLAGS.EARLY, range ?? own);',
  },
];

/** A copy of lib/ with one replacement (none for the control), and its compileIdl. */
async function load(name: string, m?: Mutant): Promise<typeof CompileIdl> {
  const dir = join(WORK, name.replace(/\W+/g, '-'));
  mkdirSync(dir, { recursive: true });
  cpSync(join(ROOT, 'lib'), join(dir, 'lib'), { recursive: true });
  if (m) {
    const path = join(dir, 'lib', m.file);
    const text = readFileSync(path, 'utf8');
    // The break must apply exactly once, or this test checks nothing.
    expect(text.split(m.from).length - 1, `'${m.from}' in lib/${m.file}`).toBe(1);
    writeFileSync(path, text.replace(m.from, m.to));
  }
  const mod = (await import(pathToFileURL(join(dir, 'lib/ndr/index.ts')).href)) as {
    compileIdl: typeof CompileIdl;
  };
  return mod.compileIdl;
}

/** `idl proc (mode)` for every procedure the widl differential would fail. */
function widlFailures(compile: typeof CompileIdl): string[] {
  const golden: Golden = JSON.parse(readFileSync(WIDL_GOLDEN, 'utf8'));
  const out: string[] = [];
  for (const name of IDL_CORPUS) {
    const widl = widlFromGolden(golden, name);
    if (!widl) throw new Error(`no widl golden bytes for ${name}`);
    for (const m of MODES)
      for (const c of compareWithWidl(compile, name, widl, m).procs)
        if (c.oicf && JSON.stringify(c.diff) !== JSON.stringify(c.expected))
          out.push(`${name} ${c.proc} (${m.robust ? 'shipped' : 'widl mode'})`);
  }
  return out;
}

/** `fixture proc (mode)` for every procedure the MIDL differential would fail. */
function midlFailures(compile: typeof CompileIdl): string[] {
  const out: string[] = [];
  for (const name of MIDL_FIXTURE_NAMES) {
    const fixture = loadMidlFixture(name);
    const midl = parseMidlStub(fixture.stub);
    for (const form of ['shipped', 'sync'] as const) {
      const options =
        form === 'shipped' ? {} : ({ async: false, binding: 'explicit', robust: true } as const);
      for (const iface of compile(fixture.idl, { ...fixture.parse, ...options })) {
        const table = midl.offsetTables.get(iface.name);
        for (const proc of iface.procedures) {
          const at = table?.[proc.opnum];
          if (at === undefined) continue;
          const theirs = decodeMidlProc(midl.procFormat, at, midl.typeFormat).tree;
          const ours = decodeMidlProc(iface.procFormat, proc.procFormatOffset, iface.typeFormat).tree;
          const names = [...proc.params.map((p) => p.name), 'return'];
          if (compareProcs(theirs, ours, names, form).some((d) => d.verdict === 'meaningful'))
            out.push(`${name} ${proc.name} (${form})`);
        }
      }
    }
  }
  return out;
}

describe('the differentials fail when the compiler is broken on purpose', () => {
  it(
    'the control (an unchanged copy of lib/) fails neither differential',
    async () => {
      const compile = await load('control');
      expect(widlFailures(compile)).toEqual([]);
      expect(midlFailures(compile)).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'Oi_FULL_PTR_USED dropped: both differentials fail, in both modes',
    async () => {
      const compile = await load('full-ptr', MUTANTS[0]);
      const widl = widlFailures(compile);
      const midl = midlFailures(compile);
      // misc.idl's full-pointer procedures (widl writes Oi flags 0x49 for them).
      expect(widl).toEqual(expect.arrayContaining(['misc Full (widl mode)', 'misc Full (shipped)']));
      expect(midl.length, midl.join('\n')).toBeGreaterThan(0);
      expect(midl.some((f) => f.endsWith('(shipped)'))).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'the early flag flipped: the shipped widl comparison and the MIDL differential fail',
    async () => {
      const compile = await load('early', MUTANTS[1]);
      const widl = widlFailures(compile);
      const midl = midlFailures(compile);
      // widl's own mode has no robust descriptors: only the shipped comparison sees the flag.
      expect(widl.filter((f) => f.endsWith('(widl mode)'))).toEqual([]);
      expect(widl.length).toBeGreaterThan(0);
      expect(midl.filter((f) => f.endsWith('(shipped)')).length).toBeGreaterThan(0);
      expect(midl.filter((f) => f.endsWith('(sync)')).length).toBeGreaterThan(0);
    },
    TIMEOUT,
  );
});
