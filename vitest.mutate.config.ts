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
    include: ['test/unit/**/*.test.ts'],
    exclude: ['test/unit/idl-corpus.test.ts', 'test/unit/ndr-midl-corpus.test.ts'],
  },
});
