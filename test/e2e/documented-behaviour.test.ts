// What the README promises about bindings, interface choice and the statuses it uses to
// diagnose an IDL mismatch, checked against the calc server with real calls.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interfaceFromSource, RpcBinding, RpcError, type RpcInterface } from '../../lib/index.js';
import { itUnlessWine } from '../support/lane.js';
import { type RunningServer, startServer, TEST_BINDING_OPTIONS } from '../support/rpc-server.js';

const calcIdl = readFileSync(new URL('../servers/calc.idl', import.meta.url), 'utf8');
const bundledWinrpc = pathToFileURL(fileURLToPath(new URL('../../dist/esm/index.js', import.meta.url))).href;
let calc: RpcInterface;
let server: RunningServer;

beforeAll(async () => {
  calc = interfaceFromSource(calcIdl, { file: 'calc.idl' });
  server = await startServer('calc', 'ncalrpc');
});
afterAll(async () => {
  await server.stop();
});

/** The RpcError a promise rejects with (the test fails if it resolves or throws another error). */
async function rpcErrorOf(promise: Promise<unknown>): Promise<RpcError> {
  const error = await promise.then(
    (value) => new Error(`resolved with ${JSON.stringify(value)}`),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RpcError);
  return error as RpcError;
}

describe('binding options', () => {
  it('a binding timeout ends the calls that name none, and a call timeout overrides it', async () => {
    const binding = RpcBinding.fromString(server.binding, { ...TEST_BINDING_OPTIONS, timeout: 150 });
    const client = calc.createClient(binding);
    const started = Date.now();
    const error = await rpcErrorOf(client.Delay!(5000));
    expect(error.code).toBe('RPC_S_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(4000);
    expect(await client.Delay!(400, { timeout: 10_000 })).toBe(400);
    binding.free();
  }, 30_000);

  it('free() with calls in flight: those calls complete, later ones are refused', async () => {
    const binding = RpcBinding.fromString(server.binding, TEST_BINDING_OPTIONS);
    const client = calc.createClient(binding);
    const inFlight = [client.Delay!(300), client.Add!(40, 2)];
    binding.free();
    expect(await Promise.all(inFlight)).toEqual([300, 42]);
    const error = await rpcErrorOf(client.Add!(1, 1));
    expect(error.code).toBe('RPC_S_INVALID_BINDING');
  }, 30_000);
});

describe("the README's IDL-mismatch statuses", () => {
  it('RPC_S_UNKNOWN_IF: the server does not offer this interface uuid', async () => {
    const stranger = interfaceFromSource(calcIdl.replace(/uuid\([^)]*\)/, `uuid(${randomUUID()})`), {
      file: 'stranger.idl',
    });
    const binding = RpcBinding.fromString(server.binding, TEST_BINDING_OPTIONS);
    const error = await rpcErrorOf(stranger.createClient(binding).Add!(1, 2));
    expect(error.code).toBe('RPC_S_UNKNOWN_IF');
    expect(error.status).toBe(1717);
    binding.free();
  }, 30_000);

  it('RPC_S_UNKNOWN_IF: the server offers another version of it', async () => {
    const newer = interfaceFromSource(calcIdl.replace(/version\(1\.0\)/, 'version(2.0)'), { file: 'v2.idl' });
    const binding = RpcBinding.fromString(server.binding, TEST_BINDING_OPTIONS);
    const error = await rpcErrorOf(newer.createClient(binding).Add!(1, 2));
    expect(error.code).toBe('RPC_S_UNKNOWN_IF');
    binding.free();
  }, 30_000);

  // Each of these gets a server of its own: under Wine, a call for a procedure number the
  // server lacks leaves a stale reply on the connection, which every binding to that
  // endpoint in this process shares (see docs/notes.md).
  const longerCalc = () =>
    interfaceFromSource(calcIdl.replace(/\}\s*$/, '    long Extra([in] long a);\n}\n'), {
      file: 'longer.idl',
    });

  it('RPC_S_PROCNUM_OUT_OF_RANGE: the client knows a procedure the server does not', async () => {
    const longer = longerCalc();
    expect(longer.procedures.at(-1)?.name).toBe('Extra');
    const own = await startServer('calc', 'ncalrpc');
    const binding = RpcBinding.fromString(own.binding, TEST_BINDING_OPTIONS);
    const error = await rpcErrorOf(longer.createClient(binding).Extra!(1));
    expect(error.code).toBe('RPC_S_PROCNUM_OUT_OF_RANGE');
    expect(error.status).toBe(1745);
    expect(error.procedure).toBe('Extra');
    binding.free();
    await own.stop();
  }, 30_000);

  itUnlessWine(
    "Wine's server answers an out-of-range opnum with a fault and then a response echoing the request, so the next reply on that connection is stale",
    'after RPC_S_PROCNUM_OUT_OF_RANGE the next call on the binding gets its own reply',
    async () => {
      const own = await startServer('calc', 'ncalrpc');
      const binding = RpcBinding.fromString(own.binding, TEST_BINDING_OPTIONS);
      const client = longerCalc().createClient(binding);
      await rpcErrorOf(client.Extra!(1));
      expect(await client.Add!(2, 2)).toBe(4);
      expect(await client.Divide!(7, 2)).toEqual({ remainder: 1, returnValue: 3 });
      binding.free();
      await own.stop();
    },
    30_000,
  );

  it('RPC_S_INVALID_STRING_BINDING: a string binding the runtime cannot parse', async () => {
    for (const text of ['ncalrpc:[unclosed', 'ncalrpc:[calc]junk']) {
      // The runtime parses it when the handle is made: at fromString or at the first call.
      const error = await rpcErrorOf(
        (async () => calc.createClient(RpcBinding.fromString(text, TEST_BINDING_OPTIONS)).Add!(1, 2))(),
      );
      expect(error.code, text).toBe('RPC_S_INVALID_STRING_BINDING');
      expect(error.status, text).toBe(1700);
      expect(error.message, text).toContain(text);
    }
  });

  it('a string that is no string binding at all is a TypeError before the runtime sees it', () => {
    expect(() => RpcBinding.fromString('this is not a binding', TEST_BINDING_OPTIONS)).toThrow(TypeError);
  });
});

describe('choosing an interface', () => {
  const two = `${calcIdl}
[uuid(6a2f0c1e-2b7d-4e51-9a3c-0d8e7f1b2c44), version(1.0)]
interface other
{
    long Other([in] long a);
}
`;

  it('options.name picks one of several interfaces, which then calls its server', async () => {
    const chosen = interfaceFromSource(two, { file: 'two.idl', name: 'calc' });
    expect(chosen.name).toBe('calc');
    expect(interfaceFromSource(two, { file: 'two.idl' }).name).toBe('calc');
    expect(
      interfaceFromSource(two, { file: 'two.idl', name: 'other' }).procedures.map((p) => p.name),
    ).toEqual(['Other']);
    const binding = RpcBinding.fromString(server.binding, TEST_BINDING_OPTIONS);
    expect(await chosen.createClient(binding).Add!(20, 22)).toBe(42);
    binding.free();
  }, 30_000);

  it('a name the IDL does not define is a TypeError listing the ones it does', () => {
    expect(() => interfaceFromSource(two, { file: 'two.idl', name: 'missing' })).toThrow(
      /two\.idl: no interface missing \(found: calc, other\)/,
    );
  });
});

describe('Workers', () => {
  it('a Worker makes real calls that complete there, and then exits by itself', async () => {
    const worker = new Worker(
      fileURLToPath(new URL('./fixtures/calls-complete-in-worker.mjs', import.meta.url)),
      {
        workerData: { winrpc: bundledWinrpc, idl: calcIdl, binding: server.binding },
      },
    );
    const [message] = await once(worker, 'message');
    expect(message).toEqual({ sums: [3, 7, 11], remainder: 1, timeoutCode: 'RPC_S_TIMEOUT' });
    const [code] = await once(worker, 'exit');
    expect(code).toBe(0);
  }, 60_000);
});
