// Mutation testing (`npm run mutate`, docs/testing.md): StrykerJS changes one operator,
// condition or literal at a time in the compiler and the value codec, and runs the unit
// tests that cover that spot. A mutant that no test notices is a gap or an equivalent
// change; docs/testing.md triages them. Not part of CI: a full run takes long.
// One folder at a time: `npm run mutate -- --mutate 'lib/ndr/**/*.ts'`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: true },
  // The vitest runner always measures coverage per test; said here so nobody wonders.
  coverageAnalysis: 'perTest',
  mutate: [
    'lib/ndr/**/*.ts',
    'lib/idl/**/*.ts',
    'lib/runtime/encode-call.ts',
    'lib/runtime/decode-call.ts',
  ],
  // The sandbox is a copy of the work tree: leave out build output and the Wine prefix.
  ignorePatterns: ['.cache', 'build', 'dist', 'prebuilds', 'reports', 'native', 'bench'],
  // vitest strips types without checking them; the default would also prepend
  // `// @ts-nocheck` to test/golden files that tests compare byte for byte.
  disableTypeChecks: false,
  tempDirName: '.cache/stryker-tmp',
  // Re-runs only mutants whose code or covering tests changed since the last run.
  incremental: true,
  incrementalFile: '.cache/stryker-incremental.json',
  // Two CPUs on the development machines; more workers only queue.
  concurrency: 2,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 85, low: 80, break: null },
};
