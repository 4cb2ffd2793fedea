// [MS-SCMR] as the specification publishes it (examples/services/ms-scmr.idl) against
// winrpc's compiler: what it refuses today (each refusal a row of
// examples/services/spec-workarounds.ts, checked to be exactly that refusal), and the
// generated svcctl client the example and the e2e tests use, kept equal to what the
// generator makes (UPDATE_GOLDEN=1 rewrites it, as for test/golden).
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  applyScmrWorkarounds,
  SCMR_WORKAROUNDS,
  type Workaround,
} from '../../examples/services/spec-workarounds.js';
import { generateClient } from '../../lib/codegen/generate.js';
import { compileIdl } from '../../lib/ndr/compile.js';

const dir = new URL('../../examples/services/', import.meta.url);
const spec = readFileSync(new URL('ms-scmr.idl', dir), 'utf8');
const readFile = (path: string) =>
  path === 'ms-dtyp.idl' ? readFileSync(new URL('ms-dtyp.idl', dir), 'utf8') : undefined;
const options = { file: 'ms-scmr.idl', readFile };

function applyAllBut(skipped: Workaround): string {
  let text = spec;
  for (const w of SCMR_WORKAROUNDS) if (w !== skipped) text = text.replace(w.find, w.replace);
  return text;
}

describe('[MS-SCMR] Appendix A', () => {
  it.fails(
    'compiles unchanged (fails until the IDL front end accepts it: then delete spec-workarounds.ts)',
    () => {
      compileIdl(spec, options);
    },
  );

  it.each(SCMR_WORKAROUNDS.map((w) => [w.error, w] as const))('is refused with %s', (error, workaround) => {
    // The whole IDL, or (for a type the procedures use) the procedures that use it.
    let refusal: string | undefined;
    try {
      refusal = compileIdl(applyAllBut(workaround), options)[0]?.unavailable?.[0]?.reason;
    } catch (e) {
      refusal = (e as Error).message;
    }
    expect(refusal).toContain(error);
  });

  it('compiles with the workarounds: all 65 opnums of svcctl 2.0', () => {
    const [svcctl] = compileIdl(applyScmrWorkarounds(spec), options);
    expect(svcctl?.uuid).toBe('367abb81-9844-35f1-ad32-98f038001003');
    expect(svcctl?.procedures.map((p) => p.opnum)).toEqual(Array.from({ length: 65 }, (_, i) => i));
  });

  it('gives the generated client examples/services/svcctl.client.ts', () => {
    const text = generateClient(applyScmrWorkarounds(spec), {
      ...options,
      file: 'examples/services/ms-scmr.idl',
    });
    const path = new URL('svcctl.client.ts', dir);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, text);
    expect(text, 'stale: regenerate with UPDATE_GOLDEN=1').toBe(readFileSync(path, 'utf8'));
  });
});
