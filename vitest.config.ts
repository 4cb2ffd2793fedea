import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Unit tests run everywhere; end-to-end tests need the addon and real RPC servers,
// so they run only inside a Windows node.exe (natively, or under Wine in the lane).
const onWindows = process.platform === 'win32';
// Generated clients (test/golden) import 'winrpc': the sources under test, so a test
// that uses both a generated and a dynamic client runs one copy of the runtime.
const resolve = {
  alias: [{ find: /^winrpc$/, replacement: fileURLToPath(new URL('lib/index.ts', import.meta.url)) }],
};

export default defineConfig({
  test: {
    // Servers and node.exe are heavy under Wine; two test files at a time is plenty.
    maxWorkers: 2,
    projects: [
      {
        resolve,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      ...(onWindows
        ? [
            {
              resolve,
              test: {
                name: 'e2e',
                include: ['test/e2e/**/*.test.ts'],
                testTimeout: 60_000,
                hookTimeout: 60_000,
              },
            },
          ]
        : []),
    ],
  },
});
