// What every property-based fuzz test (test/unit/fuzz-*.test.ts) shares: the runs and
// seed policy, and a clock for the per-input time limit.
//
// Seeds: each run of a property draws a fresh seed (fast-check's default), so CI tries
// new inputs every time; a failure prints its seed and path in the error, and
// `FUZZ_SEED=<seed>` replays it (the path narrows to the shrunk case with FUZZ_PATH).
// `FUZZ_SCALE=<n>` multiplies every property's runs for a longer local session.
import type * as fc from 'fast-check';

const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const path = process.env.FUZZ_PATH;
const scale = Number(process.env.FUZZ_SCALE ?? 1);

/** fast-check's parameters for a property of `numRuns` inputs (times FUZZ_SCALE). */
export function fuzzRuns<T>(numRuns: number): fc.Parameters<T> {
  return {
    numRuns: Math.max(1, Math.round(numRuns * scale)),
    ...(seed === undefined ? {} : { seed }),
    ...(path === undefined ? {} : { path }),
  };
}

/** Process CPU time (user + system) in ms: the time limit's clock, fair on a shared machine. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Runs `work` and returns its CPU time in ms beside its outcome (a value or what it threw). */
export function timed<T>(
  work: () => T,
): { ms: number; ok: true; value: T } | { ms: number; ok: false; error: unknown } {
  const start = cpuMs();
  try {
    const value = work();
    return { ms: cpuMs() - start, ok: true, value };
  } catch (error) {
    return { ms: cpuMs() - start, ok: false, error };
  }
}

/** A short description of a thrown value for a property's failure message. */
export function describeThrown(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}\n${error.stack ?? ''}`;
  return `a non-Error: ${String(error)}`;
}
