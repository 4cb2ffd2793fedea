// The committed generated calc client (test/golden) against the calc server, next to a
// dynamic client of the same IDL: one runtime, the same results and the same errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInterface, RpcBinding, type RpcClient, RpcError } from '../../lib/index.js';
import { CalcClient, calcInterface } from '../golden/calc.client.js';
import { type RunningServer, startServer, TEST_BINDING_OPTIONS } from '../support/rpc-server.js';

let server: RunningServer;
let binding: RpcBinding;
let generated: CalcClient;
let dynamic: RpcClient;

beforeAll(async () => {
  server = await startServer('calc', 'ncalrpc');
  binding = RpcBinding.fromString(server.binding, TEST_BINDING_OPTIONS);
  generated = new CalcClient(binding);
  dynamic = (await loadInterface(new URL('../servers/calc.idl', import.meta.url))).createClient(binding);
});
afterAll(async () => {
  binding.free();
  await server.stop();
});

describe('generated calc client', () => {
  it('embeds the same compiled interface the IDL gives', async () => {
    const fromIdl = await loadInterface(new URL('../servers/calc.idl', import.meta.url));
    expect(calcInterface.compiled).toEqual(fromIdl.compiled);
  });

  it('resolves as the dynamic client does', async () => {
    expect(await generated.Add(2, 40)).toBe(42);
    expect(await generated.Add(2, 40)).toBe(await dynamic.Add!(2, 40));
    expect(await generated.Divide(-9, 4)).toEqual({ remainder: -1, returnValue: -2 });
    expect(await generated.Divide(-9, 4)).toEqual(await dynamic.Divide!(-9, 4));
    expect(await generated.Fail(0)).toBeUndefined();
  });

  it('rejects with the same RpcError, keeping the caller in the stack', async () => {
    const error = await generated.Divide(1, 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: 'RPC_S_ZERO_DIVIDE', procedure: 'Divide', interface: 'calc' });
    expect((error as Error).stack).toContain('generated-client.test.ts');
    const fromDynamic = await dynamic.Divide!(1, 0).catch((e: unknown) => e);
    expect((fromDynamic as RpcError).message).toBe((error as RpcError).message);
  });

  it('takes call options: timeout, and an empty options object', async () => {
    await expect(generated.Delay(3000, { timeout: 200 })).rejects.toMatchObject({ code: 'RPC_S_TIMEOUT' });
    expect(await generated.Delay(0, {})).toBe(0);
  });

  it('checks arguments the same way, as rejections', async () => {
    // A caller without types (plain JS) still gets the runtime's checks.
    const add = generated.Add as (...args: unknown[]) => Promise<number>;
    await expect(add.call(generated, 'x', 1)).rejects.toThrow(TypeError);
    await expect(add.call(generated, 'x', 1)).rejects.toThrow('Add(a): expected an integer');
  });

  it('keeps many calls in flight', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => generated.Add(i, i)));
    expect(results).toEqual(Array.from({ length: 200 }, (_, i) => 2 * i));
  });
});
