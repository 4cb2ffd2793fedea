import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The `unit` project as StrykerJS runs it (stryker.config.mjs). Two files are left out:
// their cost is tsc over generated clients (10-20 s a run, paid again for every mutant
// they cover) and what they check is lib/codegen's output, which is not mutated.
export default defineConfig({
  resolve: {
    alias: [{ find: /^winrpc$/, replacement: fileURLToPath(new URL('lib/index.ts', import.meta.url)) }],
  },
  test: {
    name: 'unit',
    // MUTATE_TESTS (comma-separated test files) selects a slice's tests. Prefer it to
    // StrykerJS's --testFiles: with --testFiles StrykerJS activates a static mutant only
    // after vitest has loaded the files, so module-level code (tables such as
    // lib/ndr/fc.ts or EXPR_BINARY) is never mutated (docs/testing.md).
    include: process.env.MUTATE_TESTS?.split(',') ?? ['test/unit/**/*.test.ts'],
    exclude: ['test/unit/idl-corpus.test.ts', 'test/unit/ndr-midl-corpus.test.ts'],
  },
});
