// One procedure of winrpc's output against widl's, in widl's own mode or in winrpc's
// shipped mode: the differing fields and what widl-differences.json expects for it.
// Shared by the differential (ndr-widl-diff.test.ts) and the check that the differential
// fails when the compiler is broken on purpose (ndr-diff-mutants.test.ts), which passes
// a compileIdl loaded from a mutated copy of lib/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { compileIdl as CompileIdl } from '../../lib/ndr/index.js';
import { shippedAsWidlMode, widlWithoutHandle } from './ndr-call-site.js';
import { type DecodedProc, decodeProc } from './ndr-format-decode.js';
import { diffTrees, type FieldDiff } from './ndr-tree-diff.js';
import type { WidlFormats } from './ndr-widl-stub.js';

export const WIDL_FIXTURES = join(import.meta.dirname, '../fixtures/idl');

export interface Known {
  idl: string;
  proc: string;
  reason: string;
  /** The exact differing fields in widl's mode. */
  fields: FieldDiff[];
  /** In the shipped mode, when they are not `fields` (the handle description is not compared there). */
  shippedFields?: FieldDiff[];
}
export const KNOWN: Known[] = JSON.parse(
  readFileSync(join(WIDL_FIXTURES, 'widl-differences.json'), 'utf8'),
).differences;

export type Golden = Record<
  string,
  { procFormat: string; typeFormat: string; procOffsets: Record<string, number> }
>;
export const WIDL_GOLDEN = join(WIDL_FIXTURES, 'widl-golden.json');
const unhex = (s: string) => Array.from(s.match(/../g) ?? [], (h) => Number.parseInt(h, 16));

export function widlFromGolden(golden: Golden, name: string): WidlFormats | undefined {
  const g = golden[name];
  return (
    g && { procFormat: unhex(g.procFormat), typeFormat: unhex(g.typeFormat), procOffsets: g.procOffsets }
  );
}

export const MODES = [
  {
    mode: "widl's mode (sync, implicit handle, non-robust)",
    options: { async: false, binding: 'auto', robust: false },
    robust: false,
    ours: (d: DecodedProc) => d,
    theirs: (d: DecodedProc) => d,
    expected: (k: Known) => k.fields,
  },
  {
    mode: 'shipped mode (async, explicit handle, robust)',
    options: {},
    robust: true,
    ours: shippedAsWidlMode,
    theirs: widlWithoutHandle,
    expected: (k: Known) => k.shippedFields ?? k.fields,
  },
] as const;
export type Mode = (typeof MODES)[number];

export interface ProcComparison {
  proc: string;
  /** widl wrote this procedure in -Oicf form (the old -Oi form has no oracle). */
  oicf: boolean;
  /** widl's stub has the procedure at all. */
  inWidl: boolean;
  known: Known | undefined;
  /** Differing fields, or the rule a shipped call-site part broke. */
  diff: FieldDiff[] | string;
  expected: FieldDiff[];
}

/** widl wrote the procedure at `at` in -Oicf form (FC_BIND_PRIMITIVE or an implicit handle). */
export function isOicf(widl: WidlFormats, at: number): boolean {
  return widl.procFormat[at] === 0x33 || widl.procFormat[at] === 0x00;
}

export function compareWithWidl(
  compile: typeof CompileIdl,
  name: string,
  widl: WidlFormats,
  m: Mode,
): { typeFormat: Uint8Array; procs: ProcComparison[] } {
  const source = readFileSync(join(WIDL_FIXTURES, `${name}.idl`), 'utf8');
  const [mine] = compile(source, { file: `${name}.idl`, ...m.options });
  if (!mine) throw new Error('no interface');
  const procs = mine.procedures.map((proc): ProcComparison => {
    const at = widl.procOffsets[proc.name];
    const oicf = at !== undefined && isOicf(widl, at);
    const known = KNOWN.find((k) => k.idl === name && k.proc === proc.name);
    const expected = known ? m.expected(known) : [];
    const inWidl = at !== undefined;
    if (!oicf) {
      // No oracle: ours must still decode in this mode (its error is the diff).
      let diff: FieldDiff[] | string = [];
      try {
        decodeProc(mine.procFormat, proc.procFormatOffset, mine.typeFormat, m.robust);
      } catch (e) {
        diff = String(e);
      }
      return { proc: proc.name, oicf, inWidl, known, diff, expected };
    }
    let diff: FieldDiff[] | string;
    try {
      const ours = m.ours(decodeProc(mine.procFormat, proc.procFormatOffset, mine.typeFormat, m.robust));
      const theirs = m.theirs(decodeProc(widl.procFormat, at as number, widl.typeFormat, false));
      diff = diffTrees(ours, theirs);
    } catch (e) {
      diff = String(e);
    }
    return { proc: proc.name, oicf, inWidl, known, diff, expected };
  });
  return { typeFormat: mine.typeFormat, procs };
}
