// first_is counted in elements, against NDR bytes written out by hand from the
// specification ([C706] 14.3.3.3: a varying array is its offset and actual count, in
// elements, then the elements from that offset). The calls go through winrpc and the
// runtime to a wire server (test/support/wire-server.ts) that records the request's stub
// data and answers with the reply's: no compiled server stands between the bytes and the
// oracle. Under Wine, byte arrays run (Wine's engine applies the offset in bytes, which
// only a byte array survives); the long arrays run on Windows, and a Wine-only test pins
// where Wine's engine reads instead, from winrpc's correctly placed elements.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interfaceFromSource, RpcBinding, type RpcClient } from '../../lib/index.js';
import { itUnlessWine, lane } from '../support/lane.js';
import { startWireServer, type WireServer } from '../support/wire-server.js';

const IDL = `[uuid(5e1f0c3a-7b2d-4e8f-9a10-3c4d5e6f7a81), version(1.0)]
interface firstis {
  hyper SumBytesFrom([in] long first, [in] long len, [in, first_is(first), length_is(len)] byte values[16]);
  hyper SumLongsFrom([in] long first, [in] long len, [in, first_is(first), length_is(len)] long values[16]);
  void FillBytesFrom([in] long first, [in] long len, [out, first_is(first), length_is(len)] byte values[16]);
  void FillLongsFrom([in] long first, [in] long len, [out, first_is(first), length_is(len)] long values[16]);
}`;

/** A call that finds no answer fails instead of hanging the file. */
const T = { timeout: 10_000 };

/** Little-endian NDR longs. */
const longs = (...v: number[]) =>
  v.flatMap((x) => [x & 0xff, (x >> 8) & 0xff, (x >> 16) & 0xff, (x >>> 24) & 0xff]);

// The replies, by opnum: a hyper return value (122 for both sums), or first=5, len=3 windows.
const REPLIES: Record<number, number[]> = {
  0: [122, 0, 0, 0, 0, 0, 0, 0],
  1: [122, 0, 0, 0, 0, 0, 0, 0],
  // offset 5, actual count 3, then the bytes 100, 101, 102
  2: [...longs(5, 3), 100, 101, 102],
  // offset 5, actual count 3, then the longs 100, 101, 102
  3: [...longs(5, 3, 100, 101, 102)],
};

describe('first_is in elements, against hand-written NDR bytes', () => {
  let wire: WireServer;
  let binding: RpcBinding;
  let client: RpcClient;
  beforeAll(async () => {
    wire = await startWireServer(REPLIES);
    binding = RpcBinding.fromString(wire.binding, { auth: 'none' });
    client = interfaceFromSource(IDL, { file: 'firstis.idl' }).createClient(binding);
  });
  afterAll(async () => {
    binding?.free();
    await wire?.close();
  });

  it('sends a byte window: first, len, then offset 3, count 3 and the three bytes', async () => {
    expect(await client.SumBytesFrom!(3, 3, [7, 8, 9], T)).toBe(122n);
    expect(await wire.nextRequest()).toEqual({ opnum: 0, stub: [...longs(3, 3), ...longs(3, 3), 7, 8, 9] });
  });

  it('receives a byte window at its offset (5), as the three elements', async () => {
    const reply = await client.FillBytesFrom!(5, 3, T);
    expect(await wire.nextRequest()).toEqual({ opnum: 2, stub: longs(5, 3) });
    expect(reply).toEqual({ values: new Uint8Array([100, 101, 102]) });
  });

  itUnlessWine(
    "Wine's NDR engine applies first_is in bytes, not elements",
    'sends a long window: offset 3 and count 3 in elements, then the three longs',
    async () => {
      expect(await client.SumLongsFrom!(3, 3, [7, 8, 9], T)).toBe(122n);
      expect(await wire.nextRequest()).toEqual({ opnum: 1, stub: longs(3, 3, 3, 3, 7, 8, 9) });
    },
  );

  itUnlessWine(
    "Wine's NDR engine applies first_is in bytes, not elements",
    'receives a long window at its offset (5 elements), as the three elements',
    async () => {
      expect(await client.FillLongsFrom!(5, 3, T)).toEqual({ values: [100, 101, 102] });
      expect(await wire.nextRequest()).toEqual({ opnum: 3, stub: longs(5, 3) });
    },
  );

  // What makes the long windows Windows-only: winrpc lays the window out at element 3
  // (bytes 12..23 of the array, zeros around it), and Wine's engine sends the 12 bytes
  // starting 3 *bytes* into the array: nine zeros, then the first byte of 7.
  it.runIf(lane === 'wine')(
    "under Wine, the long window's offset is applied in bytes to winrpc's correctly placed elements",
    async () => {
      expect(await client.SumLongsFrom!(3, 3, [7, 8, 9], T)).toBe(122n);
      expect(await wire.nextRequest()).toEqual({
        opnum: 1,
        stub: [...longs(3, 3, 3, 3), 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0],
      });
    },
  );
});
