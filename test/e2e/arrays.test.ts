// Arrays by NDR construct, end to end against test/servers/arrays.idl: fixed arrays,
// varying arrays (length_is on a fixed array), conformant-varying arrays in every
// direction (empty and large), two-dimensional fixed arrays, and arrays of [string]
// pointers with NULL entries and non-BMP text.
import { describe, expect, it } from 'vitest';
import { itUnlessWine } from '../support/lane.js';
import { refusedBeforeSending } from '../support/refused-before-sending.js';
import { PROTSEQS } from '../support/rpc-server.js';
import { useServedClient } from '../support/served-client.js';

describe.each(PROTSEQS)('arrays over %s', (protseq) => {
  const served = useServedClient('arrays', protseq);

  it('sends and receives fixed arrays', async () => {
    expect(await served.client.ReverseFour!({ values: [1, 2, 3, -4] })).toEqual({
      f: { values: [-4, 3, 2, 1] },
    });
    await refusedBeforeSending(
      () => served.client.ReverseFour!({ values: [1, 2, 3] }),
      TypeError,
      /^ReverseFour\(f\)\.values: expected an array of 4 elements/,
    );
  });

  it('sends varying arrays (length_is on a fixed array)', async () => {
    expect(await served.client.SumVarying!({ len: 3, values: [1, 2, 3] })).toBe(6n);
    expect(await served.client.SumVarying!({ len: 0, values: [] })).toBe(0n);
    expect(await served.client.SumVarying!({ values: [1, 2, 3, 4, 5, 6, 7, 8] })).toBe(36n);
    await refusedBeforeSending(
      () => served.client.SumVarying!({ len: 9, values: [1, 2, 3, 4, 5, 6, 7, 8, 9] }),
      RangeError,
      /^SumVarying\(v\)\.values: length_is 9 exceeds the array's 8/,
    );
    await refusedBeforeSending(
      () => served.client.SumVarying!({ len: 2, values: [1] }),
      TypeError,
      /^SumVarying\(v\)\.values: expected an array of 2 elements/,
    );
  });

  // Under Wine the server's stub is widl's with the embedded length_is offset corrected
  // (scripts/widl-stub-patches.mjs: widl writes -36, from the struct's end; unpatched, the
  // server sent a garbage length).
  it('receives varying arrays (length_is on a fixed array)', async () => {
    expect(await served.client.FillVarying!(3)).toEqual({ v: { len: 3, values: [0, 10, 20] } });
    expect(await served.client.FillVarying!(0)).toEqual({ v: { len: 0, values: [] } });
    expect(await served.client.FillVarying!(20)).toEqual({
      v: { len: 8, values: [0, 10, 20, 30, 40, 50, 60, 70] },
    });
  });

  it('sends conformant-varying arrays, empty and large', async () => {
    expect(await served.client.SumWindow!(10, 3, [1, 2, 3])).toBe(6010n);
    expect(await served.client.SumWindow!(0, 0, [])).toBe(0n);
    expect(await served.client.SumWindow!(5, 0, [])).toBe(5n);
    // Both sizes left out: the array's length fills them in.
    expect(await served.client.SumWindow!(undefined, undefined, [4, 5])).toBe(9002n);
    const large = Array.from({ length: 200_000 }, () => 1);
    expect(await served.client.SumWindow!(250_000, undefined, large)).toBe(200_000_000n + 250_000n);
    await refusedBeforeSending(
      () => served.client.SumWindow!(2, 3, [1, 2, 3]),
      RangeError,
      /^SumWindow\(values\): length_is 3 exceeds size_is 2/,
    );
    await refusedBeforeSending(
      () => served.client.SumWindow!(5, 3, [1, 2]),
      RangeError,
      /^SumWindow\(values\): 2 elements contradict length_is \(3\)/,
    );
    await refusedBeforeSending(
      () => served.client.SumWindow!(-1, 0, []),
      RangeError,
      /size_is value -1 is negative/,
    );
  });

  it('sends and receives [in, out] conformant-varying arrays', async () => {
    expect(await served.client.GrowWindow!(4, 2, [5, 6])).toEqual({ len: 3, values: [10, 12, -1] });
    expect(await served.client.GrowWindow!(2, 2, [5, 6])).toEqual({ len: 2, values: [10, 12] });
    expect(await served.client.GrowWindow!(1, 0, [])).toEqual({ len: 1, values: [-1] });
    expect(await served.client.GrowWindow!(0, 0, [])).toEqual({ len: 0, values: [] });
  });

  it('sends and receives two-dimensional fixed arrays', async () => {
    expect(
      await served.client.Trace!({
        m: [
          [1, 2, 3],
          [4, 5, 6],
          [7, 8, 9],
        ],
      }),
    ).toBe(15);
    expect(
      await served.client.Transpose!({
        m: [
          [1, 2, 3],
          [-4, -5, -6],
        ],
      }),
    ).toEqual({
      t: {
        m: [
          [1, -4],
          [2, -5],
          [3, -6],
        ],
      },
    });
    await refusedBeforeSending(
      () =>
        served.client.Trace!({
          m: [
            [1, 2, 3],
            [4, 5, 6],
            [7, 8],
          ],
        }),
      TypeError,
      /^Trace\(s\)\.m\[2\]: expected an array of 3 elements/,
    );
  });

  it('sends arrays of [string] pointers, NULL entries and non-BMP text included', async () => {
    expect(await served.client.TotalLength!(undefined, ['ab', null, 'ç😀', ''])).toEqual({
      nulls: 1,
      returnValue: 5,
    });
    expect(await served.client.TotalLength!(0, [])).toEqual({ nulls: 0, returnValue: 0 });
    await refusedBeforeSending(
      () => served.client.TotalLength!(undefined, ['a', 7]),
      TypeError,
      /^TotalLength\(names\)\[1\]: expected a string/,
    );
  });

  it('receives arrays of [string] pointers the NDR engine allocates', async () => {
    expect(await served.client.MakeNames!(4)).toEqual({ names: ['item 0', 'item 1', null, 'item 3'] });
    expect(await served.client.MakeNames!(0)).toEqual({ names: [] });
    expect(await served.client.SuffixNames!(undefined, ['xy', null, 'a𝄞'])).toEqual({
      names: ['XY', null, 'A𝄞'],
    });
  });

  it('sends and receives array parameters (fixed, varying, conformant, two-dimensional, string)', async () => {
    const c = served.client;
    expect(await c.SumFive!([1, 2, 3, 4, -5])).toBe(5n);
    expect(await c.ReverseParam!([1, 2, 3, -4])).toEqual({ values: [-4, 3, 2, 1] });
    expect(await c.Squares!()).toEqual({ squares: [0, 1, 4, 9, 16, 25] });
    expect(await c.SumFirst!(2, [7, 8])).toBe(15n);
    expect(await c.SumFirst!(undefined, [1, 2, 3, 4, 5, 6, 7, 8])).toBe(36n);
    expect(await c.SumAll!(undefined, [10, 20, 30])).toBe(60n);
    expect(await c.SumAll!(0, [])).toBe(0n);
    expect(await c.NegateWindow!(5, 2, [3n, -4n])).toEqual({ values: [-3n, 4n] });
    expect(
      await c.TraceParam!([
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ]),
    ).toBe(15);
    expect(await c.NameLengthA!('héllo')).toBe(6); // UTF-8 bytes
    expect(await c.NameLengthA!('')).toBe(0);
    expect(await c.SumOrMinusOne!(undefined, [1, 2])).toBe(3);
    expect(await c.SumOrMinusOne!(0, null)).toBe(-1);
    await refusedBeforeSending(
      () => c.SumFive!([1, 2, 3]),
      TypeError,
      /^SumFive\(values\): expected an array of 5 elements/,
    );
    await refusedBeforeSending(() => c.SumFive!(null as never), TypeError, /^SumFive\(values\)/);
    await refusedBeforeSending(
      () => c.SumFirst!(9, [1, 2, 3, 4, 5, 6, 7, 8, 9]),
      RangeError,
      /^SumFirst\(values\): length_is 9 exceeds the array's 8/,
    );
    await refusedBeforeSending(
      () => c.NameLengthA!('x'.repeat(16)),
      RangeError,
      /^NameLengthA\(name\): 16 characters and the terminator exceed/,
    );
  });

  itUnlessWine(
    "Wine 8's NDR engine answers 1783 (bad stub data) to a top-level fixed wchar_t string (FC_WSTRING), where the same char parameter (FC_CSTRING) works",
    'sends a fixed wchar_t [string] array parameter',
    async () => {
      expect(await served.client.NameLength!('héllo😀')).toBe(7);
    },
  );

  it('sends sizes through expression callbacks (a conditional size_is)', async () => {
    const c = served.client;
    expect(await c.SumCounted!(5, 3, [1, 2, 3])).toBe(6n);
    expect(await c.SumCounted!(2, null, [1, 2, 3, 4])).toBe(10n);
    expect(await c.SumCounted!(0, null, [])).toBe(0n);
    // And on the reply: the completion thread's RpcAsyncCompleteCall runs the callback.
    expect(await c.Squares2!(4)).toEqual({ values: [0, 1, 4, 9] });
    expect(await c.Squares2!(null)).toEqual({ values: [] });
    // An expression cannot be inverted: the size comes from the arguments, and data
    // that contradicts it is refused before anything is sent.
    await refusedBeforeSending(
      () => c.SumCounted!(2, null, [1, 2, 3]),
      RangeError,
      /^SumCounted\(values\): 3 elements contradict size_is \(4\)/,
    );
  });

  it('sends a window of an array (first_is with length_is)', async () => {
    const c = served.client;
    // values[3..5] = 7, 8, 9: 7*4 + 8*5 + 9*6
    expect(await c.SumFrom!(3, 3, [7, 8, 9])).toBe(122n);
    // Byte data in any binary form: copied into the call's memory in one step.
    expect(await c.SumFrom!(3, 3, Buffer.from([7, 8, 9]))).toBe(122n);
    expect(await c.SumFrom!(3, undefined, new Uint8Array([7, 8, 9]).buffer)).toBe(122n);
    expect(await c.SumFrom!(3, undefined, new Uint16Array([0x0807, 0x0009]).subarray(0, 1))).toBe(
      7n * 4n + 8n * 5n,
    );
    expect(await c.SumFrom!(undefined, undefined, [1, 1])).toBe(3n); // first_is 0, length 2
    expect(await c.SumFrom!(16, 0, [])).toBe(0n);
    await refusedBeforeSending(
      () => c.SumFrom!(15, 2, [1, 2]),
      RangeError,
      /^SumFrom\(values\): first_is 15 \+ length_is 2 exceeds the array's 16/,
    );
  });

  // Under Wine the server's stub has its embedded length_is offset corrected (as for
  // FillVarying; unpatched it refused the struct with 1734); its IDL has no first_is (widl
  // 7 cannot parse it), but the offset travels on the wire and places the window.
  it('sends a window of an array inside a struct (first_is and length_is fields)', async () => {
    const c = served.client;
    expect(await c.SumByteWindow!({ first: 10, len: 2, data: [3, 4] })).toBe(3n * 11n + 4n * 12n);
    expect(await c.SumByteWindow!({ data: [5] })).toBe(5n); // first_is filled in with 0
  });

  // Wine's side of this is measured on the wire (first-is-wire.test.ts): the request
  // carries the 12 bytes starting 3 bytes, not 3 elements, into winrpc's array.
  itUnlessWine(
    "Wine's NDR engine applies first_is in bytes, not elements (a long array's window lands 3/4 off)",
    'sends a window of a long array (first_is with length_is)',
    async () => {
      expect(await served.client.SumFromLongs!(3, 3, [7, 8, 9])).toBe(122n);
    },
  );

  itUnlessWine(
    "widl 7 cannot parse first_is (the Wine-built server sends its [out] window from index 0), and Wine's engine applies first_is in bytes; the [out] window is checked against hand-written bytes in first-is-wire.test.ts",
    'receives a window of an array (first_is with length_is)',
    async () => {
      expect(await served.client.FillFrom!(5, 3)).toEqual({ values: [100, 101, 102] });
      expect(await served.client.FillFrom!(0, 0)).toEqual({ values: [] });
    },
  );
});
