// What the addon does with what it is given: arguments of the wrong kind, SEH
// exceptions under its guard, and the expression interpreter on hostile operands.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInterface, RpcBinding, type RpcInterface } from '../../lib/index.js';
import { EXPR_BINARY, EXPR_OP } from '../../lib/ndr/expr-program.js';
import { addonPath, loadAddon } from '../../lib/runtime/load-addon.js';
import { runNodeChild } from '../support/node-child.js';
import { type RunningServer, startServer, TEST_BINDING_OPTIONS } from '../support/rpc-server.js';
import { testHook } from '../support/test-hooks.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const RPC_X_INVALID_BOUND = 1734;
const RPC_S_ZERO_DIVIDE = 1767;

describe('typed array arguments', () => {
  let calc: RpcInterface;
  let server: RunningServer;
  let binding: RpcBinding;
  beforeAll(async () => {
    calc = await loadInterface(fileURLToPath(new URL('../servers/calc.idl', import.meta.url)));
    server = await startServer('calc', 'ncalrpc');
    binding = RpcBinding.fromString(server.binding, TEST_BINDING_OPTIONS);
  });
  afterAll(async () => {
    binding.free();
    await server.stop();
  });
  /** startCall with an 8-byte arena and `arenaSize` as its 9th argument. */
  const startWithArenaSize = (id: number, arenaSize: unknown) =>
    loadAddon().startCall(
      id,
      calc.nativeHandle(),
      binding.handle(),
      0,
      new Uint8Array(8),
      new Uint32Array(0),
      new BigUint64Array(4),
      new Uint32Array(0),
      arenaSize as number,
    );

  it('are refused with a TypeError when their element type is wrong', () => {
    const addon = loadAddon();
    const start = (arena: unknown, relocations: unknown, slots: unknown, pointerSlots: unknown) => () =>
      addon.startCall(
        0xfffffff0,
        calc.nativeHandle(),
        binding.handle(),
        0,
        arena as Uint8Array,
        relocations as Uint32Array,
        slots as BigUint64Array,
        pointerSlots as Uint32Array,
      );
    const ok = { arena: new Uint8Array(8), relocations: new Uint32Array(0), slots: new BigUint64Array(4) };
    // A Uint8Array of 16 bytes taken as 8-byte slots would be read as 16 slots (128 bytes).
    expect(start(ok.arena, ok.relocations, new Uint8Array(16), new Uint32Array(0))).toThrowError(
      /slots must be a BigUint64Array/,
    );
    expect(start(ok.arena, new Float64Array(2), ok.slots, new Uint32Array(0))).toThrowError(
      /relocations must be a Uint32Array/,
    );
    expect(start(new Uint16Array(4), ok.relocations, ok.slots, new Uint32Array(0))).toThrowError(
      /arena must be a Uint8Array/,
    );
    expect(start(ok.arena, ok.relocations, ok.slots, new BigUint64Array(1))).toThrowError(
      /pointerSlots must be a Uint32Array/,
    );
    expect(loadAddon().diagnostics().liveCalls).toBe(0);
  });

  it('refuse an arena size below what JS wrote, fractional, negative or not a number (the rest is allocated and zeroed, never read from JS)', () => {
    const start = (arenaSize: unknown) => () => startWithArenaSize(0xfffffff1, arenaSize);
    for (const bad of [7, 8.5, -1, Number.NaN, '16', 16n]) {
      expect(start(bad), String(bad)).toThrowError(/arenaSize must be a whole number >= the arena's length/);
    }
    expect(loadAddon().diagnostics()).toMatchObject({ liveCalls: 0, arenaBytes: 0 });
  });

  it('refuse an arena larger than one call can carry (2^31 - 1 bytes) with a RangeError, allocating nothing, and the binding still works', async () => {
    const start = (arenaSize: number) => () => startWithArenaSize(0xfffffff2, arenaSize);
    for (const huge of [2 ** 31, 2 ** 32, 2 ** 40, 2 ** 60, Number.POSITIVE_INFINITY]) {
      expect(start(huge), String(huge)).toThrowError(
        new RangeError(
          `winrpc: an arena of ${huge === Number.POSITIVE_INFINITY ? 'inf' : BigInt(huge)} bytes is more than one call can carry (2147483647)`,
        ),
      );
    }
    expect(loadAddon().diagnostics()).toMatchObject({ liveCalls: 0, arenaBytes: 0 });
    expect(await calc.createClient(binding).Add!(2, 3)).toBe(5);
  });
});

describe('the SEH guard', () => {
  it('turns RPC exceptions into statuses, but lets an access violation end the process', async () => {
    const { code, output } = await runNodeChild([fixture('seh-fatal.mjs'), addonPath()]);
    expect(output).toContain('caught 1722');
    expect(output).not.toContain(`caught ${0xc0000005}`);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull(); // ended by the exception, not killed by the time limit
  }, 60_000);
});

// Programs as lib/ndr/expr-program.ts encodes them: u8 hasFirst, [first], count.
const constant = (value: bigint) => {
  const bytes = new Uint8Array(9);
  bytes[0] = EXPR_OP.CONST;
  new DataView(bytes.buffer).setBigInt64(1, value, true);
  return [...bytes];
};
const binary = (op: string, left: number[], right: number[]) => [
  0x20 + EXPR_BINARY.indexOf(op as (typeof EXPR_BINARY)[number]),
  ...left,
  ...right,
];
const run = (count: number[]) => testHook('exprSelfTest')(Uint8Array.of(0, ...count), new Uint8Array(8));
const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;

describe('the expression interpreter', () => {
  it('evaluates a count', () => {
    expect(run(binary('*', binary('+', constant(5n), constant(3n)), constant(4n)))).toEqual({
      status: 0,
      offset: 0,
      maxCount: 32,
    });
  });

  it('raises RPC_X_INVALID_BOUND where 64-bit arithmetic would overflow, never undefined behaviour', () => {
    // Each overflow, had it wrapped, would end in a plausible count (1, 5, 8, 3): the
    // shape of a hostile reply that sizes an array by overflowing its size expression.
    const wrapsTo = (expr: number[], plus: bigint) => run(binary('+', expr, constant(plus)));
    expect(wrapsTo(binary('+', binary('+', constant(MAX), constant(1n)), constant(MAX)), 2n).status).toBe(
      RPC_X_INVALID_BOUND,
    );
    expect(wrapsTo(binary('+', [EXPR_OP.NEG, ...constant(MIN)], constant(MIN)), 5n).status).toBe(
      RPC_X_INVALID_BOUND,
    );
    expect(wrapsTo(binary('*', constant(MAX), constant(2n)), 10n).status).toBe(RPC_X_INVALID_BOUND);
    expect(wrapsTo(binary('-', binary('-', constant(MIN), constant(1n)), constant(MAX)), 3n).status).toBe(
      RPC_X_INVALID_BOUND,
    );
    expect(wrapsTo(binary('*', constant(MIN), constant(-1n)), MAX).status).toBe(RPC_X_INVALID_BOUND);
    // INT64_MIN / -1 traps on x64 (STATUS_INTEGER_OVERFLOW) where it is not checked first.
    expect(run(binary('/', constant(MIN), constant(-1n))).status).toBe(RPC_X_INVALID_BOUND);
    expect(run(binary('/', constant(1n), constant(0n))).status).toBe(RPC_S_ZERO_DIVIDE);
  });

  it('computes what does fit, up to the limits', () => {
    expect(run(binary('%', constant(MIN), constant(-1n)))).toMatchObject({ status: 0, maxCount: 0 });
    expect(run(binary('+', binary('*', constant(MIN / 2n), constant(-2n)), constant(MIN))).status).toBe(
      RPC_X_INVALID_BOUND,
    );
    expect(run(binary('-', binary('+', constant(MAX), constant(MIN)), constant(-1n)))).toMatchObject({
      status: 0,
      maxCount: 0,
    });
  });
});
