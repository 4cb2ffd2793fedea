// How a JS server behaves under load and at its edges, on the real runtime: many calls
// at once with one slow async handler, close() with calls in flight, dynamic endpoints,
// requests the engine refuses, and the concurrency limit.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { interfaceFromSource, loadInterface, RpcBinding, type RpcInterface } from '../../lib/index.js';
import { itUnlessWine } from '../support/lane.js';
import { TEST_BINDING_OPTIONS } from '../support/rpc-server.js';
import { freshEndpoint, type Protseq, stringBinding } from '../support/server-endpoints.js';

const calcIdl = new URL('../servers/calc.idl', import.meta.url);
let calc: RpcInterface;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  calc = await loadInterface(calcIdl);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A calc server whose Delay waits in JS, listening on a fresh endpoint, and a client of it. */
async function served(protseq: Protseq, options: { maxConcurrentCalls?: number } = {}) {
  let active = 0;
  let peak = 0;
  const server = calc.createServer(
    {
      Add: (a: number, b: number) => (a + b) | 0,
      async Delay(ms: number) {
        active++;
        peak = Math.max(peak, active);
        await sleep(ms);
        active--;
        return ms;
      },
    },
    options,
  );
  const address = await freshEndpoint(protseq, 'jsbehave');
  await server.listen({ protseq, endpoint: address.endpoint });
  const binding = RpcBinding.fromString(address.binding, TEST_BINDING_OPTIONS);
  cleanups.push(() => server.close());
  cleanups.push(() => binding.free());
  return { server, binding, client: calc.createClient(binding), address, peak: () => peak };
}

describe('a JS server', () => {
  it('answers 63 calls while one slow async handler is still running (64 at once)', async () => {
    const { client } = await served('ncalrpc');
    // Connected first: Wine's client queues calls issued while its first connection is
    // being made behind the call that makes it (the slow one here).
    await client.Add!(0, 0);
    const started = Date.now();
    const slow = client.Delay!(3000);
    const quick = await Promise.all(Array.from({ length: 63 }, (_, i) => client.Add!(i, 1)));
    const quickMs = Date.now() - started;
    expect(quick).toEqual(Array.from({ length: 63 }, (_, i) => i + 1));
    expect(quickMs).toBeLessThan(2500);
    expect(await slow).toBe(3000);
  }, 30_000);

  it('close() waits for the calls in flight, which complete; later calls fail', async () => {
    const { server, client } = await served('ncalrpc');
    const inFlight = [client.Delay!(400), client.Delay!(600)];
    await sleep(150); // both have reached the implementation
    const closedAt = server.close().then(() => Date.now());
    const results = await Promise.all(inFlight);
    const finished = Date.now();
    expect(results).toEqual([400, 600]);
    expect(await closedAt).toBeGreaterThanOrEqual(finished - 50);
    await expect(client.Add!(1, 2)).rejects.toMatchObject({ status: expect.any(Number) });
  }, 30_000);

  it('limits the calls handed to JS at once (maxConcurrentCalls); the rest wait their turn', async () => {
    const { client, peak } = await served('ncalrpc', { maxConcurrentCalls: 2 });
    const results = await Promise.all(Array.from({ length: 6 }, () => client.Delay!(100)));
    expect(results).toEqual([100, 100, 100, 100, 100, 100]);
    expect(peak()).toBe(2);
  }, 30_000);

  it.each(['ncalrpc', 'ncacn_np'] as const)(
    'listens on a dynamic %s endpoint, registered with the endpoint mapper',
    async (protseq) => {
      const server = calc.createServer({ Add: (a: number, b: number) => a + b + 1000 });
      cleanups.push(() => server.close());
      const { endpoint } = await server.listen({ protseq, auth: 'none' });
      expect(endpoint).not.toBe('');
      // Reached through the endpoint it reported, and through the endpoint mapper.
      const direct = RpcBinding.fromString(stringBinding(protseq, endpoint), TEST_BINDING_OPTIONS);
      const mapped = RpcBinding.fromString(`${protseq}:`, TEST_BINDING_OPTIONS);
      cleanups.push(() => direct.free());
      cleanups.push(() => mapped.free());
      expect(await calc.createClient(direct).Add!(1, 2)).toBe(1003);
      expect(await calc.createClient(mapped).Add!(2, 2)).toBe(1004);
    },
    30_000,
  );

  it('refuses a malformed request with a status and keeps serving', async () => {
    const { address, client } = await served('ncalrpc');
    // Same interface identity, but Add sends one short where the server reads two longs.
    const liar = interfaceFromSource(
      `[uuid(${calc.compiled.uuid}), version(1.0)] interface calc { long Add([in] short a); }`,
    );
    const binding = RpcBinding.fromString(address.binding, TEST_BINDING_OPTIONS);
    cleanups.push(() => binding.free());
    const error = await liar.createClient(binding).Add!(7).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RPC_X_BAD_STUB_DATA' });
    expect(await client.Add!(20, 22)).toBe(42);
  }, 30_000);

  it('registers Negotiate by default on a remote protocol sequence, and listens', async () => {
    const server = calc.createServer({ Add: (a: number, b: number) => a + b });
    cleanups.push(() => server.close());
    const address = await freshEndpoint('ncacn_ip_tcp', 'jssecure');
    expect(await server.listen({ protseq: 'ncacn_ip_tcp', endpoint: address.endpoint })).toEqual({
      endpoint: address.endpoint,
    });
  });

  itUnlessWine(
    'RPC_IF_ALLOW_SECURE_ONLY is not enforced',
    'refuses unauthenticated calls on a remote protocol sequence by default, and takes them with allowInsecure',
    async () => {
      for (const allowInsecure of [false, true]) {
        const server = calc.createServer({ Add: (a: number, b: number) => a + b });
        cleanups.push(() => server.close());
        const address = await freshEndpoint('ncacn_ip_tcp', 'jssecure');
        await server.listen({ protseq: 'ncacn_ip_tcp', endpoint: address.endpoint, allowInsecure });
        const binding = RpcBinding.fromString(address.binding, TEST_BINDING_OPTIONS);
        cleanups.push(() => binding.free());
        const call = calc.createClient(binding).Add!(1, 2);
        if (allowInsecure) expect(await call).toBe(3);
        else await expect(call).rejects.toMatchObject({ code: 'RPC_S_ACCESS_DENIED' });
      }
    },
  );

  itUnlessWine(
    'MaxRpcSize is not enforced (a 400 kB request to a 4 kB limit is served)',
    'refuses a request larger than maxRpcSize with a status and keeps serving',
    async () => {
      const types = await loadInterface(new URL('../servers/types.idl', import.meta.url));
      const server = types.createServer({
        SumLongs: (_n: number, values: number[]) => BigInt(values.length),
      });
      cleanups.push(() => server.close());
      const address = await freshEndpoint('ncacn_ip_tcp', 'jsmaxsize');
      await server.listen({
        protseq: 'ncacn_ip_tcp',
        endpoint: address.endpoint,
        auth: 'none',
        maxRpcSize: 4096,
      });
      const binding = RpcBinding.fromString(address.binding, TEST_BINDING_OPTIONS);
      cleanups.push(() => binding.free());
      const client = types.createClient(binding);
      await expect(client.SumLongs!(undefined, new Array(100_000).fill(1))).rejects.toMatchObject({
        code: 'RPC_S_ACCESS_DENIED',
      });
      expect(await client.SumLongs!(undefined, [1, 2, 3])).toBe(3n);
    },
  );

  it('checks its arguments before touching the runtime', async () => {
    expect(() => calc.createServer(null as never)).toThrow(TypeError);
    expect(() => calc.createServer({}, { maxConcurrentCalls: 0 })).toThrow(RangeError);
    const server = calc.createServer({});
    await expect(server.listen({ protseq: 'ncadg_ip_udp' as never })).rejects.toThrow(TypeError);
    await expect(server.listen({ protseq: 'ncalrpc', endpoint: '' })).rejects.toThrow(TypeError);
  });

  it('answers RPC_S_CANNOT_SUPPORT for a procedure the implementation lacks', async () => {
    const server = calc.createServer({});
    cleanups.push(() => server.close());
    const address = await freshEndpoint('ncalrpc', 'jsempty');
    await server.listen({ protseq: 'ncalrpc', endpoint: address.endpoint });
    const binding = RpcBinding.fromString(address.binding, TEST_BINDING_OPTIONS);
    cleanups.push(() => binding.free());
    await expect(calc.createClient(binding).Add!(1, 2)).rejects.toMatchObject({
      code: 'RPC_S_CANNOT_SUPPORT',
    });
  });
});
