// The engine end to end against the calc server: return values, [out] values, server
// errors, many calls in flight, timeouts and dead servers, on every protocol sequence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isRpcError,
  loadInterface,
  RpcBinding,
  type RpcClient,
  RpcError,
  type RpcInterface,
} from '../../lib/index.js';
import { PROTSEQS, type RunningServer, startServer, TEST_BINDING_OPTIONS } from '../support/rpc-server.js';

const calcIdl = new URL('../servers/calc.idl', import.meta.url);
let calc: RpcInterface;

beforeAll(async () => {
  calc = await loadInterface(calcIdl);
});

describe.each(PROTSEQS)('calc over %s', (protseq) => {
  let server: RunningServer;
  let binding: RpcBinding;
  let client: RpcClient;

  beforeAll(async () => {
    server = await startServer('calc', protseq);
    binding = RpcBinding.fromString(server.binding, TEST_BINDING_OPTIONS);
    client = calc.createClient(binding);
  });
  afterAll(async () => {
    binding.free();
    await server.stop();
  });

  it('returns the remote return value', async () => {
    expect(await client.Add!(2, 40)).toBe(42);
    expect(await client.Add!(0x7fffffff, 1)).toBe(-0x80000000);
  });

  it('takes an options object after the arguments, and refuses unknown options', async () => {
    expect(await client.Add!(1, 2, {})).toBe(3);
    expect(await client.Add!(1, 2, { timeout: 5000 })).toBe(3);
    await expect(client.Add!(1, 2, { timeot: 5 })).rejects.toThrowError(/unknown option timeot/);
    await expect(client.Add!(1, 2, 3)).rejects.toThrowError(TypeError);
  });

  it('returns [out] values with the return value', async () => {
    expect(await client.Divide!(7, 2)).toEqual({ remainder: 1, returnValue: 3 });
    expect(await client.Divide!(-9, 4)).toEqual({ remainder: -1, returnValue: -2 });
  });

  it('rejects with the status a server procedure raises', async () => {
    const error = await client.Divide!(1, 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({
      code: 'RPC_S_ZERO_DIVIDE',
      status: 1767,
      procedure: 'Divide',
      interface: 'calc',
    });
    await expect(client.Fail!(0x20000001)).rejects.toMatchObject({ code: '0x20000001', status: 0x20000001 });
  });

  it('keeps the caller in the stack of a rejection', async () => {
    const error = (await client.Fail!(5).catch((e: unknown) => e)) as Error;
    expect(isRpcError(error, 'RPC_S_ACCESS_DENIED')).toBe(true);
    expect(error.stack).toContain('calc.test.ts');
  });

  it('completes 1000 calls in flight on one binding', async () => {
    const calls = Array.from({ length: 1000 }, (_, i) => client.Add!(i, i * 1000));
    const results = await Promise.all(calls);
    expect(results).toEqual(Array.from({ length: 1000 }, (_, i) => i + i * 1000));
  }, 120_000);

  it('settles with RPC_S_TIMEOUT when the reply is late, and the binding stays usable', async () => {
    const started = Date.now();
    await expect(client.Delay!(3000, { timeout: 200 })).rejects.toMatchObject({ code: 'RPC_S_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(2500);
    expect(await client.Add!(1, 1)).toBe(2);
  });
});
