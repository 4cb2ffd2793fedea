// What the addon does with what it is given: arguments of the wrong kind, SEH
// exceptions under its guard, and the expression interpreter on hostile operands.
import { describe, expect, it } from 'vitest';
import { EXPR_BINARY, EXPR_OP } from '../../lib/ndr/expr-program.js';
import { loadAddon } from '../../lib/runtime/load-addon.js';

const RPC_X_INVALID_BOUND = 1734;
const RPC_S_ZERO_DIVIDE = 1767;

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
const run = (count: number[]) => loadAddon().exprSelfTest(Uint8Array.of(0, ...count), new Uint8Array(8));
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
