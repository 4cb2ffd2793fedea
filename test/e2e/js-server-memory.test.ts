// The NDR engine's server-side memory around a JS implementation: what the engine
// allocates for a call's [in] data (its pfnAllocate) is freed by the time the call is
// over, also where the implementation replaces an [in, out] embedded pointer (the engine
// then never sees the old pointee again) and where it raises a status. Counted with the
// test build's counters, process-wide: nothing else serves in this file's process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInterface, RpcBinding, type RpcInterface, type RpcServer } from '../../lib/index.js';
import { TEST_BINDING_OPTIONS } from '../support/rpc-server.js';
import { freshEndpoint } from '../support/server-endpoints.js';
import { testHook } from '../support/test-hooks.js';

const CALLS = 200;

/** Process-wide server counts of the test build (native/win/rpc_server.h). */
const counters = () => testHook('testServerCounters')();

/** The engine's live blocks once the server threads have finished (they free after replying is prepared). */
async function settledLiveBlocks(): Promise<number> {
  let last = counters().engineBlocksLive;
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    const now = counters().engineBlocksLive;
    if (now === last) return now;
    last = now;
  }
  return last;
}

let arrays: RpcInterface;
let server: RpcServer;
let binding: RpcBinding;
let client: ReturnType<RpcInterface['createClient']>;

beforeAll(async () => {
  arrays = await loadInterface(new URL('../servers/arrays.idl', import.meta.url));
  server = arrays.createServer({
    // New strings for the [in, out] array of string pointers: every old pointee is
    // replaced. Never longer: the client's engine unmarshals each into the old one's memory.
    SuffixNames: (_n: number, names: (string | null)[]) => ({
      names: names.map((name) => (name === null ? null : name.toUpperCase())),
    }),
    TotalLength(_n: number, names: (string | null)[]) {
      if (names.includes('raise')) throw Object.assign(new Error('refused'), { status: 1783 });
      return { nulls: names.filter((name) => name === null).length, returnValue: names.join('').length };
    },
  });
  const address = await freshEndpoint('ncalrpc', 'jsmemory');
  await server.listen({ protseq: 'ncalrpc', endpoint: address.endpoint });
  binding = RpcBinding.fromString(address.binding, TEST_BINDING_OPTIONS);
  client = arrays.createClient(binding);
});
afterAll(async () => {
  binding?.free();
  await server?.close();
});

describe("the engine's memory behind a JS server", () => {
  it(`an [in, out] array of strings the implementation replaces: no block left after ${CALLS} calls`, async () => {
    expect(await client.SuffixNames!(undefined, ['warm', null, 'up'])).toEqual({
      names: ['WARM', null, 'UP'],
    });
    const before = await settledLiveBlocks();
    const swept = counters().engineBlocksSwept;
    for (let i = 0; i < CALLS; i++) {
      expect(await client.SuffixNames!(undefined, [`a${i}`, null, 'bb', 'ccc'])).toEqual({
        names: [`A${i}`, null, 'BB', 'CCC'],
      });
    }
    expect((await settledLiveBlocks()) - before).toBe(0);
    // What the fix freed: the engine's old strings, which it no longer points at.
    console.log(
      `SuffixNames: ${counters().engineBlocksSwept - swept} blocks freed by winrpc in ${CALLS} calls`,
    );
  });

  it(`[in] strings of calls that raise a status: no block left after ${CALLS} calls`, async () => {
    expect(await client.TotalLength!(undefined, ['warm', 'up'])).toEqual({ nulls: 0, returnValue: 6 });
    const before = await settledLiveBlocks();
    for (let i = 0; i < CALLS; i++) {
      await expect(client.TotalLength!(undefined, ['raise', `x${i}`, null])).rejects.toMatchObject({
        status: 1783,
      });
      expect(await client.TotalLength!(undefined, [`y${i}`, null])).toEqual({
        nulls: 1,
        returnValue: `y${i}`.length,
      });
    }
    expect((await settledLiveBlocks()) - before).toBe(0);
  });
});
