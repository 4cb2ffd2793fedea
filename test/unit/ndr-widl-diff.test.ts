// Differential test: winrpc's output against widl's (-Oicf --win64) for the IDLs in
// test/fixtures/idl, in two modes:
// - widl's own mode (synchronous, implicit handle, non-robust), compared field for field,
//   handle description included;
// - winrpc's shipped mode (async, explicit primitive handle, robust), with the call-site
//   parts (async slot, handle slot, robust correlation flags) checked against their rules
//   and then taken out (ndr-call-site.ts), so every other byte is compared with widl's.
// Every byte the engine reads is decoded (ndr-format-decode.ts): Oi flags and rpc flags,
// stack size, buffer sizes, Oi2 flags, the whole x64 extension, each parameter descriptor
// and every type it reaches, correlation descriptors with their flags.
// widl's bytes are committed as golden JSON; when widl is installed the golden file is
// checked against it too (UPDATE_WIDL_GOLDEN=1 rewrites it).
//
// Intentional differences, normalised by the decoder or skipped here:
// - unsigned base types: winrpc emits FC_USHORT/FC_ULONG/FC_USMALL as MIDL does; widl
//   emits the signed codes for `unsigned short/long/int/small` (same wire bytes).
// - `signed char`: FC_SMALL (winrpc) vs FC_CHAR (widl); one byte either way.
// - unreferenced descriptors: widl writes some twice (an embedded string pointer before
//   its struct); only what parameters reach is compared, except where both strings match
//   byte for byte (calc).
// - procedures widl emits in the old -Oi form (float/double returns, MixedArgs): skipped.
// - FC_BIND_CONTEXT's parameter number: widl always writes 0, winrpc the parameter's index.
// - `unsigned __int3264`: FC_UINT3264 (winrpc, MIDL) vs FC_INT3264 (widl).
// - an arm table's alignment nibble ([ms_union]): widl 7 rejects ms_union on an interface,
//   so ms-srvs.idl hides it from widl and the decoder reads only the arm count; MIDL's
//   nibble is pinned in ndr-forms.test.ts.
// Procedures that differ for other reasons (widl bugs, mostly) are listed with the reason
// and the exact differing fields in test/fixtures/idl/widl-differences.json; the test
// asserts those fields, so a change on either side fails it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileIdl } from '../../lib/ndr/index.js';
import { IDL_CORPUS } from './ndr-corpus.js';
import {
  compareWithWidl,
  WIDL_FIXTURES as FIXTURES,
  WIDL_GOLDEN as GOLDEN,
  type Golden,
  isOicf,
  KNOWN,
  MODES,
  widlFromGolden,
} from './ndr-widl-compare.js';
import { parseWidlStub, type WidlFormats } from './ndr-widl-stub.js';
import { sharedCompile } from './shared-compile.js';

const CORPUS = IDL_CORPUS;
// types.idl is no longer byte-identical: boolean is FC_SMALL (MIDL), FC_CHAR in widl.
const EXACT_TYPE_FORMAT = new Set(['calc']);

const hex = (a: ArrayLike<number>) => Array.from(a, (b) => b.toString(16).padStart(2, '0')).join('');

function runWidl(name: string): WidlFormats | undefined {
  const probe = spawnSync('x86_64-w64-mingw32-widl', ['-V'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'winrpc-widl-'));
  try {
    const out = join(dir, `${name}_s.c`);
    const r = spawnSync(
      'x86_64-w64-mingw32-widl',
      ['--win64', '-Oicf', '-I', FIXTURES, '-s', '-o', out, join(FIXTURES, `${name}.idl`)],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`widl failed on ${name}.idl: ${r.stderr}`);
    return parseWidlStub(readFileSync(out, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const golden: Golden = JSON.parse(readFileSync(GOLDEN, 'utf8'));
const live = Object.fromEntries(CORPUS.map((n) => [n, runWidl(n)]));
if (process.env.UPDATE_WIDL_GOLDEN && Object.values(live).every(Boolean)) {
  const fresh: Golden = {};
  for (const n of CORPUS) {
    const w = live[n] as WidlFormats;
    fresh[n] = { procFormat: hex(w.procFormat), typeFormat: hex(w.typeFormat), procOffsets: w.procOffsets };
  }
  writeFileSync(GOLDEN, `${JSON.stringify(fresh, null, 2)}\n`);
  Object.assign(golden, fresh);
}

describe.each(CORPUS)('%s.idl against widl', (name) => {
  const g = golden[name];
  const widl = widlFromGolden(golden, name) ?? (live[name] as WidlFormats);

  const noWidl = live[name] ? '' : ' (skipped: widl is not installed here)';
  it.skipIf(!live[name])(`golden bytes are what the installed widl produces${noWidl}`, () => {
    const w = live[name] as WidlFormats;
    expect(hex(w.procFormat)).toBe(g?.procFormat);
    expect(hex(w.typeFormat)).toBe(g?.typeFormat);
    expect(w.procOffsets).toEqual(g?.procOffsets);
  });

  for (const m of MODES) {
    describe(m.mode, () => {
      // Compiled and compared inside the tests (shared-compile.ts), never while vitest
      // collects the file: the tests are listed from widl's stub and the list of known
      // differences, so a mutation-testing run sees every compile.
      const run = () => sharedCompile(`${name} ${m.mode}`, () => compareWithWidl(compileIdl, name, widl, m));
      // Only without robust correlation flags, which widl never writes.
      if (EXACT_TYPE_FORMAT.has(name) && !m.robust) {
        it('type format string is byte-identical', () => {
          expect(hex(run().typeFormat)).toBe(hex(widl.typeFormat));
        });
      }
      it("compiles widl's procedures", () => {
        const sorted = (names: string[]) => [...names].sort();
        expect(sorted(run().procs.map((c) => c.proc))).toEqual(sorted(Object.keys(widl.procOffsets)));
      });
      for (const [proc, at] of Object.entries(widl.procOffsets)) {
        // Whether widl wrote -Oicf and whether the procedure is listed come from widl's
        // bytes and the list, not from the compile.
        const oicf = isOicf(widl, at);
        const known = KNOWN.find((k) => k.idl === name && k.proc === proc);
        const title = !oicf
          ? 'widl writes the old -Oi form (no byte oracle): ours decodes, nothing is listed'
          : known
            ? `differs exactly as listed: ${known.reason.slice(0, 60)}…`
            : 'same bytes';
        it(`${proc}: ${title}`, () => {
          const c = run().procs.find((x) => x.proc === proc);
          if (!c) throw new Error(`${proc} is no longer compiled`);
          expect(c.inWidl, `widl's stub has no ${c.proc}`).toBe(true);
          // On a change, the message is the new list, to be checked and pasted with a reason.
          expect(c.diff, JSON.stringify(c.diff)).toEqual(c.expected);
        });
      }
    });
  }
});

it('every listed difference names a procedure the corpus compiles', () => {
  for (const k of KNOWN) {
    const [iface] = compileIdl(readFileSync(join(FIXTURES, `${k.idl}.idl`), 'utf8'), {
      file: `${k.idl}.idl`,
    });
    expect(
      iface?.procedures.map((p) => p.name),
      `${k.idl} ${k.proc}`,
    ).toContain(k.proc);
    expect(k.fields.length, `${k.idl} ${k.proc}: a listed difference with no fields`).toBeGreaterThan(0);
  }
});
