// Context handles end to end: opened ([out] and returned), used, closed ([in, out]),
// used after close, and kept to their interface.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContextHandle, interfaceFromSource, RpcBinding, type RpcClient } from '../../lib/index.js';
import { PROTSEQS, type RunningServer, startServer, TEST_BINDING_OPTIONS } from '../support/rpc-server.js';

const sessionsIdl = readFileSync(new URL('../servers/sessions.idl', import.meta.url), 'utf8');

describe.each(PROTSEQS)('context handles over %s', (protseq) => {
  let server: RunningServer;
  let binding: RpcBinding;
  let client: RpcClient;

  beforeAll(async () => {
    server = await startServer('sessions', protseq);
    binding = RpcBinding.fromString(server.binding, TEST_BINDING_OPTIONS);
    client = interfaceFromSource(sessionsIdl, { file: 'sessions.idl' }).createClient(binding);
  });
  afterAll(async () => {
    binding.free();
    await server.stop();
  });

  it('opens, uses and closes a handle, which then refuses to be used', async () => {
    const { counter } = (await client.OpenCounter!(10)) as { counter: ContextHandle };
    expect(counter).toBeInstanceOf(ContextHandle);
    expect(counter.isOpen).toBe(true);
    expect(await client.OpenCounters!()).toBe(1);
    expect(await client.NextValue!(counter)).toBe(10);
    expect(await client.NextValue!(counter)).toBe(11);

    expect(await client.CloseCounter!(counter)).toEqual({ counter: null });
    expect(counter.isOpen).toBe(false);
    expect(await client.OpenCounters!()).toBe(0);
    await expect(client.NextValue!(counter)).rejects.toThrowError(
      /NextValue\(counter\): the context handle was closed/,
    );
    await expect(client.CloseCounter!(counter)).rejects.toThrowError(TypeError);
  });

  it('returns a handle as the return value, and keeps handles apart', async () => {
    const a = (await client.OpenCounterRet!(100)) as ContextHandle;
    const { counter: b } = (await client.OpenCounter!(200)) as { counter: ContextHandle };
    expect(await client.NextValue!(a)).toBe(100);
    expect(await client.NextValue!(b)).toBe(200);
    expect(await client.NextValue!(a)).toBe(101);
    await client.CloseCounter!(a);
    await client.CloseCounter!(b);
    expect(await client.OpenCounters!()).toBe(0);
  });

  it('closes a handle through its close procedure when an `await using` scope ends', async () => {
    {
      await using counter = ((await client.OpenCounter!(5)) as { counter: ContextHandle }).counter;
      expect(await client.NextValue!(counter)).toBe(5);
      expect(await client.OpenCounters!()).toBe(1);
    }
    expect(await client.OpenCounters!()).toBe(0);
    const closed = (await client.OpenCounterRet!(1)) as ContextHandle;
    await client.CloseCounter!(closed);
    await closed[Symbol.asyncDispose](); // already closed: nothing to do
    expect(await client.OpenCounters!()).toBe(0);
  });

  it('refuses a handle of another interface, and values that are no handle', async () => {
    const twin = interfaceFromSource(sessionsIdl.replace('3a6c9e21', '3a6c9e22'), { file: 'twin.idl' });
    const { counter } = (await client.OpenCounter!(1)) as { counter: ContextHandle };
    await expect(twin.createClient(binding).NextValue!(counter)).rejects.toThrowError(/another interface/);
    await expect(client.NextValue!(42)).rejects.toThrowError(/expected a context handle/);
    await client.CloseCounter!(counter);
  });
});
