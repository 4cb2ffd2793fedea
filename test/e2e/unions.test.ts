// Unions and __int3264 end to end: non-encapsulated unions (switch_is from another
// parameter, also an [out] one), encapsulated unions, every arm including the
// default, and pointer-sized integers, on every protocol sequence.
import { describe, expect, it } from 'vitest';
import { PROTSEQS } from '../support/rpc-server.js';
import { useServedClient } from '../support/served-client.js';

describe.each(PROTSEQS)('unions over %s', (protseq) => {
  const served = useServedClient('unions', protseq);

  it('sends every arm of a non-encapsulated union', async () => {
    expect(await served.client.NumberValue!(1, { case: 1, i: -42 })).toBe(-42);
    expect(await served.client.NumberValue!(2, { case: 2, d: 2.25 })).toBe(2.25);
    expect(await served.client.NumberValue!(3, { case: 3, h: 2n ** 40n })).toBe(2 ** 40);
    expect(await served.client.NumberValue!(4, { case: 4, h: -5n })).toBe(-5);
    expect(await served.client.NumberValue!(9, { case: 9 })).toBe(0);
  });

  it('fills the switch_is argument in from the union', async () => {
    expect(await served.client.NumberValue!(undefined, { case: 2, d: 1.5 })).toBe(1.5);
  });

  it('takes the arm from the switch_is argument when the union leaves `case` out', async () => {
    expect(await served.client.NumberValue!(2, { d: 1.5 } as never)).toBe(1.5);
    expect(await served.client.NumberValue!(9, {} as never)).toBe(0);
  });

  it('decodes an [out] union whose discriminant is another [out] parameter', async () => {
    expect(await served.client.NextNumber!(1, { case: 1, i: 7 })).toEqual({
      nextKind: 2,
      next: { case: 2, d: 7.5 },
    });
    expect(await served.client.NextNumber!(2, { case: 2, d: 3.9 })).toEqual({
      nextKind: 3,
      next: { case: 3, h: 3000n },
    });
    expect(await served.client.NextNumber!(3, { case: 3, h: 1n })).toEqual({
      nextKind: 7,
      next: { case: 7 },
    });
    expect(await served.client.NextNumber!(5, { case: 5 })).toEqual({ nextKind: 1, next: { case: 1, i: 1 } });
  });

  it('sends and receives encapsulated unions', async () => {
    expect(await served.client.ShapeArea!({ case: 1, radius: 2 })).toBe(12);
    expect(await served.client.ShapeArea!({ case: 2, side: 1.5 })).toBe(2.25);
    expect(await served.client.ShapeArea!({ case: 3 })).toBe(-1);
    expect(await served.client.MakeShape!(4)).toEqual({ s: { case: 2, side: 4 } });
    expect(await served.client.MakeShape!(-3)).toEqual({ s: { case: 1, radius: 3 } });
  });

  it('checks union values before sending', async () => {
    await expect(served.client.NumberValue!(1, { case: 2, d: 1 })).rejects.toThrowError(
      /contradicts its switch_is/,
    );
    await expect(served.client.NumberValue!(1, { case: 1, i: 'x' })).rejects.toThrowError(
      /NumberValue\(n\)\.i/,
    );
    await expect(served.client.NumberValue!(1, 5)).rejects.toThrowError(TypeError);
  });

  it('round-trips __int3264 by value and by pointer', async () => {
    expect(await served.client.TwicePtrSized!(-21, 0x7ffffffe)).toEqual({ p: 0x7fffffff, returnValue: -42 });
    await expect(served.client.TwicePtrSized!(2 ** 31, 0)).rejects.toBeInstanceOf(RangeError);
  });
});
