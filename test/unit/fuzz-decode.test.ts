// Property: decodeCall, given a completed call whose C memory holds anything (the arena
// overwritten with random bytes, pointer-shaped values aimed inside, at the edges of
// and far outside the call's memory, extra NDR blocks of random bytes) and any reply,
// decodes it or throws an RpcError; never another exception, never a hang (1 s of CPU
// at most), and a hostile pointer is refused, never followed outside the regions.
// Memory is fed as native code hands it over (decode-call.test.ts: a fake arena at a
// made-up address, blocks beside it).
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompiledProcedure } from '../../lib/ndr/compiled.js';
import { decodeCall } from '../../lib/runtime/decode-call.js';
import { type CallPlan, encodeCall } from '../../lib/runtime/encode-call.js';
import type { NativeCallResult } from '../../lib/runtime/native-addon.js';
import { RpcError } from '../../lib/runtime/rpc-error.js';
import { callArena } from '../support/call-arena.js';
import { describeThrown, fuzzRuns, timed } from './fuzz-support.js';
import { argumentsFor, fuzzCorpus } from './fuzz-values.js';

const LIMIT_MS = 1000;
const RUNS_PER_INTERFACE = 300;
const MAX_ARENA = 1 << 20;
const ARENA_ADDRESS = 0x7ff6_1234_0000n;
const BLOCK_ADDRESS = 0x2a0_0000_1000n;
const BLOCK_STRIDE = 0x1_0000n;

/** How the call's memory is spoiled: each write lands at an offset taken modulo the arena. */
type Write =
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'u32'; at: number; value: number }
  | { kind: 'pointer'; at: number; target: Target };

/** Where a written pointer aims: a region and an offset, or an absolute address. */
type Target = { region: number; offset: number } | { address: bigint };

interface Memory {
  /** Replace the whole arena with random bytes first. */
  scramble: Uint8Array | null;
  writes: Write[];
  blocks: Uint8Array[];
  blockWrites: { block: number; write: Write }[];
  reply: bigint;
}

const target: fc.Arbitrary<Target> = fc.oneof(
  // Inside or just past a region (0: the arena, 1..: the blocks).
  fc.record({ region: fc.nat({ max: 3 }), offset: fc.integer({ min: -9, max: 80 }) }),
  fc.record({
    address: fc.oneof(
      fc.constantFrom(
        0n,
        1n,
        ARENA_ADDRESS - 1n,
        0x7fff_ffff_ffffn,
        2n ** 53n,
        2n ** 53n + 1n,
        2n ** 63n,
        2n ** 64n - 1n,
        2n ** 64n - 8n,
      ),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    ),
  }),
);

const write: fc.Arbitrary<Write> = fc.oneof(
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.nat({ max: 255 }) }),
  fc.record({
    kind: fc.constant('u32' as const),
    at: fc.nat(),
    value: fc.oneof(
      fc.constantFrom(0, 1, 2, 3, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe),
      fc.nat({ max: 0xffffffff }),
    ),
  }),
  fc.record({ kind: fc.constant('pointer' as const), at: fc.nat(), target }),
);

const memory: fc.Arbitrary<Memory> = fc.record({
  scramble: fc.option(fc.uint8Array({ maxLength: 4096 }), { freq: 4, nil: null }),
  writes: fc.array(write, { maxLength: 12 }),
  blocks: fc.array(fc.uint8Array({ maxLength: 96 }), { maxLength: 3 }),
  blockWrites: fc.array(fc.record({ block: fc.nat(), write }), { maxLength: 8 }),
  reply: fc.oneof(
    fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    fc.constantFrom(0n, 1n, 2n ** 64n - 1n, 0x8000_0000n),
  ),
});

function regionAddress(region: number): bigint {
  return region === 0 ? ARENA_ADDRESS : BLOCK_ADDRESS + BigInt(region - 1) * BLOCK_STRIDE;
}

function apply(view: DataView, w: Write, regionCount: number): void {
  const room = view.byteLength;
  const size = w.kind === 'byte' ? 1 : w.kind === 'u32' ? 4 : 8;
  if (room < size) return;
  // Aligned as C data is: the decoder only ever reads at aligned addresses.
  const at = Math.floor((w.at % (room - size + 1)) / size) * size;
  if (w.kind === 'byte') view.setUint8(at, w.value);
  else if (w.kind === 'u32') view.setUint32(at, w.value, true);
  else {
    const t = w.target;
    const address = 'address' in t ? t.address : regionAddress(t.region % regionCount) + BigInt(t.offset);
    view.setBigUint64(at, BigInt.asUintN(64, address), true);
  }
}

/** The completed call as native code reports it, with its memory spoiled as `m` says. */
function spoil(plan: CallPlan, m: Memory): NativeCallResult {
  const arena = callArena(plan.encoded);
  if (m.scramble) arena.set(m.scramble.subarray(0, arena.length));
  const regions = 1 + m.blocks.length;
  const arenaView = new DataView(arena.buffer);
  for (const w of m.writes) apply(arenaView, w, regions);
  const blocks = m.blocks.map((bytes, i) => ({ address: regionAddress(i + 1), bytes: bytes.slice().buffer }));
  for (const { block, write: w } of m.blockWrites) {
    const chosen = blocks[block % Math.max(blocks.length, 1)];
    if (chosen) apply(new DataView(chosen.bytes), w, regions);
  }
  return { reply: m.reply, arenaAddress: ARENA_ADDRESS, arena: arena.buffer, blocks };
}

/** What is wrong with a decode's outcome, if anything. */
function decodeProblem(
  proc: CompiledProcedure,
  outcome: ReturnType<typeof timed<unknown>>,
): string | undefined {
  if (outcome.ms > LIMIT_MS) return `took ${outcome.ms.toFixed(0)} ms of CPU`;
  if (!outcome.ok) {
    return outcome.error instanceof RpcError
      ? undefined
      : `not an RpcError: ${describeThrown(outcome.error)}`;
  }
  const outs = proc.params.filter((p) => p.direction !== 'in').map((p) => p.name);
  if (outs.length === 0) return undefined; // the return value alone
  const keys = Object.keys(outcome.value as object).sort();
  const expected = [...outs, ...(proc.returnType ? ['returnValue'] : [])].sort();
  return keys.join() === expected.join() ? undefined : `decoded keys ${keys} instead of ${expected}`;
}

describe('fuzz: the reply decoder', () => {
  const corpus = fuzzCorpus();
  const seen = new Map<string, { decoded: number; refused: number }>();

  it.each(corpus.map((c) => [c.name, c] as const))(
    '%s: any memory in every [out] layout decodes or gives an RpcError',
    (_, { compiled }) => {
      const withOut = compiled.procedures.filter(
        (p) => p.returnType || p.params.some((q) => q.direction !== 'in'),
      );
      const procs = new Map(withOut.map((p) => [p.name, p]));
      const cases = fc.oneof(
        ...withOut.map((proc) => fc.tuple(fc.constant(proc.name), argumentsFor(proc, compiled.uuid, false))),
      );
      fc.assert(
        fc.property(cases, memory, ([name, args], m) => {
          const proc = procs.get(name)!;
          // Arguments the encoder refuses never reach a reply.
          const plan = timed(() => encodeCall(proc, args, compiled.uuid));
          fc.pre(plan.ok);
          if (!plan.ok) return;
          // A caller's own huge [out] buffer (size_is from an argument) costs its size to
          // decode (15M longs: ~1 s), whatever the reply holds: not what is fuzzed here.
          fc.pre(plan.value.encoded.arenaSize <= MAX_ARENA);
          const result = spoil(plan.value, m);
          const outcome = timed(() => decodeCall(proc, plan.value, result));
          const counts = seen.get(`${compiled.name}.${name}`) ?? { decoded: 0, refused: 0 };
          seen.set(`${compiled.name}.${name}`, counts);
          if (outcome.ok) counts.decoded++;
          else counts.refused++;
          const problem = decodeProblem(proc, outcome);
          if (problem) throw new Error(`${proc.name}: ${problem}`);
        }),
        { ...fuzzRuns(RUNS_PER_INTERFACE), maxSkipsPerRun: 1000 },
      );
    },
    60_000,
  );

  it('decoded and refused replies (counts with FUZZ_REPORT=1)', () => {
    const counts = [...seen.values()];
    const decoded = counts.reduce((n, c) => n + c.decoded, 0);
    const refused = counts.reduce((n, c) => n + c.refused, 0);
    expect(decoded).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    if (process.env.FUZZ_REPORT === '1') {
      const all = corpus.reduce(
        (n, c) =>
          n +
          c.compiled.procedures.filter((p) => p.returnType || p.params.some((q) => q.direction !== 'in'))
            .length,
        0,
      );
      console.log(
        `decoder fuzz: ${decoded + refused} replies over ${seen.size} of ${all} procedures with [out] data or a return value: ${decoded} decoded, ${refused} refused`,
      );
    }
  });
});
