// The call engine over a fake addon (test/support/fake-addon.ts): ids, completions,
// abandoned calls and the one-engine-per-environment rule, on any OS.
import { describe, expect, it } from 'vitest';
import { CallEngine, callId, FakeAddon, fakeCall } from '../support/fake-addon.js';

describe('CallEngine', () => {
  it('is one per addon, whichever copy of winrpc asks (the callback is set once)', () => {
    const addon = new FakeAddon();
    const engine = CallEngine.of(addon);
    expect(CallEngine.of(addon)).toBe(engine);
    expect(addon.callbackSets).toBe(1);
    // Another copy of the runtime (ESM beside CommonJS) finds it through registered symbols.
    expect((addon as unknown as Record<symbol, unknown>)[Symbol.for('winrpc.callEngine')]).toBe(engine);
  });

  it('completes calls in any order, each with its own reply', async () => {
    const addon = new FakeAddon();
    const engine = CallEngine.of(addon);
    const a = fakeCall(engine, 'Add', [1, 2]);
    const b = fakeCall(engine, 'Add', [3, 4]);
    addon.complete(callId(b), 0, 7n);
    addon.complete(callId(a), 0, 3n);
    expect(await Promise.all([a.complete(), b.complete()])).toEqual([3, 7]);
    expect(addon.calls.size).toBe(0);
  });

  it('keeps 1000 calls in flight apart as its table grows, whatever order they complete in', async () => {
    const addon = new FakeAddon();
    const engine = CallEngine.of(addon);
    // Ids ahead of zero, so the table's slots (id & mask) wrap while it grows.
    (engine as unknown as { nextId: number }).nextId = 0xffffff00;
    const calls = Array.from({ length: 1000 }, (_, i) => fakeCall(engine, 'Add', [i, 1]));
    const ids = calls.map(callId);
    expect(new Set(ids).size).toBe(1000);
    expect(engine.callsInFlight).toBe(1000);
    // Every other call first, then the rest backwards; a stray id is dropped.
    const order = [...ids.keys()]
      .filter((i) => i % 2 === 0)
      .concat([...ids.keys()].filter((i) => i % 2).reverse());
    addon.complete(0x12345, 0, 1n);
    for (const i of order) addon.complete(ids[i]!, 0, BigInt(i + 1));
    expect(await Promise.all(calls.map((c) => c.complete()))).toEqual(ids.map((_, i) => i + 1));
    expect(engine.callsInFlight).toBe(0);
    expect(addon.calls.size).toBe(0);
  });

  it('takes a record with status 997 for the completion it is (a server can fail a call with that code)', async () => {
    // Native code completes a call only after the runtime's notification, when
    // RpcAsyncCompleteCall can no longer mean "not complete yet" by 997.
    const addon = new FakeAddon();
    const engine = CallEngine.of(addon);
    const call = fakeCall(engine, 'Add', [1, 2]);
    addon.complete(callId(call), 997);
    await expect(call.complete()).rejects.toMatchObject({ status: 997, code: 'RPC_S_ASYNC_CALL_PENDING' });
    expect(engine.callsInFlight).toBe(0);
    expect(addon.calls.size).toBe(0);
  });

  it('keeps an abandoned call cancellable, and its id taken, until the runtime completes it', async () => {
    const addon = new FakeAddon();
    const engine = CallEngine.of(addon);
    const call = fakeCall(engine, 'Delay', [1000]);
    const id = callId(call);
    call.abandon(call.error(1460));
    await expect(call.complete()).rejects.toMatchObject({ code: 'RPC_S_TIMEOUT' });
    expect(engine.callsAbandoned).toBe(1);
    expect(engine.callsInFlight).toBe(0);
    call.cancel({ abortive: true });
    expect(addon.cancels).toEqual([{ id, abortive: true }]);
    // Ids wrap at 2^32 and skip those still taken: the abandoned call's included.
    (engine as unknown as { nextId: number }).nextId = id;
    const next = fakeCall(engine, 'Add', [1, 1]);
    expect(callId(next)).toBe(id + 1);
    addon.complete(id, 1818);
    expect(engine.callsAbandoned).toBe(0);
    expect(call.runtimeDone).toBe(true);
    // Completed: nothing left to cancel, and the id is free again.
    call.cancel({ abortive: true });
    expect(addon.cancels).toHaveLength(1);
    addon.complete(callId(next), 0, 2n);
    expect(await next.complete()).toBe(2);
    expect(addon.calls.size).toBe(0);
  });

  it('wraps ids at 2^32', async () => {
    const addon = new FakeAddon();
    const engine = CallEngine.of(addon);
    (engine as unknown as { nextId: number }).nextId = 0xffffffff;
    const last = fakeCall(engine, 'Add', [1, 1]);
    const first = fakeCall(engine, 'Add', [2, 2]);
    expect([callId(last), callId(first)]).toEqual([0xffffffff, 1]);
    addon.complete(0xffffffff, 0, 2n);
    addon.complete(1, 0, 4n);
    expect(await Promise.all([last.complete(), first.complete()])).toEqual([2, 4]);
  });
});
