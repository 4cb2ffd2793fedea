// The public call path (RpcInterface -> AsyncCall -> CallEngine) over a FakeAddon, on
// any OS: timeouts, aborts and the escalation to an abortive cancel, ids wrapping with
// abandoned calls still holding theirs, and the one-engine-per-environment rule. The
// fake runtime completes each call when the test says so; timers are vitest's fakes.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CallEngine,
  callId,
  FakeAddon,
  fakeBinding,
  fakeCalc,
  fakeCalcClient,
} from '../support/fake-addon.js';

const RPC_S_CALL_CANCELLED = 1818;
const RPC_S_CANNOT_SUPPORT_CANCEL_STUB = 1914; // what Wine's RpcAsyncCancelCall answers

function setup() {
  const addon = new FakeAddon();
  const engine = CallEngine.of(addon);
  return { addon, engine, client: fakeCalcClient(engine) };
}

/** Every counter the engine and the fake runtime keep, as diagnostics() reads them. */
function counters(engine: CallEngine, addon: FakeAddon) {
  const native = addon.diagnostics();
  return {
    inFlight: engine.callsInFlight,
    abandoned: engine.callsAbandoned,
    nativeAbandoned: native.abandonedCalls,
    liveCalls: native.liveCalls,
  };
}
const ZERO = { inFlight: 0, abandoned: 0, nativeAbandoned: 0, liveCalls: 0 };

/** The only call the fake runtime holds. */
function onlyId(addon: FakeAddon): number {
  expect(addon.calls.size).toBe(1);
  return [...addon.calls.keys()][0]!;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('timeouts over the engine seam', () => {
  it('rejects with RPC_S_TIMEOUT, cancels at once, escalates after the grace, and frees on completion', async () => {
    const { addon, engine, client } = setup();
    const promise = client.Delay!(60_000, { timeout: 50, cancelGraceMs: 200 });
    const outcome = promise.catch((error: unknown) => error);
    const id = onlyId(addon);
    await vi.advanceTimersByTimeAsync(49);
    expect(addon.cancels).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toMatchObject({ code: 'RPC_S_TIMEOUT', detail: 'no reply within 50 ms' });
    expect(addon.cancels).toEqual([{ id, abortive: false }]);
    expect(counters(engine, addon)).toEqual({ inFlight: 0, abandoned: 1, nativeAbandoned: 1, liveCalls: 1 });
    await vi.advanceTimersByTimeAsync(199);
    expect(addon.cancels).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(addon.cancels).toEqual([
      { id, abortive: false },
      { id, abortive: true },
    ]);
    addon.complete(id, RPC_S_CALL_CANCELLED);
    expect(counters(engine, addon)).toEqual(ZERO);
  });

  it('does not escalate when the runtime completes the call within the grace', async () => {
    const { addon, engine, client } = setup();
    const outcome = client.Delay!(60_000, { timeout: 10, cancelGraceMs: 100 }).catch((e: unknown) => e);
    const id = onlyId(addon);
    await vi.advanceTimersByTimeAsync(10);
    expect(await outcome).toMatchObject({ code: 'RPC_S_TIMEOUT' });
    addon.complete(id, RPC_S_CALL_CANCELLED);
    await vi.advanceTimersByTimeAsync(1000);
    expect(addon.cancels).toEqual([{ id, abortive: false }]);
    expect(counters(engine, addon)).toEqual(ZERO);
  });

  it('escalates also when the runtime cannot cancel (Wine): the promise stays settled with the timeout', async () => {
    const { addon, engine, client } = setup();
    addon.cancelStatus = RPC_S_CANNOT_SUPPORT_CANCEL_STUB;
    const outcome = client.Delay!(60_000, { timeout: 5, cancelGraceMs: 20 }).catch((e: unknown) => e);
    const id = onlyId(addon);
    await vi.advanceTimersByTimeAsync(25);
    expect(await outcome).toMatchObject({ code: 'RPC_S_TIMEOUT' });
    expect(addon.cancels).toEqual([
      { id, abortive: false },
      { id, abortive: true },
    ]);
    // The call is held until the server replies; then its late success is dropped.
    expect(counters(engine, addon)).toMatchObject({ abandoned: 1, liveCalls: 1 });
    addon.complete(id, 0, 60_000n);
    expect(counters(engine, addon)).toEqual(ZERO);
  });

  it('a timeout of 2^31 ms or more waits that long (setTimeout alone would fire after 1 ms)', async () => {
    const { addon, engine, client } = setup();
    let settled: unknown;
    void client.Delay!(1, { timeout: 2 ** 31 + 5 }).catch((e: unknown) => {
      settled = e;
    });
    await vi.advanceTimersByTimeAsync(2 ** 31);
    expect(settled).toBeUndefined();
    await vi.advanceTimersByTimeAsync(5);
    expect(settled).toMatchObject({ code: 'RPC_S_TIMEOUT' });
    addon.complete(onlyId(addon), RPC_S_CALL_CANCELLED);
    expect(counters(engine, addon)).toEqual(ZERO);
  });

  it("a binding's default timeout applies to calls that name none", async () => {
    const addon = new FakeAddon();
    const engine = CallEngine.of(addon);
    const client = fakeCalc(engine).createClient(fakeBinding(30));
    const outcome = client.Delay!(60_000).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(30);
    expect(await outcome).toMatchObject({ code: 'RPC_S_TIMEOUT', detail: 'no reply within 30 ms' });
  });
});

describe('aborts over the engine seam', () => {
  it('settles at once with RPC_S_CALL_CANCELLED whose cause is the reason, then escalates in the background', async () => {
    const { addon, engine, client } = setup();
    const controller = new AbortController();
    const outcome = client.Delay!(60_000, { signal: controller.signal, cancelGraceMs: 100 }).catch(
      (e: unknown) => e,
    );
    const id = onlyId(addon);
    const reason = new Error('user gave up');
    controller.abort(reason);
    // No timer runs before the promise settles.
    const error = await outcome;
    expect(error).toMatchObject({ code: 'RPC_S_CALL_CANCELLED', cause: reason });
    expect(addon.cancels).toEqual([{ id, abortive: false }]);
    await vi.advanceTimersByTimeAsync(100);
    expect(addon.cancels).toEqual([
      { id, abortive: false },
      { id, abortive: true },
    ]);
    addon.complete(id, RPC_S_CALL_CANCELLED);
    expect(counters(engine, addon)).toEqual(ZERO);
  });

  it('an already aborted signal rejects the call, whose native state still waits for the runtime', async () => {
    const { addon, engine, client } = setup();
    const signal = AbortSignal.abort('too late');
    await expect(client.Add!(1, 2, { signal })).rejects.toMatchObject({
      code: 'RPC_S_CALL_CANCELLED',
      cause: 'too late',
    });
    const id = onlyId(addon);
    expect(counters(engine, addon)).toMatchObject({ inFlight: 0, abandoned: 1 });
    addon.complete(id, 0, 3n);
    expect(counters(engine, addon)).toEqual(ZERO);
  });

  it('an abort after the reply changes nothing: the result stands and nothing is cancelled', async () => {
    const { addon, engine, client } = setup();
    const controller = new AbortController();
    const promise = client.Add!(2, 3, { signal: controller.signal, timeout: 1000 });
    addon.complete(onlyId(addon), 0, 5n);
    expect(await promise).toBe(5);
    controller.abort();
    await vi.advanceTimersByTimeAsync(5000);
    expect(addon.cancels).toEqual([]);
    expect(counters(engine, addon)).toEqual(ZERO);
  });
});

describe('ids and abandoned calls over the engine seam', () => {
  it('wraps at 2^32 and skips the ids abandoned calls still hold, until the runtime lets go', async () => {
    const { addon, engine, client } = setup();
    const internals = engine as unknown as { nextId: number };
    // Abandon the calls with ids 1 and 2: the runtime keeps them.
    const controller = new AbortController();
    const held = [
      client.Delay!(60_000, { signal: controller.signal }),
      client.Delay!(60_000, { signal: controller.signal }),
    ];
    controller.abort();
    for (const p of held) await expect(p).rejects.toMatchObject({ code: 'RPC_S_CALL_CANCELLED' });
    expect([...addon.calls.keys()]).toEqual([1, 2]);
    internals.nextId = 0xfffffffe;
    const calc = fakeCalc(engine);
    const ids = Array.from({ length: 3 }, (_, i) => callId(calc.begin(fakeBinding(), 'Add', [i, 1])));
    expect(ids).toEqual([0xfffffffe, 0xffffffff, 3]);
    // Once the runtime completes them, their ids are given again.
    addon.complete(1, RPC_S_CALL_CANCELLED);
    addon.complete(2, RPC_S_CALL_CANCELLED);
    internals.nextId = 1;
    expect(callId(calc.begin(fakeBinding(), 'Add', [0, 0]))).toBe(1);
    for (const id of [0xfffffffe, 0xffffffff, 3, 1]) addon.complete(id, 0, 1n);
    expect(counters(engine, addon)).toEqual(ZERO);
  });

  it('a completion for an id no call waits for is dropped (late, duplicate or foreign)', async () => {
    const { addon, engine, client } = setup();
    const promise = client.Add!(20, 22);
    const id = onlyId(addon);
    addon.complete(id + 100, 0, 1n);
    addon.complete(id, 0, 42n);
    addon.complete(id, 0, 7n); // a second notification for the same id
    expect(await promise).toBe(42);
    expect(counters(engine, addon)).toEqual(ZERO);
  });

  it('a call the runtime refuses at once rejects with its status and holds no id', async () => {
    const { addon, engine, client } = setup();
    addon.startCall(1); // id 1 taken in the fake runtime: the fake refuses it with 87
    await expect(client.Add!(1, 1)).rejects.toMatchObject({ code: 'RPC_S_INVALID_ARG' });
    expect(engine.callsInFlight).toBe(0);
  });
});

describe('one engine per environment over the seam', () => {
  it('interfaces of two copies of winrpc share the engine: each call gets its own reply', async () => {
    const addon = new FakeAddon();
    // Each copy (ESM, CommonJS) asks for the environment's engine; the first made it.
    const esm = fakeCalcClient(CallEngine.of(addon));
    const cjs = fakeCalcClient(CallEngine.of(addon));
    const a = esm.Add!(1, 2);
    const b = cjs.Add!(3, 4);
    expect(addon.callbackSets).toBe(1);
    const [idA, idB] = [...addon.calls.keys()];
    expect(idA).not.toBe(idB);
    addon.complete(idB!, 0, 7n);
    addon.complete(idA!, 0, 3n);
    expect(await Promise.all([a, b])).toEqual([3, 7]);
  });

  it('a second engine made over the same addon takes the completions from the first (why CallEngine.of)', async () => {
    const addon = new FakeAddon();
    const first = new CallEngine(addon);
    const promise = fakeCalcClient(first).Add!(1, 1);
    let settled = false;
    void promise.then(() => {
      settled = true;
    });
    const second = new CallEngine(addon);
    addon.complete(onlyId(addon), 0, 2n);
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    expect(first.callsInFlight).toBe(1);
    expect(second.callsInFlight).toBe(0);
  });
});
