import { defineConfig } from 'vitest/config';

// Unit tests run everywhere; end-to-end tests need the addon and real RPC servers,
// so they run only inside a Windows node.exe (natively, or under Wine in the lane).
const onWindows = process.platform === 'win32';

export default defineConfig({
  test: {
    // Servers and node.exe are heavy under Wine; two test files at a time is plenty.
    maxWorkers: 2,
    projects: [
      {
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      ...(onWindows
        ? [
            {
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
