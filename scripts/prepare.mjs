// What the demo, the tests and the benchmark need before they run: on Linux the
// Windows lane (idempotent), then the JS bundle, the addon and the test servers.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  return result.status ?? 1;
}

export function mustRun(command, args) {
  const status = run(command, args);
  if (status !== 0) {
    console.error(`${command} ${args.join(' ')} failed (${status})`);
    process.exit(status);
  }
}

export function prepare() {
  if (process.platform !== 'win32') mustRun('bash', [join(root, 'scripts', 'lane', 'setup.sh')]);
  // The tests' addon has the test-only exports (scripts/build-native.mjs).
  process.env.WINRPC_TEST_HOOKS = '1';
  for (const step of [
    'build-ts.mjs',
    'build-native.mjs',
    'build-test-servers.mjs',
    'build-test-clients.mjs',
  ]) {
    mustRun(process.execPath, [join(root, 'scripts', step)]);
  }
}

/** Runs a script with the Windows node.exe: natively on Windows, under Wine elsewhere. */
export function runWindowsNode(args) {
  if (process.platform === 'win32') return run(process.execPath, args);
  const status = run('bash', [join(root, 'scripts', 'lane', 'node-exe.sh'), ...args]);
  // Nothing may outlive the run: end the prefix's Wine processes (servers included).
  run('bash', ['-c', `source "${join(root, 'scripts', 'lane', 'env.sh')}" && "$LANE_WINESERVER" -k`]);
  return status;
}
