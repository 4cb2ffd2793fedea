// Large byte buffers end to end against the bulk server (the bench's bulk rows; its JS
// twin, test/servers/js/bulk.ts, in the twin pass): a 1 MiB [out] buffer travels in the
// call's arena, which takeCall hands to JS as the native block itself (no copy), freed by
// V8 later. Results must stay intact while later calls reuse memory, and no native
// memory may stay counted after the calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  diagnostics,
  loadInterface,
  RpcBinding,
  type RpcClient,
  type RpcInterface,
} from '../../lib/index.js';
import { PROTSEQS, type RunningServer, startServer, TEST_BINDING_OPTIONS } from '../support/rpc-server.js';

const bulkIdl = new URL('../servers/bulk.idl', import.meta.url);
const MIB = 1 << 20;
let bulk: RpcInterface;

beforeAll(async () => {
  bulk = await loadInterface(bulkIdl);
});

/** The server's pattern (test/servers/bulk.c): byte i is i & 0xff. */
function expectPattern(data: Uint8Array, size: number): void {
  expect(data.length).toBe(size);
  let wrong = -1;
  for (let i = 0; i < size && wrong < 0; i++) if (data[i] !== (i & 0xff)) wrong = i;
  expect(wrong).toBe(-1);
}

describe.each(PROTSEQS)('bulk over %s', (protseq) => {
  let server: RunningServer;
  let binding: RpcBinding;
  let client: RpcClient;

  beforeAll(async () => {
    server = await startServer('bulk', protseq);
    binding = RpcBinding.fromString(server.binding, TEST_BINDING_OPTIONS);
    client = bulk.createClient(binding);
  });
  afterAll(async () => {
    binding.free();
    await server.stop();
  });

  it('returns 1 MiB [out] buffers that stay intact across later calls', async () => {
    const kept: Uint8Array[] = [];
    for (let i = 0; i < 4; i++) {
      const { data } = (await client.GetBytes!(MIB)) as { data: Uint8Array };
      kept.push(data);
    }
    // Three at once, so arenas of calls in flight coexist with the results JS holds.
    const more = (await Promise.all([1, 2, 3].map(() => client.GetBytes!(MIB)))) as { data: Uint8Array }[];
    for (const data of [...kept, ...more.map((r) => r.data)]) expectPattern(data, MIB);
    expect(diagnostics()).toMatchObject({ callsInFlight: 0, arenaBytes: 0 });
  });

  it('returns small and empty [out] buffers', async () => {
    for (const size of [0, 1, 17, 4096]) {
      const { data } = (await client.GetBytes!(size)) as { data: Uint8Array };
      expectPattern(data, size);
    }
  });

  it('sends a 1 MiB [in] buffer', async () => {
    const data = Uint8Array.from({ length: MIB }, (_, i) => i & 0xff);
    const sum = data.reduce((a, b) => (a + b) | 0, 0);
    expect(await client.PutBytes!(MIB, data)).toBe(sum);
  });
});
