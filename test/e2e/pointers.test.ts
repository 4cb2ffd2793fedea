// Pointers to pointers, and full pointers ([ptr]) whose aliasing survives the trip in
// both directions, on every protocol sequence.
import { describe, expect, it } from 'vitest';
import { PROTSEQS } from '../support/rpc-server.js';
import { useServedClient } from '../support/served-client.js';

describe.each(PROTSEQS)('pointers over %s', (protseq) => {
  const served = useServedClient('pointers', protseq);

  it('sends and receives pointers to pointers, NULL inner ones included', async () => {
    expect(await served.client.Deref2!(42)).toBe(42);
    expect(await served.client.Deref2!(null)).toBe(-1);
    expect(await served.client.MakePtrPtr!(7)).toEqual({ pp: 7 });
    expect(await served.client.MakePtrPtr!(0)).toEqual({ pp: null });
  });

  it('sends one object behind two full pointers as one object', async () => {
    const box = { value: 5 };
    expect(await served.client.SameTarget!(box, box)).toBe(1);
    expect(await served.client.SameTarget!(box, { value: 5 })).toBe(0);
    expect(await served.client.SameTarget!(box, null)).toBe(-1);
  });

  // The decoding side is unit-tested too (test/unit/decode-call.test.ts). Under Wine the
  // server's stub sets Oi_FULL_PTR_USED for MakePair (scripts/widl-stub-patches.mjs: widl
  // 7 left it clear, and the server faulted with 998 on its NULL full-pointer table).
  it('receives two full pointers to one object as one JS object', async () => {
    const { pair: shared } = (await served.client.MakePair!(3, 1)) as {
      pair: { first: object; second: object };
    };
    expect(shared.first).toEqual({ value: 3 });
    expect(shared.second).toBe(shared.first);
    const { pair: apart } = (await served.client.MakePair!(3, 0)) as {
      pair: { first: object; second: object };
    };
    expect(apart).toEqual({ first: { value: 3 }, second: { value: 4 } });
    expect(apart.second).not.toBe(apart.first);
  });
});
