// Property: encodeCall, given any JS values for the arguments of any procedure in the
// corpus, either encodes them (an arena whose every pointer and relocation lies inside
// it, one slot per stack word) or throws a TypeError or RangeError whose message starts
// with the path it refuses (`Proc(param)...: `, or `Proc: ` for the argument count);
// never another exception, never more than 1 s of CPU.
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompiledProcedure } from '../../lib/ndr/compiled.js';
import { type CallPlan, encodeCall } from '../../lib/runtime/encode-call.js';
import { describeThrown, fuzzRuns, timed } from './fuzz-support.js';
import { argumentsFor, fuzzCorpus } from './fuzz-values.js';

const LIMIT_MS = 1000;
const RUNS_PER_INTERFACE = 1000;

/** What is wrong with a successful encode, if anything. */
function encodeProblem(proc: CompiledProcedure, plan: CallPlan): string | undefined {
  const { arena, arenaSize, relocations, slots, pointerSlots } = plan.encoded;
  const view = new DataView(arena.buffer, arena.byteOffset, arena.byteLength);
  if (slots.length !== proc.stackSize / 8) return `${slots.length} slots for a ${proc.stackSize}-byte stack`;
  // Native code allocates arenaSize bytes: what JS wrote, then space reserved for [out] data.
  if (!(arenaSize >= arena.length)) return `arenaSize ${arenaSize} below the ${arena.length} bytes written`;
  for (const slot of pointerSlots) {
    if (slot >= slots.length) return `pointer slot ${slot} past the stack`;
    if (slots[slot]! >= BigInt(arenaSize)) return `slot ${slot} points at ${slots[slot]}, past the arena`;
  }
  for (const at of relocations) {
    if (at % 8 !== 0 || at + 8 > arena.length)
      return `relocation at ${at} outside the arena's pointer fields`;
    const target = view.getBigUint64(at, true);
    if (target >= BigInt(arenaSize)) return `relocation at ${at} points at ${target}, past the arena`;
  }
  for (const [name, at] of plan.pointees) {
    if (at >= Math.max(arenaSize, 1)) return `pointee of ${name} at ${at}, past the arena`;
  }
  return undefined;
}

/** What is wrong with a refusal, if anything: the class and the path it names. */
function refusalProblem(proc: CompiledProcedure, error: unknown): string | undefined {
  if (!(error instanceof TypeError) && !(error instanceof RangeError)) {
    return `not a TypeError or RangeError: ${describeThrown(error)}`;
  }
  const { message } = error;
  if (message.startsWith(`${proc.name}: `)) return undefined;
  const param = proc.params.find((p) => message.startsWith(`${proc.name}(${p.name})`));
  if (!param) return `the message names no parameter path: ${describeThrown(error)}`;
  const rest = message.slice(`${proc.name}(${param.name})`.length);
  // The path goes on with fields, elements and union members, then ': ' and the reason.
  if (!/^(?:\.[A-Za-z_]\w*|\[\d+\])*: \S/.test(rest)) return `a malformed path: ${describeThrown(error)}`;
  return undefined;
}

describe('fuzz: the argument encoder', () => {
  const corpus = fuzzCorpus();
  /** Per `interface.procedure`: how many inputs encoded, and how many were refused. */
  const seen = new Map<string, { encoded: number; refused: number }>();

  it.each(corpus.map((c) => [c.name, c] as const))(
    '%s: any arguments encode or give a TypeError/RangeError naming the path',
    (_, { compiled }) => {
      const procs = new Map(compiled.procedures.map((p) => [p.name, p]));
      // The procedure by name, so a counterexample prints as the call it is.
      const cases = fc.oneof(
        ...compiled.procedures.map((proc) =>
          fc.tuple(fc.constant(proc.name), argumentsFor(proc, compiled.uuid)),
        ),
      );
      fc.assert(
        fc.property(cases, ([name, args]) => {
          const proc = procs.get(name)!;
          const outcome = timed(() => encodeCall(proc, args, compiled.uuid));
          const counts = seen.get(`${compiled.name}.${name}`) ?? { encoded: 0, refused: 0 };
          seen.set(`${compiled.name}.${name}`, counts);
          if (outcome.ok) counts.encoded++;
          else counts.refused++;
          if (outcome.ms > LIMIT_MS) throw new Error(`took ${outcome.ms.toFixed(0)} ms of CPU`);
          const problem = outcome.ok
            ? encodeProblem(proc, outcome.value)
            : refusalProblem(proc, outcome.error);
          if (problem) throw new Error(`${proc.name}: ${problem}`);
        }),
        fuzzRuns(RUNS_PER_INTERFACE),
      );
    },
    60_000,
  );

  it('tried every procedure, and both encoded and refused (counts with FUZZ_REPORT=1)', () => {
    const all = corpus.flatMap((c) => c.compiled.procedures.map((p) => `${c.compiled.name}.${p.name}`));
    expect([...seen.keys()].sort()).toEqual(all.sort());
    const counts = [...seen.values()];
    const encoded = counts.reduce((n, c) => n + c.encoded, 0);
    const refused = counts.reduce((n, c) => n + c.refused, 0);
    expect(encoded).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    if (process.env.FUZZ_REPORT === '1') {
      const reached = counts.filter((c) => c.encoded > 0).length;
      console.log(
        `encoder fuzz: ${encoded + refused} inputs over ${all.length} procedures: ${encoded} encoded, ${refused} refused; ${reached} procedures encoded at least once`,
      );
    }
  });
});
