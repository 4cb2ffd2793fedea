// What a call holds and when it lets go: the per-call state shared by the JS thread and
// the completion thread, the engine's counters (diagnostics) returning to zero after
// every way a call can end, and Worker termination with calls in flight.

import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnostics, loadInterface, RpcBinding, type RpcInterface } from '../../lib/index.js';
import { callEngine } from '../../lib/runtime/call-engine.js';
import { loadAddon } from '../../lib/runtime/load-addon.js';
import { heldDiagnostics } from '../support/held-diagnostics.js';
import { itUnlessWine } from '../support/lane.js';
import { runNodeChild } from '../support/node-child.js';
import { type RunningServer, startServer, TEST_BINDING_OPTIONS } from '../support/rpc-server.js';

const calcIdlPath = fileURLToPath(new URL('../servers/calc.idl', import.meta.url));
const calcIdl = readFileSync(calcIdlPath, 'utf8');
const built = (path: string) => fileURLToPath(new URL(`../../dist/${path}`, import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Waits until the environment's native calls are all gone (the runtime let go of them). */
async function nativeCallsDrained(limitMs = 15_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (loadAddon().diagnostics().liveCalls > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let calc: RpcInterface;
let server: RunningServer;
let binding: RpcBinding;

beforeAll(async () => {
  calc = await loadInterface(calcIdlPath);
  server = await startServer('calc', 'ncalrpc');
  binding = RpcBinding.fromString(server.binding, TEST_BINDING_OPTIONS);
});
afterAll(async () => {
  binding.free();
  await server.stop();
});

describe('the per-call state', () => {
  itUnlessWine(
    'RpcAsyncCancelCall and RpcAsyncGetCallStatus are stubs returning 1914, so nothing races the completion',
    'cancels and asks the status of calls while they complete, without touching a completed call',
    async () => {
      // Each call is cancelled (half abortively) and asked for its status at staggered
      // moments around its completion: before, while RpcAsyncCompleteCall runs on the
      // completion thread, and after.
      const calls = Array.from({ length: 400 }, (_, i) => calc.begin(binding, 'Delay', [i % 4]));
      // Each ends with its value or with RPC_S_CALL_CANCELLED: nothing else.
      const settled = calls.map((call, i) =>
        call.complete().then(
          (value) => (value === i % 4 ? 'value' : `wrong value ${String(value)}`),
          (error: unknown) => (error as { code?: string }).code,
        ),
      );
      for (let round = 0; round < 8; round++) {
        for (const [i, call] of calls.entries()) {
          if ((i + round) % 8 !== 0) continue;
          call.runtimeStatus();
          call.cancel({ abortive: i % 2 === 0 });
        }
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      for (const outcome of await Promise.all(settled)) {
        expect(['value', 'RPC_S_CALL_CANCELLED']).toContain(outcome);
      }
      await nativeCallsDrained();
      expect(loadAddon().diagnostics()).toMatchObject({ liveCalls: 0, abandonedCalls: 0, arenaBytes: 0 });
    },
  );

  itUnlessWine(
    'RpcAsyncCompleteCall before the notification blocks under Wine instead of answering RPC_S_ASYNC_CALL_PENDING',
    'a notification before the reply (RPC_S_ASYNC_CALL_PENDING from RpcAsyncCompleteCall) is not a completion',
    async () => {
      const call = calc.begin(binding, 'Delay', [300]);
      const id = (call as unknown as { id: number }).id;
      expect(loadAddon().testEarlyNotification!(id)).toBe(997);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(call.tryComplete()).toEqual({ pending: true, code: 'RPC_S_ASYNC_CALL_PENDING' });
      expect(await call.complete()).toBe(300);
    },
  );
});

describe('completion statuses', () => {
  it('the lane builds the addon with its test-only hook (production builds leave it out)', () => {
    expect(loadAddon().testEarlyNotification).toBeTypeOf('function');
    // Nothing is issued under this id: nothing is completed.
    expect(loadAddon().testEarlyNotification!(0xfffffff0)).toBeNull();
  });

  it('a server failing a call with 997 (RPC_S_ASYNC_CALL_PENDING) fails it at once, not as "still pending"', async () => {
    const client = calc.createClient(binding);
    const started = Date.now();
    const error = await client.Fail!(997, { timeout: 10_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 997, code: 'RPC_S_ASYNC_CALL_PENDING', procedure: 'Fail' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await client.Add!(2, 3)).toBe(5);
    expect(loadAddon().diagnostics()).toMatchObject({ liveCalls: 0, abandonedCalls: 0 });
  });
});

describe('the counters return to zero', () => {
  it('after plain calls, failed calls and calls refused at once', async () => {
    const client = calc.createClient(binding);
    expect(await Promise.all(Array.from({ length: 50 }, (_, i) => client.Add!(i, 1)))).toHaveLength(50);
    await client.Divide!(1, 0).catch(() => {});
    const nowhere = RpcBinding.fromString('ncalrpc:[winrpc_nobody_listens]', TEST_BINDING_OPTIONS);
    await calc.createClient(nowhere).Add!(1, 2).catch(() => {});
    nowhere.free();
    expect(loadAddon().diagnostics()).toMatchObject({
      inFlight: 0,
      liveCalls: 0,
      abandonedCalls: 0,
      arenaBytes: 0,
    });
    expect(callEngine().callsInFlight).toBe(0);
  });

  it('after timeouts, once the runtime has completed the abandoned calls', async () => {
    const client = calc.createClient(binding);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        client.Delay!(400, { timeout: 20 }).catch((e: { code: string }) => e.code),
      ),
    );
    expect(results).toEqual(Array(20).fill('RPC_S_TIMEOUT'));
    // Settled, not waited for, but still the runtime's: counted as abandoned.
    expect(loadAddon().diagnostics()).toMatchObject({ inFlight: 0, liveCalls: 20, abandonedCalls: 20 });
    expect(callEngine().callsAbandoned).toBe(20);
    await nativeCallsDrained();
    expect(loadAddon().diagnostics()).toMatchObject({ liveCalls: 0, abandonedCalls: 0, arenaBytes: 0 });
    expect(callEngine().callsAbandoned).toBe(0);
  });
});

describe('diagnostics() returns to zero', () => {
  const zero = { callsInFlight: 0, callsAbandoned: 0, liveNativeCalls: 0, arenaBytes: 0 };

  it('after aborted calls, once the runtime has completed them', async () => {
    const client = calc.createClient(binding);
    const controller = new AbortController();
    const calls = Array.from({ length: 10 }, () =>
      client.Delay!(300, { signal: controller.signal }).catch((e: { code: string }) => e.code),
    );
    controller.abort();
    expect(await Promise.all(calls)).toEqual(Array(10).fill('RPC_S_CALL_CANCELLED'));
    expect(diagnostics()).toMatchObject({ callsInFlight: 0, callsAbandoned: 10, liveNativeCalls: 10 });
    await nativeCallsDrained();
    expect(diagnostics()).toMatchObject(zero);
  });

  it('for binding handles once freed, and those of calls in flight when those end', async () => {
    const before = diagnostics().bindingHandles;
    const extra = RpcBinding.fromString(server.binding, TEST_BINDING_OPTIONS);
    const pending = calc.createClient(extra).Delay!(200);
    expect(diagnostics().bindingHandles).toBe(before + 1);
    extra.free();
    expect(diagnostics().bindingHandles).toBe(before + 1); // the call still holds it
    expect(await pending).toBe(200);
    expect(diagnostics().bindingHandles).toBe(before);
  });

  it('in a Worker after calls, timeouts and aborts', async () => {
    const worker = new Worker(fixture('worker-counters.mjs'), {
      workerData: {
        winrpc: pathToFileURL(built('esm/index.js')).href,
        idl: calcIdl,
        binding: server.binding,
      },
    });
    const [report] = await once(worker, 'message');
    expect(report.during).toMatchObject({ callsInFlight: 0, callsAbandoned: 10 });
    expect(report.after).toEqual({ ...zero, takenArenaBytes: 0, bindingHandles: 0, contextHandles: 0 });
    await once(worker, 'exit');
  }, 60_000);

  it('here, after a Worker is terminated with calls in flight', async () => {
    const before = heldDiagnostics();
    const worker = new Worker(fixture('worker-counters.mjs'), {
      workerData: {
        winrpc: pathToFileURL(built('esm/index.js')).href,
        idl: calcIdl,
        binding: server.binding,
        hold: true,
      },
    });
    const [report] = await once(worker, 'message');
    expect(report).toEqual({ inFlight: 50 });
    await worker.terminate();
    // The Worker's calls belong to nobody now; they are not counted here, and this
    // environment's calls go on.
    expect(heldDiagnostics()).toEqual(before);
    expect(await calc.createClient(binding).Add!(1, 1)).toBe(2);
    expect(heldDiagnostics()).toEqual(before);
  }, 60_000);
});

describe('signal and timeout', () => {
  it('an abort rejects within a few ms, with the reason as cause, while the call runs on', async () => {
    const client = calc.createClient(binding);
    const controller = new AbortController();
    const pending = client.Delay!(5000, { signal: controller.signal }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reason = new Error('user gave up');
    const abortedAt = performance.now();
    controller.abort(reason);
    const error = await pending;
    expect(performance.now() - abortedAt).toBeLessThan(50);
    expect(error).toMatchObject({ code: 'RPC_S_CALL_CANCELLED', cause: reason });
    // The runtime still has the call (under Wine, until the server replies).
    expect(loadAddon().diagnostics().liveCalls).toBeGreaterThan(0);
  });

  it('a timeout of 2^31 ms does not fire at once', async () => {
    const client = calc.createClient(binding);
    expect(await client.Delay!(100, { timeout: 2 ** 31, cancelGraceMs: 2 ** 31 })).toBe(100);
  });

  itUnlessWine(
    'RpcAsyncCancelCall is a stub returning 1914, so a call to a slow server ends only when it replies',
    'a timed-out call is cancelled abortively after the grace period, and everything it held is released',
    async () => {
      const client = calc.createClient(binding);
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          client.Delay!(30_000, { timeout: 50, cancelGraceMs: 100 }).catch((e: { code: string }) => e.code),
        ),
      );
      expect(results).toEqual(Array(10).fill('RPC_S_TIMEOUT'));
      await nativeCallsDrained(5000);
      expect(loadAddon().diagnostics()).toMatchObject({ liveCalls: 0, abandonedCalls: 0, arenaBytes: 0 });
    },
  );
});

describe('one engine per environment', () => {
  it('calls through the ES module and the CommonJS build loaded in one process', async () => {
    const { code, output } = await runNodeChild([
      fixture('esm-and-cjs.mjs'),
      pathToFileURL(built('esm/index.js')).href,
      built('cjs/index.js'),
      server.binding,
      calcIdl,
    ]);
    expect(output).toContain('esm 3');
    expect(output).toContain('cjs 7');
    expect(output).toContain('both 200,100,11,15');
    expect(code).toBe(0);
  }, 60_000);
});
