// CI's soak (issue 12): bench/soak-run.mjs, the script behind `npm run soak`, run for
// 50,000 mixed calls in a child node.exe (so it can expose gc, start its own servers
// and show that it exits by itself): plain calls, timeouts against a slow procedure,
// aborts, context handles opened and closed or dropped, and Workers terminated with
// calls in flight. Every result must be the expected one and winrpc's own counters
// (diagnostics()) must be back to zero at the end.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runNodeChild } from '../support/node-child.js';

const CALLS = 50_000;
const IN_FLIGHT = 64;
/** About 40 s under Wine on 2 shared CPUs (docs/reliability.md); the limit leaves room for a loaded machine. */
const LIMIT_MS = 10 * 60_000;

const soakScript = fileURLToPath(new URL('../../bench/soak-run.mjs', import.meta.url));

interface SoakResult {
  calls: number;
  seconds: number;
  counts: Record<'plain' | 'timeouts' | 'aborts' | 'handles' | 'workers' | 'errors', number>;
  final: Record<string, number>;
  rssGrowthPerCall: number;
}

describe('soak', () => {
  it(
    `${CALLS} mixed calls, ${IN_FLIGHT} in flight: no unexpected result, counters back to zero, exits by itself`,
    async () => {
      const { code, output } = await runNodeChild(
        ['--expose-gc', soakScript, `--calls=${CALLS}`, `--inflight=${IN_FLIGHT}`],
        LIMIT_MS,
      );
      const line = output.split(/\r?\n/).find((l) => l.startsWith('soak-result: '));
      expect(line, output).toBeDefined();
      const result = JSON.parse(line!.slice('soak-result: '.length)) as SoakResult;
      console.log(`soak: ${JSON.stringify(result)}`);
      expect(result.calls).toBe(CALLS);
      expect(result.counts.errors).toBe(0);
      // The mix per 100 calls: 85 plain, 5 timeouts, 5 aborts, 5 context handle sequences.
      expect(result.counts.plain).toBe(CALLS * 0.85);
      expect(result.counts.timeouts).toBe(CALLS * 0.05);
      expect(result.counts.aborts).toBe(CALLS * 0.05);
      expect(result.counts.handles).toBe(CALLS * 0.05);
      expect(result.counts.workers).toBe(Math.ceil(CALLS / 10_000) - 1);
      // The script still holds the calc client's binding handle; everything else is freed.
      expect(result.final).toMatchObject({
        callsInFlight: 0,
        callsAbandoned: 0,
        liveNativeCalls: 0,
        arenaBytes: 0,
        contextHandles: 0,
      });
      expect(result.final.bindingHandles).toBeLessThanOrEqual(1);
      expect(code).toBe(0);
    },
    LIMIT_MS + 30_000,
  );
});
