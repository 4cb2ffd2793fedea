// Context handles through the public call path over the fake addon (the engine seam):
// every call that takes a handle holds it until it completes, any number of calls may
// use it [in] at once, [in, out] excludes other uses, handle objects sharing one client
// context value share its state, and an [in, out] handle is read back from the call's
// memory also when the call fails.
import { describe, expect, it } from 'vitest';
import type { ContextHandle } from '../../lib/runtime/context-handle.js';
import { CallEngine, FakeAddon, fakeSessionsClient, heldIds } from '../support/fake-addon.js';

const RPC_X_BAD_STUB_DATA = 1783;
const settle = () => new Promise((resolve) => setImmediate(resolve));

function sessions() {
  const addon = new FakeAddon();
  const engine = new CallEngine(addon);
  const client = fakeSessionsClient(engine);
  /** The id of the call started last. */
  const last = () => heldIds(addon).at(-1)!;
  /** Opens a counter whose client context is `value`. */
  const open = async (value: bigint): Promise<ContextHandle> => {
    const opening = client.OpenCounterRet!(1);
    addon.complete(last(), 0, value);
    return (await opening) as ContextHandle;
  };
  return { addon, engine, client, last, open };
}

/** The engine's unmarshalling of a closed [in, out] handle: its memory set to NULL. */
const freed = (memory: DataView) => {
  for (let at = 0; at + 8 <= memory.byteLength; at += 8) memory.setBigUint64(at, 0n, true);
};

describe('a context handle passed [in]', () => {
  it('is held by each call in flight: any number of them at once', async () => {
    const { addon, client, last, open } = sessions();
    const counter = await open(0x5000n);
    const a = client.NextValue!(counter);
    const first = last();
    const b = client.NextValue!(counter);
    const second = last();
    expect(counter.callsInFlight).toBe(2);
    expect(counter.busy).toBe(false);
    addon.complete(first, 0, 7n);
    addon.complete(second, 0, 8n);
    expect([await a, await b]).toEqual([7, 8]);
    expect(counter.callsInFlight).toBe(0);
  });

  it('is not destroyed under a call: destroy() closes it now, RpcSsDestroyClientContext follows the last call', async () => {
    const { addon, engine, client, last, open } = sessions();
    const counter = await open(0x5000n);
    const using = client.NextValue!(counter);
    const id = last();
    counter.destroy();
    expect(counter.isOpen).toBe(false);
    await expect(client.NextValue!(counter)).rejects.toThrowError(
      /NextValue\(counter\): the context handle was closed/,
    );
    expect(addon.destroyed).toEqual([]);
    expect(engine.contextHandles.count).toBe(1);
    addon.complete(id, 0, 3n);
    expect(await using).toBe(3);
    expect(addon.destroyed).toEqual([0x5000n]);
    expect(engine.contextHandles.count).toBe(0);
  });

  it('keeps a close ([in, out]) out while calls use it, with a TypeError saying so', async () => {
    const { addon, client, last, open } = sessions();
    const counter = await open(0x5000n);
    const using = client.NextValue!(counter);
    const id = last();
    await expect(client.CloseCounter!(counter)).rejects.toThrowError(
      /CloseCounter\(counter\): the context handle is in use by 1 call\(s\) in flight/,
    );
    addon.complete(id, 0, 1n);
    await using;
    const closing = client.CloseCounter!(counter);
    addon.complete(last(), 0, 0n, freed);
    expect(await closing).toEqual({ counter: null });
  });
});

describe('two handle objects of one client context', () => {
  it('share busy and closed: a close through one closes the other', async () => {
    const { addon, engine, client, last, open } = sessions();
    const first = await open(0x7000n);
    const second = await open(0x7000n); // the engine gave the same server context the same value
    expect(first).not.toBe(second);
    const closing = client.CloseCounter!(first);
    expect(second.busy).toBe(true);
    await expect(client.NextValue!(second)).rejects.toThrowError(/the context handle is busy/);
    addon.complete(last(), 0, 0n, freed);
    expect(await closing).toEqual({ counter: null });
    expect(second.isOpen).toBe(false);
    await expect(client.NextValue!(second)).rejects.toThrowError(/the context handle was closed/);
    second.destroy(); // freed by the engine: nothing to destroy
    expect(addon.destroyed).toEqual([]);
    expect(engine.contextHandles.count).toBe(0);
  });
});

describe('an [in, out] handle of a call that failed', () => {
  it('is read back: freed by the engine before the failure, it is closed and never destroyed', async () => {
    const { addon, engine, client, last, open } = sessions();
    const counter = await open(0x6000n);
    const closing = client.CloseCounter!(counter);
    // The engine unmarshalled the handle (freeing its client context), then failed.
    addon.complete(last(), RPC_X_BAD_STUB_DATA, 0n, freed);
    await expect(closing).rejects.toMatchObject({ code: 'RPC_X_BAD_STUB_DATA' });
    expect(counter.isOpen).toBe(false);
    expect(counter.busy).toBe(false);
    counter.destroy();
    expect(addon.destroyed).toEqual([]);
    expect(engine.contextHandles.count).toBe(0);
  });

  it('left as it was, stays open and usable', async () => {
    const { addon, client, last, open } = sessions();
    const counter = await open(0x6000n);
    const closing = client.CloseCounter!(counter);
    addon.complete(last(), 1726); // RPC_S_CALL_FAILED before any reply
    await expect(closing).rejects.toMatchObject({ status: 1726 });
    expect(counter.isOpen).toBe(true);
    const next = client.NextValue!(counter);
    addon.complete(last(), 0, 4n);
    expect(await next).toBe(4);
  });
});

describe('an [in, out] handle of a call abandoned (abort, timeout) before it completed', () => {
  async function abandonedClose() {
    const env = sessions();
    const counter = await env.open(0x8000n);
    const controller = new AbortController();
    const closing = env.client.CloseCounter!(counter, { signal: controller.signal });
    const id = env.last();
    controller.abort();
    await expect(closing).rejects.toMatchObject({ code: 'RPC_S_CALL_CANCELLED' });
    expect(counter.busy).toBe(true); // the runtime still has the call
    return { ...env, counter, id };
  }

  it('is read back when the call completes: freed by the engine before a failure, it is closed', async () => {
    const { addon, engine, counter, id } = await abandonedClose();
    addon.complete(id, RPC_X_BAD_STUB_DATA, 0n, freed);
    expect(counter.isOpen).toBe(false);
    counter.destroy();
    expect(addon.destroyed).toEqual([]);
    expect(engine.contextHandles.count).toBe(0);
    expect(heldIds(addon)).toEqual([]); // taken and freed
  });

  it('is read back when the call completes: left as it was, it stays open', async () => {
    const { addon, client, last, counter, id } = await abandonedClose();
    addon.complete(id, 0);
    expect(counter.isOpen).toBe(true);
    expect(counter.busy).toBe(false);
    expect(heldIds(addon)).toEqual([]);
    const next = client.NextValue!(counter);
    addon.complete(last(), 0, 9n);
    expect(await next).toBe(9);
  });
});

describe('a completion status of 997', () => {
  it('is the call failing with RPC_S_ASYNC_CALL_PENDING, not "not complete yet"', async () => {
    const { addon, client, last } = sessions();
    const call = client.OpenCounters!();
    addon.complete(last(), 997);
    await settle();
    await expect(call).rejects.toMatchObject({ status: 997, code: 'RPC_S_ASYNC_CALL_PENDING' });
    expect(heldIds(addon)).toEqual([]);
  });
});
