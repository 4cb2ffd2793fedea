// Context handles over their whole life: held by every call that takes them (alone
// while [in, out]), destroyed on request (after the calls holding them) or once
// unreachable, and counted by diagnostics().
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ContextHandle,
  diagnostics,
  interfaceFromSource,
  RpcBinding,
  type RpcClient,
} from '../../lib/index.js';
import { heldDiagnostics } from '../support/held-diagnostics.js';
import { runNodeChild } from '../support/node-child.js';
import { type RunningServer, startServer, TEST_BINDING_OPTIONS } from '../support/rpc-server.js';

const sessionsIdl = readFileSync(new URL('../servers/sessions.idl', import.meta.url), 'utf8');
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const bundledWinrpc = pathToFileURL(fileURLToPath(new URL('../../dist/esm/index.js', import.meta.url))).href;

let server: RunningServer;
let binding: RpcBinding;
let client: RpcClient;

beforeAll(async () => {
  server = await startServer('sessions', 'ncalrpc');
  binding = RpcBinding.fromString(server.binding, TEST_BINDING_OPTIONS);
  client = interfaceFromSource(sessionsIdl, { file: 'sessions.idl' }).createClient(binding);
});
afterAll(async () => {
  binding.free();
  await server.stop();
});

const open = async (start: number) =>
  ((await client.OpenCounter!(start)) as { counter: ContextHandle }).counter;

describe('a context handle held [in, out] by a call in flight', () => {
  it('is busy: other uses get a clear TypeError until that call settles; destroy() waits for it', async () => {
    const before = diagnostics().contextHandles;
    const counter = await open(1);
    const closing = client.CloseCounter!(counter);
    expect(counter.busy).toBe(true);
    await expect(client.NextValue!(counter)).rejects.toThrowError(
      /NextValue\(counter\): the context handle is busy: a call in flight holds it \[in, out\]/,
    );
    await expect(client.CloseCounter!(counter)).rejects.toThrowError(TypeError);
    // Closed for new uses at once; the close in flight frees the client context itself.
    counter.destroy();
    expect(counter.isOpen).toBe(false);
    expect(await closing).toEqual({ counter: null });
    expect(counter.busy).toBe(false);
    expect(diagnostics().contextHandles).toBe(before);
    expect(await client.OpenCounters!()).toBe(0);
  });
});

describe('a close abandoned by an abort', () => {
  it('reads the handle back when the runtime completes the call, and leaves nothing behind', async () => {
    const before = heldDiagnostics();
    const counter = await open(3);
    const controller = new AbortController();
    const closing = client.CloseCounter!(counter, { signal: controller.signal });
    controller.abort();
    await expect(closing).rejects.toMatchObject({ code: 'RPC_S_CALL_CANCELLED' });
    // The runtime still has the call (under Wine its cancel is a stub: the close goes on).
    const until = Date.now() + 15_000;
    while (counter.busy && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(counter.busy).toBe(false);
    // The server closed it and the engine freed it: read back as closed, not destroyed.
    expect(counter.isOpen).toBe(false);
    expect(await client.OpenCounters!()).toBe(0);
    expect(heldDiagnostics()).toEqual(before);
  });
});

describe('a context handle passed [in] to calls in flight', () => {
  it('is held by each of them: many at once, a close refused meanwhile, destroy() after the last', async () => {
    const before = diagnostics().contextHandles;
    const counter = await open(40);
    const using = Array.from({ length: 8 }, () => client.NextValue!(counter));
    expect(counter.callsInFlight).toBe(8);
    await expect(client.CloseCounter!(counter)).rejects.toThrowError(
      /CloseCounter\(counter\): the context handle is in use by 8 call\(s\) in flight/,
    );
    counter.destroy();
    expect(counter.isOpen).toBe(false);
    // Its client context outlives destroy() while the calls hold it...
    expect(diagnostics().contextHandles).toBe(before + 1);
    // ...and every call completes against it.
    expect((await Promise.all(using)).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 8 }, (_, i) => 40 + i),
    );
    expect(diagnostics().contextHandles).toBe(before);
    await expect(client.NextValue!(counter)).rejects.toThrowError(/the context handle was closed/);
  });
});

describe('destroy()', () => {
  it('frees the client context without the server, and the handle is closed', async () => {
    const before = diagnostics().contextHandles;
    const counter = await open(7);
    expect(diagnostics().contextHandles).toBe(before + 1);
    expect(await client.NextValue!(counter)).toBe(7);
    counter.destroy();
    expect(counter.isOpen).toBe(false);
    expect(diagnostics().contextHandles).toBe(before);
    await expect(client.NextValue!(counter)).rejects.toThrowError(/the context handle was closed/);
    counter.destroy(); // once closed: nothing to do
  });

  it('destroys handles that become unreachable while open', async () => {
    const { code, output } = await runNodeChild([
      '--expose-gc',
      fixture('dropped-handles.mjs'),
      bundledWinrpc,
      server.binding,
      sessionsIdl,
    ]);
    expect(output).toContain('open 20');
    expect(output).toContain('after collection 0');
    expect(code).toBe(0);
  }, 60_000);
});

describe('diagnostics()', () => {
  it('counts handles while open, and none once closed', async () => {
    const before = heldDiagnostics();
    const a = await open(1);
    const b = (await client.OpenCounterRet!(2)) as ContextHandle;
    expect(diagnostics().contextHandles).toBe(before.contextHandles + 2);
    await client.CloseCounter!(a);
    await client.CloseCounter!(b);
    expect(heldDiagnostics()).toEqual({ ...before, contextHandles: before.contextHandles });
    expect(diagnostics()).toMatchObject({
      callsInFlight: 0,
      callsAbandoned: 0,
      liveNativeCalls: 0,
      arenaBytes: 0,
    });
  });
});
