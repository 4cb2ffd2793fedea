// JS servers started one after another, each in a Worker of its own, in a process whose
// main thread never loads winrpc (a child process: the test's own thread loads it). Two
// faults met there, both fixed:
// - Wine 8's RpcServerInqCallAttributesW is a stub raising from a frame without unwind
//   data, so the exception skipped the guard around it and ended the call: the client got
//   998 (4 of 8 C clients' first calls over ncalrpc in this test before the fix). The
//   server no longer calls a function it cannot unwind (seh_guard.h).
// - Node unloads an addon when the last environment that loaded it goes, and each Worker
//   loaded a fresh copy; the runtime still calls into the module after that (the rundown
//   of a context handle whose client goes after its server's Worker has): the module is
//   pinned (native/win/module_pin.h).
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CALC_VALUES,
  GENERIC_VALUES,
  POINTERS_VALUES,
  SESSIONS_USE,
  TYPES_VALUES,
} from '../support/c-client-lines.js';
import { runNodeChild } from '../support/node-child.js';

const fixture = fileURLToPath(new URL('./fixtures/successive-twin-workers.mjs', import.meta.url));
const winrpc = pathToFileURL(fileURLToPath(new URL('../../dist/esm/index.js', import.meta.url))).href;
const root = fileURLToPath(new URL('../..', import.meta.url));

interface Step {
  step: string;
  c: string[];
  winrpc: unknown;
}

async function runSteps(protseq: string, steps: string[]) {
  const { code, output } = await runNodeChild([fixture, winrpc, root, protseq, ...steps], 240_000);
  const lines = output.split(/\r?\n/);
  const results = lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Step);
  return { code, output, results };
}

describe('JS servers in successive Workers of a process that never loads winrpc itself', () => {
  it.each(['ncalrpc', 'ncacn_np'])(
    'over %s: each twin answers its C client and winrpc client in full',
    async (protseq) => {
      const steps = ['calc', 'pointers', 'types', 'generic', 'sessions', 'calc', 'pointers', 'sessions'];
      const { code, output, results } = await runSteps(protseq, steps);
      const expected: Record<string, { c: string[]; winrpc: unknown }> = {
        calc: { c: CALC_VALUES, winrpc: 5 },
        pointers: { c: POINTERS_VALUES, winrpc: 7 },
        types: { c: TYPES_VALUES, winrpc: -5 },
        generic: { c: GENERIC_VALUES, winrpc: { length: 3, returnValue: 2 } },
        sessions: { c: SESSIONS_USE, winrpc: 0 },
      };
      expect(results, output).toEqual(steps.map((step) => ({ step, ...expected[step] })));
      expect(code, output).toBe(0);
    },
    300_000,
  );

  it('a context handle is run down after its server and its Worker have gone, and the next Worker serves', async () => {
    const { code, output, results } = await runSteps('ncalrpc', ['sessions-rundown', 'sessions', 'calc']);
    expect(results, output).toEqual([
      { step: 'sessions-rundown', c: ['open 3'], winrpc: null },
      { step: 'sessions', c: SESSIONS_USE, winrpc: 0 },
      { step: 'calc', c: CALC_VALUES, winrpc: 5 },
    ]);
    expect(code, output).toBe(0);
  }, 300_000);
});
