// signal and timeout over a fake addon: the promise settles at once, and the runtime's
// cancellation (non-abortive, then abortive) goes on in the background.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyCallOptions } from '../../lib/runtime/call-options.js';
import { CallEngine, callId, FakeAddon, fakeCall } from '../support/fake-addon.js';

let addon: FakeAddon;
let engine: CallEngine;

beforeEach(() => {
  vi.useFakeTimers();
  addon = new FakeAddon();
  engine = CallEngine.of(addon);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('signal', () => {
  it('rejects at once with RPC_S_CALL_CANCELLED whose cause is the reason, then cancels in the background', async () => {
    const call = fakeCall(engine, 'Delay', [5000]);
    const controller = new AbortController();
    const settled = applyCallOptions(call, { signal: controller.signal, cancelGraceMs: 300 }).catch((e) => e);
    const reason = new Error('user gave up');
    controller.abort(reason);
    const error = await settled;
    expect(error).toMatchObject({ code: 'RPC_S_CALL_CANCELLED', cause: reason });
    expect(addon.cancels).toEqual([{ id: callId(call), abortive: false }]);
    vi.advanceTimersByTime(299);
    expect(addon.cancels).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(addon.cancels).toEqual([
      { id: callId(call), abortive: false },
      { id: callId(call), abortive: true },
    ]);
    // The native call waits for the runtime: it is freed when the runtime completes it.
    expect(addon.diagnostics()).toMatchObject({ liveCalls: 1, abandonedCalls: 1 });
    addon.complete(callId(call), 1818);
    expect(addon.diagnostics()).toMatchObject({ liveCalls: 0, abandonedCalls: 0 });
  });

  it('does not escalate once the runtime has completed the call', async () => {
    const call = fakeCall(engine, 'Delay', [5000]);
    const controller = new AbortController();
    const settled = applyCallOptions(call, { signal: controller.signal, cancelGraceMs: 300 }).catch((e) => e);
    controller.abort();
    await settled;
    addon.complete(callId(call), 1818);
    vi.advanceTimersByTime(1000);
    expect(addon.cancels.map((c) => c.abortive)).toEqual([false]);
  });

  it('rejects an already aborted signal without waiting, and a reply after the abort changes nothing', async () => {
    const call = fakeCall(engine, 'Add', [1, 2]);
    const settled = applyCallOptions(call, { signal: AbortSignal.abort('stop') }).catch((e) => e);
    addon.complete(callId(call), 0, 3n);
    expect(await settled).toMatchObject({ code: 'RPC_S_CALL_CANCELLED', cause: 'stop' });
  });
});

describe('timeout', () => {
  it('rejects with RPC_S_TIMEOUT and escalates to an abortive cancel after the grace period', async () => {
    const call = fakeCall(engine, 'Delay', [5000]);
    const settled = applyCallOptions(call, { timeout: 100, cancelGraceMs: 50 }).catch((e) => e);
    vi.advanceTimersByTime(100);
    expect(await settled).toMatchObject({ code: 'RPC_S_TIMEOUT' });
    expect(addon.cancels.map((c) => c.abortive)).toEqual([false]);
    vi.advanceTimersByTime(50);
    expect(addon.cancels.map((c) => c.abortive)).toEqual([false, true]);
  });

  it('escalates even when the runtime refuses to cancel (1914 under Wine)', async () => {
    addon.cancelStatus = 1914;
    const call = fakeCall(engine, 'Delay', [5000]);
    const settled = applyCallOptions(call, { timeout: 10, cancelGraceMs: 10 }).catch((e) => e);
    vi.advanceTimersByTime(20);
    expect(await settled).toMatchObject({ code: 'RPC_S_TIMEOUT' });
    expect(addon.cancels.map((c) => c.abortive)).toEqual([false, true]);
  });

  it('waits 2^31 ms and more (setTimeout alone fires such delays after 1 ms)', async () => {
    const call = fakeCall(engine, 'Delay', [100]);
    let outcome: unknown;
    applyCallOptions(call, { timeout: 2 ** 31 + 5 }).then(
      (value) => {
        outcome = value;
      },
      (error) => {
        outcome = error;
      },
    );
    await vi.advanceTimersByTimeAsync(2 ** 31 + 4);
    expect(outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toMatchObject({ code: 'RPC_S_TIMEOUT' });
  });

  it('a grace period of 2^31 ms and more is not cut short either', async () => {
    const call = fakeCall(engine, 'Delay', [5000]);
    const settled = applyCallOptions(call, { timeout: 1, cancelGraceMs: 2 ** 31 }).catch((e) => e);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled).toMatchObject({ code: 'RPC_S_TIMEOUT' });
    await vi.advanceTimersByTimeAsync(2 ** 31 - 1);
    expect(addon.cancels.map((c) => c.abortive)).toEqual([false]);
    await vi.advanceTimersByTimeAsync(1);
    expect(addon.cancels.map((c) => c.abortive)).toEqual([false, true]);
  });

  it('a reply before the timeout settles the call and stops the timer', async () => {
    const call = fakeCall(engine, 'Add', [1, 2]);
    const settled = applyCallOptions(call, { timeout: 100 });
    addon.complete(callId(call), 0, 3n);
    expect(await settled).toBe(3);
    vi.advanceTimersByTime(1000);
    expect(addon.cancels).toEqual([]);
  });
});
