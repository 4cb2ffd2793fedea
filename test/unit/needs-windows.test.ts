// Off Windows, winrpc compiles IDL and generates clients, and everything that would
// reach rpcrt4 fails with one clear RpcError rather than an addon load failure.
// (On Windows the e2e tests call for real; this file checks the other side.)
import { describe, expect, it } from 'vitest';
import { loadInterface, RpcBinding, RpcError } from '../../lib/index.js';
import { loadAddon } from '../../lib/runtime/load-addon.js';
import { CalcClient } from '../golden/calc.client.js';

const calcIdl = new URL('../servers/calc.idl', import.meta.url);
const needsWindows = { name: 'RpcError', code: 'ERROR_NOT_SUPPORTED', status: 50 };
/** What `fn` throws (undefined when it returns). */
const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
};

describe.skipIf(process.platform === 'win32')('off Windows', () => {
  it('compiles the IDL, then creating a client is the "needs Windows" RpcError', async () => {
    const calc = await loadInterface(calcIdl);
    expect(calc.procedures.map((p) => p.name)).toContain('Add');
    expect(calc.compiled.procFormat.length).toBeGreaterThan(0);

    const binding = RpcBinding.fromString('ncalrpc:[calc]');
    let error: unknown;
    try {
      calc.createClient(binding);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject(needsWindows);
    expect((error as Error).message).toMatch(
      new RegExp(`needs Windows, and this is ${process.platform}.*IDL compiler`),
    );
  });

  it('rejects a call with the same error (invoke, as generated clients call)', async () => {
    const calc = await loadInterface(calcIdl);
    const binding = RpcBinding.fromString('ncalrpc:[calc]');
    await expect(calc.invoke(binding, 'Add', [2, 3])).rejects.toMatchObject(needsWindows);
    await expect(new CalcClient(binding).Add(2, 3)).rejects.toMatchObject(needsWindows);
    expect(thrown(() => calc.begin(binding, 'Add', [2, 3]))).toMatchObject(needsWindows);
  });

  it('gives the same error for binding handles and the addon itself', () => {
    const binding = RpcBinding.fromString('ncalrpc:[calc]');
    // Describing a binding needs no runtime.
    expect(binding.toString()).toBe('ncalrpc:[calc]');
    expect(thrown(() => binding.handle())).toMatchObject(needsWindows);
    expect(() => loadAddon()).toThrowError(/needs Windows/);
  });

  it('still checks arguments first: a wrong argument is a TypeError, not the platform error', async () => {
    const calc = await loadInterface(calcIdl);
    const binding = RpcBinding.fromString('ncalrpc:[calc]');
    await expect(calc.invoke(binding, 'Add', ['two', 3])).rejects.toBeInstanceOf(TypeError);
  });
});
