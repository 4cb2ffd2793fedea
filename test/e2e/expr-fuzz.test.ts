// Random expression programs and operands through the addon's expression interpreter
// (the routine the NDR engine calls back for size_is/first_is expressions), checked
// against a BigInt model of the same C semantics: every program gives a status, and a
// successful one the model's count. Seeded, so a failure names a reproducible case.
import { describe, expect, it } from 'vitest';
import { EXPR_BINARY, EXPR_OP } from '../../lib/ndr/expr-program.js';
import { testHook } from '../support/test-hooks.js';

const RPC_X_INVALID_BOUND = 1734;
const RPC_S_ZERO_DIVIDE = 1767;
const RPC_X_BAD_STUB_DATA = 1783;
const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;
const FRAME_BYTES = 64;
const PROGRAMS = 100_000;

/** mulberry32: small, seeded, good enough to spread test cases. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Expr =
  | { op: 'const'; value: bigint }
  | { op: 'load'; offset: number; width: 1 | 2 | 4 | 8; signed: boolean }
  | { op: 'neg' | 'bitnot' | 'not'; x: Expr }
  | { op: 'binary'; index: number; l: Expr; r: Expr }
  | { op: 'cond'; test: Expr; a: Expr; b: Expr };

class Failure {
  constructor(readonly status: number) {}
}

const INTERESTING = [0n, 1n, -1n, 2n, -2n, 63n, 64n, MIN, MAX, MIN + 1n, MAX - 1n, 0xffffffffn, 2n ** 32n];

function generate(next: () => number, depth: number): Expr {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const leaf = depth <= 0 || next() < 0.3;
  if (leaf) {
    if (next() < 0.4) {
      const width = pick([1, 2, 4, 8] as const);
      return {
        op: 'load',
        offset: Math.floor(next() * (FRAME_BYTES - width + 1)),
        width,
        signed: next() < 0.5,
      };
    }
    const value =
      next() < 0.5
        ? pick(INTERESTING)
        : BigInt.asIntN(
            64,
            (BigInt(Math.floor(next() * 2 ** 32)) << 32n) | BigInt(Math.floor(next() * 2 ** 32)),
          );
    return { op: 'const', value: next() < 0.3 ? BigInt(Math.floor(next() * 200) - 100) : value };
  }
  const kind = next();
  if (kind < 0.15) return { op: pick(['neg', 'bitnot', 'not'] as const), x: generate(next, depth - 1) };
  if (kind < 0.25) {
    return {
      op: 'cond',
      test: generate(next, depth - 1),
      a: generate(next, depth - 1),
      b: generate(next, depth - 1),
    };
  }
  return {
    op: 'binary',
    index: Math.floor(next() * EXPR_BINARY.length),
    l: generate(next, depth - 1),
    r: generate(next, depth - 1),
  };
}

function encode(e: Expr, out: number[]): void {
  switch (e.op) {
    case 'const': {
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setBigInt64(0, e.value, true);
      out.push(EXPR_OP.CONST, ...bytes);
      return;
    }
    case 'load': {
      const offset = new Uint8Array(4);
      new DataView(offset.buffer).setInt32(0, e.offset, true);
      out.push(EXPR_OP.LOAD, e.width, e.signed ? 1 : 0, EXPR_OP.ADDR, ...offset);
      return;
    }
    case 'neg':
    case 'bitnot':
    case 'not':
      out.push({ neg: EXPR_OP.NEG, bitnot: EXPR_OP.BITNOT, not: EXPR_OP.NOT }[e.op]);
      encode(e.x, out);
      return;
    case 'binary':
      out.push(0x20 + e.index);
      encode(e.l, out);
      encode(e.r, out);
      return;
    case 'cond':
      out.push(EXPR_OP.COND);
      encode(e.test, out);
      encode(e.a, out);
      encode(e.b, out);
  }
}

/** The C semantics native/win/expr_eval.cc implements, in BigInt, with its checks. */
function evaluate(e: Expr, frame: DataView): bigint {
  const fits = (v: bigint) => {
    if (v < MIN || v > MAX) throw new Failure(RPC_X_INVALID_BOUND);
    return v;
  };
  switch (e.op) {
    case 'const':
      return e.value;
    case 'load': {
      const at = e.offset;
      if (e.width === 1) return BigInt(e.signed ? frame.getInt8(at) : frame.getUint8(at));
      if (e.width === 2) return BigInt(e.signed ? frame.getInt16(at, true) : frame.getUint16(at, true));
      if (e.width === 4) return BigInt(e.signed ? frame.getInt32(at, true) : frame.getUint32(at, true));
      return frame.getBigInt64(at, true);
    }
    case 'neg':
      return fits(-evaluate(e.x, frame));
    case 'bitnot':
      return ~evaluate(e.x, frame);
    case 'not':
      return evaluate(e.x, frame) === 0n ? 1n : 0n;
    case 'cond':
      return evaluate(e.test, frame) !== 0n ? evaluate(e.a, frame) : evaluate(e.b, frame);
    case 'binary': {
      const l = evaluate(e.l, frame);
      const r = evaluate(e.r, frame);
      const bool = (b: boolean) => (b ? 1n : 0n);
      switch (EXPR_BINARY[e.index]) {
        case '+':
          return fits(l + r);
        case '-':
          return fits(l - r);
        case '*':
          return fits(l * r);
        case '/':
          if (r === 0n) throw new Failure(RPC_S_ZERO_DIVIDE);
          return fits(l / r);
        case '%':
          if (r === 0n) throw new Failure(RPC_S_ZERO_DIVIDE);
          return r === -1n ? 0n : l % r;
        case '<<':
          return r < 0n || r > 63n ? 0n : BigInt.asIntN(64, l << r);
        case '>>':
          return r < 0n || r > 63n ? (l < 0n ? -1n : 0n) : l >> r;
        case '&':
          return l & r;
        case '|':
          return l | r;
        case '^':
          return l ^ r;
        case '&&':
          return bool(l !== 0n && r !== 0n);
        case '||':
          return bool(l !== 0n || r !== 0n);
        case '==':
          return bool(l === r);
        case '!=':
          return bool(l !== r);
        case '<':
          return bool(l < r);
        case '>':
          return bool(l > r);
        case '<=':
          return bool(l <= r);
        default:
          return bool(l >= r);
      }
    }
  }
}

function expected(e: Expr, frame: DataView): { status: number; maxCount?: number } {
  try {
    const count = evaluate(e, frame);
    if (count < 0n || count > 0xffffffffn) return { status: RPC_X_INVALID_BOUND };
    return { status: 0, maxCount: Number(count) };
  } catch (failure) {
    if (failure instanceof Failure) return { status: failure.status };
    throw failure;
  }
}

describe('the expression interpreter on random programs', () => {
  it(`agrees with a BigInt model on ${PROGRAMS} programs, and every one gives a status`, () => {
    const next = random(0x5eed12);
    const exprSelfTest = testHook('exprSelfTest');
    const outcomes = new Map<number, number>();
    for (let n = 0; n < PROGRAMS; n++) {
      const frame = new Uint8Array(FRAME_BYTES).map(() => Math.floor(next() * 256));
      const expr = generate(next, 1 + Math.floor(next() * 6));
      const bytes: number[] = [0];
      encode(expr, bytes);
      const got = exprSelfTest(Uint8Array.from(bytes), frame);
      const want = expected(expr, new DataView(frame.buffer));
      if (got.status !== want.status || (want.status === 0 && got.maxCount !== want.maxCount)) {
        expect.fail(
          `program ${n}: ${JSON.stringify(bytes)} gave ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`,
        );
      }
      outcomes.set(got.status, (outcomes.get(got.status) ?? 0) + 1);
    }
    // The corpus reaches every outcome, not only one.
    expect([...outcomes.keys()].sort()).toEqual([0, RPC_X_INVALID_BOUND, RPC_S_ZERO_DIVIDE].sort());
  });

  it('fails every truncated program (RPC_X_BAD_STUB_DATA where it runs out of bytes)', () => {
    const next = random(0x7a11);
    const exprSelfTest = testHook('exprSelfTest');
    const outcomes = new Map<number, number>();
    for (let n = 0; n < 500; n++) {
      const bytes: number[] = [0];
      encode(generate(next, 4), bytes);
      const frame = new Uint8Array(FRAME_BYTES).map(() => Math.floor(next() * 256));
      for (let cut = 0; cut < bytes.length; cut++) {
        const { status } = exprSelfTest(Uint8Array.from(bytes.slice(0, cut)), frame);
        // An operand evaluated before the missing bytes may fail first.
        expect([RPC_X_BAD_STUB_DATA, RPC_X_INVALID_BOUND, RPC_S_ZERO_DIVIDE]).toContain(status);
        outcomes.set(status, (outcomes.get(status) ?? 0) + 1);
      }
    }
    expect(outcomes.get(RPC_X_BAD_STUB_DATA)).toBeGreaterThan(5000);
  });
});
