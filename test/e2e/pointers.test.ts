// Pointers to pointers, and full pointers ([ptr]) whose aliasing survives the trip in
// both directions, on every protocol sequence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInterface, RpcBinding, type RpcClient } from '../../lib/index.js';
import { itUnlessWine } from '../support/lane.js';
import { PROTSEQS, type RunningServer, startServer, TEST_BINDING_OPTIONS } from '../support/rpc-server.js';

describe.each(PROTSEQS)('pointers over %s', (protseq) => {
  let server: RunningServer;
  let binding: RpcBinding;
  let client: RpcClient;

  beforeAll(async () => {
    const pointers = await loadInterface(new URL('../servers/pointers.idl', import.meta.url));
    server = await startServer('pointers', protseq);
    binding = RpcBinding.fromString(server.binding, TEST_BINDING_OPTIONS);
    client = pointers.createClient(binding);
  });
  afterAll(async () => {
    binding.free();
    await server.stop();
  });

  it('sends and receives pointers to pointers, NULL inner ones included', async () => {
    expect(await client.Deref2!(42)).toBe(42);
    expect(await client.Deref2!(null)).toBe(-1);
    expect(await client.MakePtrPtr!(7)).toEqual({ pp: 7 });
    expect(await client.MakePtrPtr!(0)).toEqual({ pp: null });
  });

  it('sends one object behind two full pointers as one object', async () => {
    const box = { value: 5 };
    expect(await client.SameTarget!(box, box)).toBe(1);
    expect(await client.SameTarget!(box, { value: 5 })).toBe(0);
    expect(await client.SameTarget!(box, null)).toBe(-1);
  });

  // The decoding side is unit-tested too (test/unit/decode-call.test.ts).
  itUnlessWine(
    'the widl-built server fails (998) on [out] structs with embedded full pointers',
    'receives two full pointers to one object as one JS object',
    async () => {
      const { pair: shared } = (await client.MakePair!(3, 1)) as { pair: { first: object; second: object } };
      expect(shared.first).toEqual({ value: 3 });
      expect(shared.second).toBe(shared.first);
      const { pair: apart } = (await client.MakePair!(3, 0)) as { pair: { first: object; second: object } };
      expect(apart).toEqual({ first: { value: 3 }, second: { value: 4 } });
      expect(apart.second).not.toBe(apart.first);
    },
  );
});
