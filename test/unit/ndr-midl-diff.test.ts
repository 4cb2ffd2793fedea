// Differential test against MIDL itself: for each fixture in test/fixtures/midl (real MIDL
// 8.x x64 -Oicf /robust client stubs next to the IDL they came from), winrpc compiles the
// same IDL and every procedure is compared with MIDL's structurally: each format string
// field, with type offsets followed (ndr-midl-decode.ts). Every difference is classified
// by one table of rules (ndr-midl-classify.ts); a meaningful one fails the procedure's
// test with the path to the field and both values. An IDL that does not compile fails
// with its IdlError.
//
// winrpc is compiled in two modes: as it ships (async: the PRPC_ASYNC_STATE in slot 0 and
// Oi2 HasAsyncHandle; an explicit primitive handle in slot 1; /robust correlation
// descriptors, as MIDL's /robust default writes them), and synchronous with the handle in
// slot 0. The call-site slots are documented differences: the classifier checks winrpc's
// side has exactly that form and takes the slots out of the stack offsets. Every other
// byte the engine reads is compared: Oi flags, rpc flags, Oi2 and extension flags,
// correlation descriptors with their robust flags (only Ranged, MIDL NT60 check data, is
// harmless). widl stays the second oracle (ndr-widl-diff.test.ts).
import { describe, expect, it } from 'vitest';
import { IdlError } from '../../lib/idl/errors.js';
import { type CompiledInterface, compileIdl } from '../../lib/ndr/index.js';
import { compareProcs, type Difference, formatDifference } from './ndr-midl-classify.js';
import { decodeMidlProc } from './ndr-midl-decode.js';
import { loadMidlFixture, MIDL_FIXTURE_NAMES } from './ndr-midl-fixtures.js';
import { parseMidlStub } from './ndr-midl-stub.js';
import { sharedCompile } from './shared-compile.js';

// The procedures of the fixtures that winrpc leaves unavailable (CompiledInterface.unavailable),
// and why: listed here, not read from the compile, so a change either way fails.
const UNAVAILABLE: Record<string, Record<string, RegExp>> = {
  'ms-frs2': {
    RawGetFileDataAsync: /'BYTE_PIPE' cannot be used: pipe is not supported yet/,
    RdcGetFileDataAsync: /'BYTE_PIPE' cannot be used: pipe is not supported yet/,
  },
  'terminal-hello': {
    MarshallTheThing: /interface pointer \('IStream'\) is not supported yet/,
  },
  'ms-efsr': {
    EfsRpcReadFileRaw: /'EFS_EXIM_PIPE' cannot be used: pipe is not supported yet/,
    EfsRpcWriteFileRaw: /'EFS_EXIM_PIPE' cannot be used: pipe is not supported yet/,
  },
};

interface Compiled {
  compiled?: CompiledInterface[];
  failure?: unknown;
}
function tryCompile(compile: () => CompiledInterface[]): Compiled {
  try {
    return { compiled: compile() };
  } catch (failure) {
    return { failure };
  }
}

const MODES = [
  { mode: 'shipped (async, explicit handle, robust)', form: 'shipped', options: {} },
  {
    mode: 'sync (explicit handle, robust)',
    form: 'sync',
    options: { async: false, binding: 'explicit', robust: true },
  },
] as const;

describe.each(MIDL_FIXTURE_NAMES)('%s against MIDL', (name) => {
  const fixture = loadMidlFixture(name);
  const midl = parseMidlStub(fixture.stub);

  it('the stub is MIDL x64 -Oicf output of this IDL', () => {
    const idlName = fixture.idlFile.split(/[\\/]/).pop() as string;
    expect(fixture.stub).toMatch(/File created by MIDL compiler version 8\./);
    // The IDL as MIDL's command line named it, perhaps with a directory (`..\\hello.idl`).
    expect(fixture.stub).toMatch(
      new RegExp(`Compiler settings for (?:[^\\s:]*[\\\\/])?${idlName.replace('.', '\\.')}:`),
    );
    expect(fixture.stub).toMatch(/Oicf,.*env=Win64.*target_arch=AMD64/);
  });

  it("the stub reader and the decoder read all of MIDL's format strings", () => {
    // The byte counts MIDL declares for its own strings.
    const declared = (what: string) =>
      Number(new RegExp(`#define ${what}_FORMAT_STRING_SIZE\\s+(\\d+)`).exec(fixture.stub)?.[1]);
    expect(midl.procFormat.length).toBe(declared('PROC'));
    expect(midl.typeFormat.length).toBe(declared('TYPE'));
    // Each procedure decodes to where the next begins, every type with a known form.
    const starts = [...new Set([...midl.offsetTables.values()].flat())].sort((a, b) => a - b);
    expect(starts.length).toBeGreaterThan(0);
    for (const [iface, table] of midl.offsetTables)
      table.forEach((at, opnum) => {
        const proc = decodeMidlProc(midl.procFormat, at, midl.typeFormat);
        const where = `${iface} ${midl.procNames.get(at)}`;
        expect(proc.opnum, where).toBe(opnum);
        expect(proc.end, where).toBe(starts.find((s) => s > at) ?? midl.procFormat.length - 1);
        expect(JSON.stringify(proc.tree), where).not.toContain('"undecoded"');
      });
  });

  describe.each(MODES)('$mode', ({ options, form }) => {
    // Compiled inside the tests (shared-compile.ts), never while vitest collects the file:
    // the tests are listed from MIDL's stub, so a mutation-testing run sees every compile.
    const current = () =>
      sharedCompile(`${name} ${form}`, () =>
        tryCompile(() => compileIdl(fixture.idl, { ...fixture.parse, ...options })),
      );
    compareWithMidl(current, form);
  });

  function compareWithMidl(current: () => Compiled, form: 'shipped' | 'sync') {
    it('compiles unchanged', () => {
      const { compiled, failure } = current();
      if (failure instanceof IdlError) throw failure;
      if (failure) throw new Error(`not an IdlError: ${String(failure)}`, { cause: failure });
      expect(compiled?.length).toBeGreaterThan(0);
    });
    const compiledIface = (name: string): CompiledInterface => {
      const iface = current().compiled?.find((i) => i.name === name);
      if (!iface) throw new Error(`no interface ${name} compiled`);
      return iface;
    };

    // MIDL's stub has an offset table for each interface with procedures.
    for (const [ifaceName, table] of midl.offsetTables) {
      it(`${ifaceName}: MIDL's procedures, in the same order`, () => {
        const iface = compiledIface(ifaceName);
        const theirs = table.map((o) => midl.procNames.get(o) ?? `@${o}`);
        // Procedures winrpc cannot call yet keep their opnums (CompiledInterface.unavailable).
        const ours = [...iface.procedures, ...(iface.unavailable ?? [])].sort((a, b) => a.opnum - b.opnum);
        expect(ours.map((p) => p.name)).toEqual(theirs);
      });
      table.forEach((at, opnum) => {
        const procName = midl.procNames.get(at) ?? `@${at}`;
        const why = UNAVAILABLE[name]?.[procName];
        if (why) {
          // Not compared (winrpc compiles no format string for it), but held to what it says.
          it(`${ifaceName}.${procName}: unavailable in winrpc (${why.source}), at MIDL's opnum`, () => {
            const u = compiledIface(ifaceName).unavailable?.find((x) => x.name === procName);
            expect(u, `${procName} is no longer unavailable`).toBeDefined();
            expect(u?.opnum).toBe(opnum);
            expect(u?.reason).toMatch(why);
          });
          return;
        }
        it(`${ifaceName}.${procName}: no meaningful difference from MIDL`, () => {
          const iface = compiledIface(ifaceName);
          const proc = iface.procedures.find((p) => p.name === procName);
          if (!proc) throw new Error(`${procName} is not compiled`);
          expect(proc.opnum, `${procName}: MIDL's opnum`).toBe(opnum);
          const theirs = decodeMidlProc(midl.procFormat, at, midl.typeFormat);
          const ours = decodeMidlProc(iface.procFormat, proc.procFormatOffset, iface.typeFormat);
          const names = [...proc.params.map((p) => p.name), 'return'];
          const diffs: Difference[] = compareProcs(theirs.tree, ours.tree, names, form);
          const meaningful = diffs.filter((d) => d.verdict === 'meaningful');
          expect(meaningful.map((d) => formatDifference(proc.name, d))).toEqual([]);
        });
      });
    }
  }
});
