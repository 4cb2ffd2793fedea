// A compile (or any pure computation over lib/) that many tests share, made inside the
// first test that needs it rather than at module level.
//
// Why not at module level or in beforeAll: StrykerJS (npm run mutate, docs/testing.md)
// activates no mutant while vitest collects a file when test files are named, and code
// run from hooks or at import counts as "static": every mutant in it reruns every test
// file of the slice. Inside a test, coverage is per test and a mutant runs only the tests
// that reach it.
//
// Sharing stays correct under StrykerJS: while it measures coverage (a current test id and
// no active mutant) each test computes for itself, so each test that depends on the
// compile is recorded as covering it; in a mutant run the memo is keyed by the active
// mutant, so no result computed under one mutant is reused under another. Outside
// StrykerJS the key is just `key`.
interface StrykerNamespace {
  activeMutant?: string;
  currentTestId?: string;
}

const memo = new Map<string, unknown>();

export function sharedCompile<T>(key: string, make: () => T): T {
  const ns = (globalThis as { __stryker__?: StrykerNamespace }).__stryker__;
  if (ns?.currentTestId !== undefined && ns.activeMutant === undefined) return make();
  const k = `${ns?.activeMutant ?? ''}\u0000${key}`;
  if (!memo.has(k)) memo.set(k, make());
  return memo.get(k) as T;
}
