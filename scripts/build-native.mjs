// Builds the addon to build/Release/winrpc.node. On Windows: node-gyp and
// binding.gyp (MSVC). Elsewhere: the mingw-w64 cross build of the same sources
// through cmake-js and cmake/mingw-w64-x64.cmake (see the README's developing section).
// WINRPC_TEST_HOOKS=1 in the environment adds the test-only exports (the test lane sets
// it, scripts/prepare.mjs); without it they are left out, so a prebuild never has them.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function run(script, args) {
  const result = spawnSync(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const testHooks = process.env.WINRPC_TEST_HOOKS === '1';
if (process.platform === 'win32') {
  run(require.resolve('node-gyp/bin/node-gyp.js'), [
    'rebuild',
    '--release',
    `--winrpc_test_hooks=${testHooks ? 1 : 0}`,
  ]);
} else {
  const hooks = testHooks ? 'ON' : 'OFF';
  const args = [
    '--out',
    'build',
    '--config',
    'Release',
    '--CDCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x64.cmake',
    `--CDWINRPC_TEST_HOOKS=${hooks}`,
  ];
  // `cmake-js build` configures only a new build directory, so a cached ON from a test
  // build would reach a prebuild: configure again whenever the cache says otherwise.
  const cache = join(root, 'build', 'CMakeCache.txt');
  const cached = existsSync(cache)
    ? /^WINRPC_TEST_HOOKS:BOOL=(\w+)$/m.exec(readFileSync(cache, 'utf8'))?.[1]
    : undefined;
  // (A cache from before the option existed has no entry: configure it too.)
  if (existsSync(cache) && cached !== hooks)
    run(require.resolve('cmake-js/bin/cmake-js'), ['configure', ...args]);
  run(require.resolve('cmake-js/bin/cmake-js'), ['build', ...args]);
}
