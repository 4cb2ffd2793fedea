// Differential test: winrpc's synchronous, auto-handle, non-robust output against widl's
// (-Oicf --win64) for the IDLs in test/fixtures/idl. widl's bytes are committed as
// golden JSON; when widl is installed the golden file is checked against it too
// (UPDATE_WIDL_GOLDEN=1 rewrites it).
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
// Procedures that differ for other reasons (widl bugs, mostly) are listed with the reason in
// test/fixtures/idl/widl-differences.json; for those the test checks that they still differ.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileIdl } from '../../lib/ndr/index.js';
import { IDL_CORPUS } from './ndr-corpus.js';
import { decodeProc } from './ndr-format-decode.js';
import { parseWidlStub, type WidlFormats } from './ndr-widl-stub.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/idl');
const GOLDEN = join(FIXTURES, 'widl-golden.json');
const KNOWN: { idl: string; proc: string; reason: string }[] = JSON.parse(
  readFileSync(join(FIXTURES, 'widl-differences.json'), 'utf8'),
).differences;
const CORPUS = IDL_CORPUS;
// types.idl is no longer byte-identical: boolean is FC_SMALL (MIDL), FC_CHAR in widl.
const EXACT_TYPE_FORMAT = new Set(['calc']);

const hex = (a: ArrayLike<number>) => Array.from(a, (b) => b.toString(16).padStart(2, '0')).join('');
const unhex = (s: string) => Array.from(s.match(/../g) ?? [], (h) => Number.parseInt(h, 16));

type Golden = Record<string, { procFormat: string; typeFormat: string; procOffsets: Record<string, number> }>;

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
  const widl: WidlFormats = g
    ? { procFormat: unhex(g.procFormat), typeFormat: unhex(g.typeFormat), procOffsets: g.procOffsets }
    : (live[name] as WidlFormats);
  const [mine] = compileIdl(readFileSync(join(FIXTURES, `${name}.idl`), 'utf8'), {
    file: `${name}.idl`,
    async: false,
    binding: 'auto',
    robust: false,
  });
  if (!mine) throw new Error('no interface');

  const noWidl = live[name] ? '' : ' (skipped: widl is not installed here)';
  it.skipIf(!live[name])(`golden bytes are what the installed widl produces${noWidl}`, () => {
    const w = live[name] as WidlFormats;
    expect(hex(w.procFormat)).toBe(g?.procFormat);
    expect(hex(w.typeFormat)).toBe(g?.typeFormat);
    expect(w.procOffsets).toEqual(g?.procOffsets);
  });

  it.runIf(EXACT_TYPE_FORMAT.has(name))('type format string is byte-identical', () => {
    expect(hex(mine.typeFormat)).toBe(hex(widl.typeFormat));
  });

  for (const proc of mine.procedures) {
    const at = widl.procOffsets[proc.name];
    const oicf = at !== undefined && (widl.procFormat[at] === 0x33 || widl.procFormat[at] === 0x00);
    const known = KNOWN.find((k) => k.idl === name && k.proc === proc.name);
    const oldForm = oicf ? '' : ' (skipped: widl emits this procedure in the old -Oi form, no oracle)';
    it.skipIf(!oicf)(
      `${proc.name}: ${known ? 'differs as listed' : 'same procedure and parameter descriptors'}${oldForm}`,
      () => {
        const a = decodeProc(mine.procFormat, proc.procFormatOffset, mine.typeFormat, false);
        const b = decodeProc(widl.procFormat, at as number, widl.typeFormat, false);
        if (known) expect(a, known.reason).not.toEqual(b);
        else expect(a).toEqual(b);
      },
    );
  }
});
