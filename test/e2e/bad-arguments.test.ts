// Wrong arguments through real clients: the method (async) returns a promise that
// rejects with the TypeError/RangeError of the encoder, and nothing reaches native
// code or the server: no call is in flight afterwards, a Shutdown with a wrong
// argument leaves the server running, and a dead endpoint is never contacted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInterface, RpcBinding, type RpcClient, type RpcInterface } from '../../lib/index.js';
import { callEngine } from '../../lib/runtime/call-engine.js';
import { PROTSEQS, type RunningServer, startServer, TEST_BINDING_OPTIONS } from '../support/rpc-server.js';
import { freshEndpoint } from '../support/server-endpoints.js';

let calc: RpcInterface;
let types: RpcInterface;

beforeAll(async () => {
  calc = await loadInterface(new URL('../servers/calc.idl', import.meta.url));
  types = await loadInterface(new URL('../servers/types.idl', import.meta.url));
});

const inFlight = () => callEngine().addon.diagnostics().inFlight;

describe.each(PROTSEQS)('bad arguments over %s', (protseq) => {
  let calcServer: RunningServer;
  let typesServer: RunningServer;
  let calcBinding: RpcBinding;
  let typesBinding: RpcBinding;
  let calcClient: RpcClient;
  let typesClient: RpcClient;

  beforeAll(async () => {
    [calcServer, typesServer] = await Promise.all([
      startServer('calc', protseq),
      startServer('types', protseq),
    ]);
    calcBinding = RpcBinding.fromString(calcServer.binding, TEST_BINDING_OPTIONS);
    typesBinding = RpcBinding.fromString(typesServer.binding, TEST_BINDING_OPTIONS);
    calcClient = calc.createClient(calcBinding);
    typesClient = types.createClient(typesBinding);
  });
  afterAll(async () => {
    calcBinding.free();
    typesBinding.free();
    await Promise.all([calcServer.stop(), typesServer.stop()]);
  });

  it('rejects with a TypeError before anything is issued', async () => {
    const before = inFlight();
    const pending = calcClient.Add!('x', 1);
    // Encoding ran synchronously inside the call: nothing was handed to native code.
    expect(inFlight()).toBe(before);
    const error = (await pending.catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/^Add\(a\): expected an integer, got the string "x"/);
    expect(error.stack).toContain('bad-arguments.test.ts');
    expect(await calcClient.Add!(40, 2)).toBe(42);
  });

  it('rejects missing, extra and out-of-range arguments the same way', async () => {
    await expect(calcClient.Add!(1)).rejects.toThrow(new TypeError('Add(b): missing argument'));
    await expect(calcClient.Add!(1, 2, 3)).rejects.toThrow(TypeError);
    await expect(calcClient.Add!(1, 2 ** 31)).rejects.toThrow(RangeError);
    await expect(calcClient.Divide!(7, 2, 0)).rejects.toThrow(TypeError); // [out] takes no argument
    expect(await calcClient.Divide!(7, 2)).toEqual({ remainder: 1, returnValue: 3 });
  });

  it('never sends a call whose arguments are wrong: the server keeps running', async () => {
    // Were this Shutdown sent, the server would stop and the next call would fail.
    await expect(calcClient.Shutdown!('now')).rejects.toThrow(TypeError);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await calcClient.Add!(1, 2)).toBe(3);
  });

  it('rejects wrong values deep inside arguments with their path', async () => {
    const point = { x: 1, y: 2n, z: 3, tag: 4, c: 'c' };
    await expect(typesClient.TransformPoint!({ ...point, y: 1.5 })).rejects.toThrow(
      /^TransformPoint\(in\)\.y: /,
    );
    await expect(typesClient.TransformPoint!({ ...point, tag: 1e6 })).rejects.toThrow(RangeError);
    await expect(typesClient.SumLongs!(3, [1, 2])).rejects.toThrow(RangeError);
    await expect(typesClient.SumLongs!(undefined, [1, 'two'])).rejects.toThrow(/^SumLongs\(values\)\[1\]: /);
    await expect(typesClient.ShoutA!(2, 'abc')).rejects.toThrow(RangeError);
    await expect(typesClient.StringLengthW!('a\0b')).rejects.toThrow(TypeError);
    await expect(typesClient.InOutLong!(null)).rejects.toThrow(/\[ref\] pointer cannot be null/);
    await expect(typesClient.EchoShape!('SHAPE_HEXAGON')).rejects.toThrow(TypeError);
    expect(await typesClient.TransformPoint!(point)).toEqual({
      out: { x: 2, y: 3n, z: -3, tag: 5, c: 'd' },
    });
  });

  it('throws synchronously from the low-level begin()', () => {
    const before = inFlight();
    expect(() => calc.begin(calcBinding, 'Add', [1, '2'])).toThrow(/^Add\(b\): /);
    expect(() => calc.begin(calcBinding, 'Add', [1, 2, 3])).toThrow(TypeError);
    expect(inFlight()).toBe(before);
  });

  it('reports the argument, not the dead server, when both are wrong', async () => {
    const { binding: nowhere } = await freshEndpoint(protseq, 'nobody');
    const binding = RpcBinding.fromString(nowhere, TEST_BINDING_OPTIONS);
    try {
      await expect(calc.createClient(binding).Add!(1, null)).rejects.toThrow(TypeError);
    } finally {
      binding.free();
    }
  });
});
