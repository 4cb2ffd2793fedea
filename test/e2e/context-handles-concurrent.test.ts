// Many context handles in use at once, each sequence (open, use, close) on its own
// binding to one server, as a service with many clients of its own would do.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ContextHandle, interfaceFromSource, RpcBinding, type RpcClient } from '../../lib/index.js';
import { itUnlessWine } from '../support/lane.js';
import { PROTSEQS, type RunningServer, startServer, TEST_BINDING_OPTIONS } from '../support/rpc-server.js';

const sessions = interfaceFromSource(
  readFileSync(new URL('../servers/sessions.idl', import.meta.url), 'utf8'),
  {
    file: 'sessions.idl',
  },
);
const RUNNERS = 64;
const SEQUENCES = 640;

/** Runs SEQUENCES open/next/close sequences, RUNNERS at a time, each runner on a binding of its own. */
async function runSequences(binding: string): Promise<Record<string, number>> {
  const outcomes: Record<string, number> = {};
  let next = 0;
  const runner = async () => {
    const own = RpcBinding.fromString(binding, TEST_BINDING_OPTIONS);
    const client = sessions.createClient(own);
    try {
      while (next < SEQUENCES) {
        const start = next++;
        let step = 'OpenCounterRet';
        try {
          const counter = (await client.OpenCounterRet!(start)) as ContextHandle;
          step = 'NextValue';
          expect(await client.NextValue!(counter)).toBe(start);
          step = 'CloseCounter';
          expect(await client.CloseCounter!(counter)).toEqual({ counter: null });
          outcomes.ok = (outcomes.ok ?? 0) + 1;
        } catch (error) {
          const key = `${step}: ${(error as { code?: string }).code ?? String(error)}`;
          outcomes[key] = (outcomes[key] ?? 0) + 1;
        }
      }
    } finally {
      own.free();
    }
  };
  await Promise.all(Array.from({ length: RUNNERS }, runner));
  return outcomes;
}

describe.each(PROTSEQS)(`${RUNNERS} context handle sequences at once over %s`, (protseq) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer('sessions', protseq);
  });
  afterAll(async () => {
    await server.stop();
  });

  // First, while no call to the server has completed yet: every binding connects at once.
  itUnlessWine(
    "Wine's first binds of one association race into several association groups, so a handle opened over one connection meets RPC_X_SS_CONTEXT_MISMATCH over another",
    `all ${SEQUENCES} succeed from bindings that connect for the first time together`,
    async () => {
      expect(await runSequences(server.binding)).toEqual({ ok: SEQUENCES });
    },
  );

  it(`all ${SEQUENCES} succeed once a call to the server has completed, and no counter is left open`, async () => {
    const first = RpcBinding.fromString(server.binding, TEST_BINDING_OPTIONS);
    const client: RpcClient = sessions.createClient(first);
    try {
      const open = (await client.OpenCounters!()) as number;
      expect(await runSequences(server.binding)).toEqual({ ok: SEQUENCES });
      expect(await client.OpenCounters!()).toBe(open);
    } finally {
      first.free();
    }
  });
});
