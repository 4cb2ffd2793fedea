// A JS server answering an [in, out] string longer than the one the client sent: a MIDL
// client's stub writes it into the memory it sent from (a non-NULL pointer), so before
// this check the reply overran the client's buffer (a winrpc client's process crashed).
// The server refuses such a reply with RPC_X_INVALID_BOUND (1734) before marshalling
// anything, and reports it through 'error' naming the parameter; a string that was NULL
// on input may come back at any length (the client allocates it). Checked with winrpc's
// client and with the MIDL-style C client (test/clients/arrays_client.c), whose memory
// must come back intact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInterface, RpcBinding, type RpcServer } from '../../lib/index.js';
import { runClient } from '../support/c-client.js';
import { TEST_BINDING_OPTIONS } from '../support/rpc-server.js';
import { freshEndpoint } from '../support/server-endpoints.js';

const RPC_X_INVALID_BOUND = 1734;

let server: RpcServer;
let binding: RpcBinding;
let cBinding: string;
let client: {
  SuffixNames?: (n: undefined, names: (string | null)[]) => Promise<{ names: (string | null)[] }>;
};
const errors: { message: string; procedure: string }[] = [];

beforeAll(async () => {
  const arrays = await loadInterface(new URL('../servers/arrays.idl', import.meta.url));
  server = arrays.createServer({
    // 'grow' comes back longer than it went; a NULL entry comes back as a new string.
    SuffixNames: (_n: number, names: (string | null)[]) => ({
      names: names.map((name) =>
        name === null ? 'new from the server' : name === 'grow' ? 'grown' : name.toUpperCase(),
      ),
    }),
  });
  server.on('error', (error, call) => {
    errors.push({
      message: error instanceof Error ? error.message : String(error),
      procedure: call.procedure,
    });
  });
  const address = await freshEndpoint('ncalrpc', 'jsinout');
  await server.listen({ protseq: 'ncalrpc', endpoint: address.endpoint });
  cBinding = address.binding;
  binding = RpcBinding.fromString(address.binding, TEST_BINDING_OPTIONS);
  client = arrays.createClient(binding) as typeof client;
});
afterAll(async () => {
  binding?.free();
  await server?.close();
});

describe('[in, out] strings a JS server answers', () => {
  it("winrpc's client: a longer string is refused with 1734 and reported; same length and NULL-filled pass", async () => {
    errors.length = 0;
    await expect(client.SuffixNames?.(undefined, ['ok', 'grow', null])).rejects.toMatchObject({
      status: RPC_X_INVALID_BOUND,
    });
    expect(errors).toEqual([
      {
        procedure: 'SuffixNames',
        message:
          "SuffixNames(names)[1]: the reply's [in, out] string has 5 code units, more than the 4 the client sent (its memory holds no more; size_is or max_is would give it room)",
      },
    ]);
    expect(await client.SuffixNames?.(undefined, ['ok', null, 'growing'])).toEqual({
      names: ['OK', 'new from the server', 'GROWING'],
    });
  });

  it('a MIDL-style C client: the refusal arrives as status 1734, and a NULL entry comes back filled', async () => {
    expect(await runClient('arrays', cBinding, 'suffix', 'ab', 'grow', 'NULL')).toEqual([
      'SuffixNames ab grow NULL -> status 1734',
    ]);
    expect(await runClient('arrays', cBinding, 'suffix', 'ab', 'NULL', 'c')).toEqual([
      'SuffixNames ab NULL c -> AB new from the server C',
    ]);
  }, 60_000);
});
