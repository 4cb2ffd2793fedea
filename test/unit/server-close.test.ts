// close() in lib/server/rpc-server.ts with the addon replaced: when its deadline answers
// the calls still waiting, and the context states it runs down. The e2e half (the real
// runtime) is test/e2e/js-server-close.test.ts.
import { describe, expect, it, vi } from 'vitest';
import { ContextStates } from '../../lib/server/context-states.js';

const waitingAnswered: number[] = [];
let onCall: ((id: number, opnum: number, slots: BigUint64Array, attrs: object) => void) | undefined;
let closing = false;
/** The native close finishes: its pseudo-call (opnum 0xfffffffd) reaches the server. */
const finishClose = () => {
  if (!closing) return;
  closing = false;
  setImmediate(() => onCall?.(0, 0xfffffffd, BigUint64Array.of(0n), {}));
};

vi.mock('../../lib/runtime/load-addon.js', () => ({
  requireWindows: () => {},
  loadAddon: () => ({
    createServer: (...args: unknown[]) => {
      onCall = args[10] as typeof onCall;
      return { fake: true };
    },
    listenServer: async () => 'ep',
    serverKey: () => 7,
    closeServer: () => {
      closing = true;
    },
    releaseServer: () => {},
    answerWaitingCalls: (_server: unknown, status: number) => {
      waitingAnswered.push(status);
      finishClose();
    },
  }),
}));

const { interfaceFromSource, CLOSE_TIMEOUT_STATUS } = await import('../../lib/index.js');
const IDL = `[uuid(6c1f3a52-1b7e-4d0a-9a55-3e2f4c8d9b11), version(1.0)]
interface Closing { long Add([in] long a, [in] long b); }`;

async function listening() {
  const server = interfaceFromSource(IDL).createServer({ Add: (a: number, b: number) => a + b });
  await server.listen({ protseq: 'ncalrpc' });
  waitingAnswered.length = 0;
  return server;
}

describe('close({ timeout })', () => {
  it('answers the waiting calls with CLOSE_TIMEOUT_STATUS once the timeout passes', async () => {
    const server = await listening();
    const closed = server.close({ timeout: 20 });
    expect(waitingAnswered).toEqual([]);
    await closed;
    expect(waitingAnswered).toEqual([CLOSE_TIMEOUT_STATUS]);
  });

  it('answers nothing when the calls are over before it passes; a second close() shares the first', async () => {
    const server = await listening();
    const closed = server.close({ timeout: 50 });
    expect(server.close()).toBe(closed);
    finishClose();
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(waitingAnswered).toEqual([]);
  });

  it('without a timeout waits as long as the calls take', async () => {
    const server = await listening();
    let done = false;
    const closed = server.close().then(() => {
      done = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(done).toBe(false);
    expect(waitingAnswered).toEqual([]);
    finishClose();
    await closed;
  });
});

describe('ContextStates.runDownAll', () => {
  it('runs each state down once; a later rundown of the same token finds nothing', () => {
    const ranDown: unknown[] = [];
    const states = new ContextStates(
      () => 3,
      (typeName, state) => ranDown.push([typeName, state]),
    );
    const a = states.keep({ n: 1 }, 'A', undefined);
    states.keep({ n: 2 }, 'B', undefined);
    states.runDownAll();
    expect(ranDown).toEqual([
      ['A', { n: 1 }],
      ['B', { n: 2 }],
    ]);
    states.runDown(a);
    states.runDownAll();
    expect(ranDown).toHaveLength(2);
    expect(states.size).toBe(0);
  });
});
