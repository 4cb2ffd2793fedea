// `npm run build:prebuild-cross`: the win32-x64 prebuild from the Linux cross build, under
// the name prebuildify --napi gives it (prebuilds/<platform>-<arch>/<package name>.node,
// no ABI tag: one Node-API build serves every Node). Releases build their prebuilds
// with prebuildify and MSVC on Windows (.github/workflows/release.yml); this one lets
// the lane prove the loader and the install hook take a prebuild when build/ is absent.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'build', 'Release', 'winrpc.node');

// Never with the test-only exports, whatever the environment says.
const { WINRPC_TEST_HOOKS: _testHooks, ...env } = process.env;
const status = spawnSync(process.execPath, [join(root, 'scripts', 'build-native.mjs')], {
  cwd: root,
  stdio: 'inherit',
  env,
}).status;
if (status !== 0) process.exit(status ?? 1);

// A mislabelled prebuild would only fail on a user's machine: check the PE machine.
const image = readFileSync(built);
const peOffset = image.readUInt32LE(0x3c);
const machine = image.readUInt16LE(peOffset + 4);
if (image.toString('latin1', peOffset, peOffset + 4) !== 'PE\0\0' || machine !== 0x8664) {
  console.error(`prebuild-cross: ${relative(root, built)} is not an x64 PE image`);
  process.exit(1);
}

// Nor may a prebuild carry the test-only exports (WINRPC_TEST_HOOKS, build-native.mjs).
if (image.includes('testEarlyNotification', 0, 'latin1')) {
  console.error(`prebuild-cross: ${relative(root, built)} was built with the test-only hooks`);
  process.exit(1);
}

const { name } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const target = join(root, 'prebuilds', 'win32-x64', `${name}.node`);
mkdirSync(dirname(target), { recursive: true });
copyFileSync(built, target);
console.log(`prebuild-cross: ${relative(root, target)}`);
