// The JS half of the security-callback hand-off (lib/server/rpc-server.ts) with the
// addon replaced: what a question from the runtime thread (opnum 0xfffffffe) is answered
// with. Wine never calls the IfCallback (test/e2e/js-server-security-callback.test.ts),
// so this is where the answers are checked on every lane; Windows e2e checks the rest.
import { beforeAll, describe, expect, it, vi } from 'vitest';

const answers: number[] = [];
let onCall: ((id: number, opnum: number, slots: BigUint64Array, attrs: object) => void) | undefined;
let registeredWithCallback: unknown;

vi.mock('../../lib/runtime/load-addon.js', () => ({
  requireWindows: () => {},
  loadAddon: () => ({
    createServer: (...args: unknown[]) => {
      onCall = args[10] as typeof onCall;
      registeredWithCallback = args[11];
      return { fake: true };
    },
    listenServer: async () => 'ep',
    // Closed at once: the pseudo-call that says so (opnum 0xfffffffd) follows.
    closeServer: () => setImmediate(() => onCall?.(0, 0xfffffffd, BigUint64Array.of(0n), {})),
    releaseServer: () => {},
    answerServerCall: (_server: unknown, _id: number, status: number) => {
      answers.push(status);
      return true;
    },
  }),
}));

const { interfaceFromSource } = await import('../../lib/index.js');

const IDL = `[uuid(6c1f3a52-1b7e-4d0a-9a55-3e2f4c8d9b10), version(1.0)]
interface Guarded { long Add([in] long a, [in] long b); }`;
const SECURITY_OPNUM = 0xfffffffe;
const ATTRS = {
  status: 0,
  protseq: 2,
  authLevel: 1,
  authService: 0,
  clientPrincipal: '',
  clientPid: 0,
};

let guarded: Awaited<ReturnType<typeof interfaceFromSource>>;
beforeAll(async () => {
  guarded = await interfaceFromSource(IDL);
});

/** Asks the server's callback once; resolves with the status answered. */
async function ask(securityCallback: (call: object) => unknown, errors: unknown[] = []) {
  answers.length = 0;
  const server = guarded.createServer(
    { Add: (a: number, b: number) => a + b },
    {
      securityCallback: securityCallback as never,
    },
  );
  server.on('error', (error) => errors.push(error));
  await server.listen({ protseq: 'ncacn_np', auth: 'none' });
  onCall?.(7, SECURITY_OPNUM, new BigUint64Array(0), ATTRS);
  await new Promise((resolve) => setTimeout(resolve, 5));
  return answers.slice();
}

describe('securityCallback answers', () => {
  it('admits on true or a truthy resolution (status 0); the server is registered with a callback', async () => {
    expect(await ask(() => true)).toEqual([0]);
    expect(registeredWithCallback).toBe(true);
    expect(await ask(async () => 1)).toEqual([0]);
  });

  it('refuses with RPC_S_ACCESS_DENIED (5) on false, a falsy resolution, a throw or a rejection', async () => {
    expect(await ask(() => false)).toEqual([5]);
    expect(await ask(async () => 0)).toEqual([5]);
    const errors: unknown[] = [];
    expect(
      await ask(() => {
        throw new Error('no policy');
      }, errors),
    ).toEqual([5]);
    expect(await ask(() => Promise.reject(new Error('lookup failed')), errors)).toEqual([5]);
    expect(errors.map((e) => (e as Error).message)).toEqual(['no policy', 'lookup failed']);
  });

  it("still refuses when an 'error' listener throws (a process warning says so)", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const thrower = () => {
        throw new Error('listener broke');
      };
      answers.length = 0;
      const server = guarded.createServer({}, { securityCallback: () => Promise.reject(new Error('no')) });
      server.on('error', thrower);
      await server.listen({ protseq: 'ncalrpc' });
      onCall?.(8, SECURITY_OPNUM, new BigUint64Array(0), ATTRS);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(answers).toEqual([5]);
      expect(warnings.some((m) => m.includes('listener broke'))).toBe(true);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('gives the callback the caller as an implementation would see it, without a procedure', async () => {
    let seen: unknown;
    await ask((call) => {
      seen = call;
      return true;
    });
    expect(seen).toEqual({
      protseq: 'ncacn_np',
      authLevel: 1,
      authService: 0,
      clientPrincipal: undefined,
      clientPid: 0,
    });
  });

  it('registers no callback without the option', async () => {
    // The native server is made by the first listen().
    await guarded.createServer({}).listen({ protseq: 'ncalrpc' });
    expect(registeredWithCallback).toBe(false);
  });
});
