// A calc server implemented in JS (RpcInterface.createServer), served by the real
// runtime, called by winrpc's own client on every protocol sequence: return values,
// [out] values, statuses raised by the implementation, other exceptions, async
// implementations and the call's attributes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_FAILURE_STATUS,
  loadInterface,
  RpcBinding,
  type RpcClient,
  type RpcInterface,
  type RpcServer,
  type ServerCallInfo,
} from '../../lib/index.js';
import { CalcClient, type ICalcServer } from '../golden/calc.client.js';
import { TEST_BINDING_OPTIONS } from '../support/rpc-server.js';
import { freshEndpoint, PROTSEQS } from '../support/server-endpoints.js';

const calcIdl = new URL('../servers/calc.idl', import.meta.url);
let calc: RpcInterface;

beforeAll(async () => {
  calc = await loadInterface(calcIdl);
});

/** calc.c's manager routines, in JS. */
function calcImplementation(seen: ServerCallInfo[]) {
  return {
    Add(a: number, b: number, call: ServerCallInfo) {
      seen.push(call);
      return (a + b) | 0;
    },
    Divide(a: number, b: number) {
      if (b === 0) throw Object.assign(new Error('divide by zero'), { status: 1767 });
      return { remainder: (a % b) | 0, returnValue: (a / b) | 0 };
    },
    async Delay(ms: number) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
      return ms;
    },
    Fail(status: number) {
      if (status === 0) throw new Error('not a status');
      throw Object.assign(new Error('asked to fail'), { status });
    },
  };
}

describe.each(PROTSEQS)('a JS calc server over %s', (protseq) => {
  let server: RpcServer;
  let binding: RpcBinding;
  let client: RpcClient;
  const seen: ServerCallInfo[] = [];
  const errors: unknown[] = [];

  beforeAll(async () => {
    server = calc.createServer(calcImplementation(seen));
    server.on('error', (error) => errors.push(error));
    const address = await freshEndpoint(protseq, 'jscalc');
    const { endpoint } = await server.listen({ protseq, endpoint: address.endpoint, auth: 'none' });
    expect(endpoint).toBe(address.endpoint);
    binding = RpcBinding.fromString(address.binding, TEST_BINDING_OPTIONS);
    client = calc.createClient(binding);
  });
  afterAll(async () => {
    binding?.free();
    await server?.close();
  });

  it('returns what the implementation returns', async () => {
    expect(await client.Add!(2, 40)).toBe(42);
    expect(await client.Add!(0x7fffffff, 1)).toBe(-0x80000000);
  });

  it('returns [out] values with the return value', async () => {
    expect(await client.Divide!(7, 2)).toEqual({ remainder: 1, returnValue: 3 });
    expect(await client.Divide!(-9, 4)).toEqual({ remainder: -1, returnValue: -2 });
  });

  it('raises the status an implementation throws', async () => {
    await expect(client.Divide!(1, 0)).rejects.toMatchObject({ code: 'RPC_S_ZERO_DIVIDE', status: 1767 });
    await expect(client.Fail!(0x20000001)).rejects.toMatchObject({ status: 0x20000001 });
  });

  it('raises the default status for other exceptions and reports them as errors', async () => {
    const before = errors.length;
    await expect(client.Fail!(0)).rejects.toMatchObject({ status: DEFAULT_FAILURE_STATUS });
    expect(errors.length).toBe(before + 1);
    expect(String(errors.at(-1))).toContain('not a status');
  });

  it('waits for an async implementation', async () => {
    expect(await client.Delay!(50)).toBe(50);
  });

  it('passes the procedure and the protocol sequence as the last argument', async () => {
    await client.Add!(1, 1);
    const call = seen.at(-1);
    expect(call?.procedure).toBe('Add');
    // Wine's RpcServerInqCallAttributes may not say; when it does it names the protseq.
    if (call?.protseq !== undefined) expect(call.protseq).toBe(protseq);
  });
});

describe('a server typed by winrpc gen (ICalcServer)', () => {
  it('serves the generated client from a typed implementation', async () => {
    const impl: ICalcServer = {
      Add: (a, b) => a + b,
      Divide: async (a, b) => ({ remainder: a % b, returnValue: Math.trunc(a / b) }),
    };
    const server = CalcClient.interface.createServer(impl);
    const address = await freshEndpoint('ncalrpc', 'jstyped');
    await server.listen({ protseq: 'ncalrpc', endpoint: address.endpoint });
    const binding = RpcBinding.fromString(address.binding, TEST_BINDING_OPTIONS);
    try {
      const client = new CalcClient(binding);
      expect(await client.Add(20, 22)).toBe(42);
      expect(await client.Divide(9, 4)).toEqual({ remainder: 1, returnValue: 2 });
    } finally {
      binding.free();
      await server.close();
    }
  });
});
