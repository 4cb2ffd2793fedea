// Large byte buffers end to end against the bulk server (the bench's bulk rows; its JS
// twin, test/servers/js/bulk.ts, in the twin pass): a 1 MiB [out] buffer is reserved in
// the call's arena by native code (not zeroed in JS and copied across), which takeCall
// hands to JS as the native block itself (no copy), freed by V8 later, and the value is
// a view of that block (no copy either). Results must stay intact while later calls
// reuse memory, after the binding is freed and through garbage collections, and no
// native memory may stay counted after the calls.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  diagnostics,
  interfaceFromSource,
  loadInterface,
  RpcBinding,
  type RpcClient,
  RpcError,
  type RpcInterface,
} from '../../lib/index.js';
import { PROTSEQS, type RunningServer, startServer, TEST_BINDING_OPTIONS } from '../support/rpc-server.js';

const bulkIdl = new URL('../servers/bulk.idl', import.meta.url);
const MIB = 1 << 20;
let bulk: RpcInterface;

beforeAll(async () => {
  bulk = await loadInterface(bulkIdl);
});

// A full collection on demand (node.exe runs the tests without --expose-gc).
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Collects until the taken arenas' finalizers have run (or 20 rounds); what is still counted. */
async function collectTakenArenas(): Promise<number> {
  for (let round = 0; round < 20 && diagnostics().takenArenaBytes > 0; round++) {
    collectGarbage();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return diagnostics().takenArenaBytes;
}

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

  it('returns a 1 MiB [out] buffer as a view of the call memory, which outlives the binding and collections', async () => {
    // A binding of its own, freed while the value is still held.
    const own = RpcBinding.fromString(server.binding, TEST_BINDING_OPTIONS);
    const { data } = (await bulk.createClient(own).GetBytes!(MIB)) as { data: Uint8Array };
    own.free();
    // The arena block takeCall handed over, not a copy of the bytes.
    expect(data.buffer.byteLength).toBeGreaterThanOrEqual(MIB);
    for (let i = 0; i < 3; i++) {
      collectGarbage();
      // Other calls' arenas come and go (freed by V8) while the view is held.
      const { data: other } = (await client.GetBytes!(MIB)) as { data: Uint8Array };
      expectPattern(other, MIB);
    }
    expectPattern(data, MIB);
    // Writable, as any Uint8Array result, and nobody else's memory.
    data[0] = 0xee;
    const { data: next } = (await client.GetBytes!(MIB)) as { data: Uint8Array };
    expect(next[0]).toBe(0);
    expect(diagnostics()).toMatchObject({ callsInFlight: 0, arenaBytes: 0 });
  });

  it('never shows a caller bytes the engine did not write: a reply shorter than the client sized fails or reads zeros', async () => {
    // The client sizes the [out] buffer 64 bytes larger than the n bytes the server sends
    // (its IDL says size_is(n)): memory past what the engine writes is reserved and not
    // filled by native code, so it must never reach the caller as a value. Windows' NDR
    // engine checks the conformance against size_is (/robust correlation checks).
    const bulkIdl = readFileSync(new URL('../servers/bulk.idl', import.meta.url), 'utf8');
    const wider = interfaceFromSource(
      bulkIdl.replace('[out, size_is(n)] byte *data', '[out, size_is(n + 64)] byte *data'),
      { file: 'bulk-wider.idl' },
    ).createClient(binding);
    for (let round = 0; round < 4; round++) {
      const outcome = await wider.GetBytes!(4096).then(
        (r) => r as { data: Uint8Array },
        (e: unknown) => e,
      );
      if (outcome instanceof RpcError) {
        expect(['RPC_X_BAD_STUB_DATA', 'RPC_S_INVALID_BOUND']).toContain(outcome.code);
        continue;
      }
      const { data } = outcome as { data: Uint8Array };
      expectPattern(data.subarray(0, 4096), 4096);
      expect([...data.subarray(4096)]).toEqual(new Array(64).fill(0));
    }
    expect(diagnostics()).toMatchObject({ callsInFlight: 0, arenaBytes: 0 });
  });

  it("counts a taken arena JS still holds until V8 frees it, apart from the calls' memory", async () => {
    // Earlier tests' values are garbage: once collected (their finalizers run after the
    // collection, on a later turn), nothing is counted.
    expect(await collectTakenArenas()).toBe(0);
    let held: Uint8Array | undefined = ((await client.GetBytes!(MIB)) as { data: Uint8Array }).data;
    // No call holds the block any more; the value does.
    expect(diagnostics()).toMatchObject({ liveNativeCalls: 0, arenaBytes: 0, takenArenaBytes: MIB });
    collectGarbage();
    await new Promise((resolve) => setImmediate(resolve));
    expect(diagnostics().takenArenaBytes).toBe(MIB);
    expectPattern(held, MIB);
    held = undefined;
    expect(await collectTakenArenas()).toBe(0);
    expect(held).toBeUndefined();
  });

  it('refuses a call whose [out] buffers fit one by one but not together, before any native call, and the binding still works', async () => {
    const bulkIdl = readFileSync(new URL('../servers/bulk.idl', import.meta.url), 'utf8');
    const twice = interfaceFromSource(
      bulkIdl.replace(
        '[out, size_is(n)] byte *data);',
        '[out, size_is(n)] byte *data, [out, size_is(n)] byte *more);',
      ),
      { file: 'bulk-twice.idl' },
    ).createClient(binding);
    const n = 1.5 * 2 ** 30;
    const refused = await twice.GetBytes!(n).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(RangeError);
    expect((refused as Error).message).toContain(`GetBytes(data) ${n}, GetBytes(more) ${n}`);
    expect((refused as Error).message).toContain('more than one call can carry (2147483647)');
    expect(diagnostics()).toMatchObject({ callsInFlight: 0, liveNativeCalls: 0, arenaBytes: 0 });
    const { data } = (await client.GetBytes!(4096)) as { data: Uint8Array };
    expectPattern(data, 4096);
  });

  it('sends a 1 MiB [in] buffer', async () => {
    const data = Uint8Array.from({ length: MIB }, (_, i) => i & 0xff);
    const sum = data.reduce((a, b) => (a + b) | 0, 0);
    expect(await client.PutBytes!(MIB, data)).toBe(sum);
  });
});
