#!/usr/bin/env node
// `npm run windows-smoke`: the whole project on a real Windows machine in one command,
// for a person who has one (and for CI's Windows legs). Installs (npm ci, the install
// hook with the project's node-gyp), runs `npm test` (which builds the JS, the addon and
// the test servers with MIDL + MSVC, found through vswhere when no Developer prompt is
// open, then runs the whole suite natively), runs the demo, and prints a short report to
// paste into an issue (also written to .cache/windows-smoke/report.md).
//
//   node scripts/windows-smoke.mjs [--skip-install]
//
// Needs: Node (x64 or arm64), Visual Studio 2022 or 2026 or its Build Tools with
// "Desktop development with C++" (MSVC, a Windows SDK with midl), Python for node-gyp.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, version as osVersion, release } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envWith } from './env-with.mjs';
import { findVisualStudio, MsvcNotFoundError, msvcEnv } from './msvc-env.mjs';
import { formatReport, smokePassed, summariseVitest } from './windows-smoke-report.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, '.cache', 'windows-smoke');
const skipInstall = process.argv.includes('--skip-install');

function refuse(message) {
  console.error(`windows-smoke: ${message}`);
  process.exit(2);
}

if (process.platform !== 'win32') {
  refuse(
    'runs on Windows only (it builds with MSVC and runs the suite natively). Here, `npm test` runs it in the Wine lane.',
  );
}
// The same test the suite uses (test/support/lane.ts): Wine passes the Unix environment
// through, and every prefix has winecfg.
if ('WINEPREFIX' in process.env || existsSync('C:\\windows\\system32\\winecfg.exe')) {
  refuse('this is Wine, not Windows: run `npm test` on the Linux side instead.');
}

const steps = [];
const facts = {
  Windows: `${osVersion()} (${release()}, ${arch()})`,
  Node: `${process.version} (${process.arch})`,
};

/** Runs one step with the output shown live; records its exit status and duration. */
function step(name, command, args, env = process.env) {
  console.log(`\nwindows-smoke: ${name}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  const record = { name, status: result.status ?? 1, seconds: (Date.now() - started) / 1000 };
  if (result.error) console.error(`windows-smoke: ${name}: ${result.error.message}`);
  steps.push(record);
  return record.status === 0;
}

/** npm through the npm that runs this script when there is one, else npm.cmd. */
function npm(args) {
  const cli = process.env.npm_execpath;
  if (cli?.endsWith('.js')) return [process.execPath, [cli, ...args]];
  return [process.env.ComSpec ?? 'cmd.exe', ['/d', '/s', '/c', `npm ${args.join(' ')}`]];
}

function text(command, args) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function describeMsvc() {
  try {
    const msvc = msvcEnv();
    const vs = msvc.visualStudio ?? findVisualStudio(process.arch);
    facts['Visual Studio'] = vs
      ? `${vs.name} ${vs.displayVersion} (${vs.version})`
      : `from the ${msvc.source}`;
    facts['MSVC tools'] = `${msvc.env.VCToolsVersion ?? 'unknown version'} (${msvc.tools.cl})`;
    facts['Windows SDK'] =
      `${(msvc.env.WindowsSDKVersion ?? 'unknown').replace(/\\$/, '')} (midl: ${msvc.tools.midl})`;
    if (msvc.shadow) facts['link.exe'] = `${msvc.shadow} came first on PATH; MSVC's was put ahead`;
  } catch (error) {
    if (!(error instanceof MsvcNotFoundError)) throw error;
    facts['Visual Studio'] = `not found: ${error.message.split('\n')[0]}`;
    console.error(`windows-smoke: ${error.message}`);
  }
}

function nodeGypVersion() {
  const manifest = join(root, 'node_modules', 'node-gyp', 'package.json');
  if (!existsSync(manifest)) return 'not installed';
  return `${JSON.parse(readFileSync(manifest, 'utf8')).version} (the devDependency; npm's bundled copy is not used)`;
}

function runAll() {
  facts.npm = text(...npm(['--version'])) ?? 'not found';
  describeMsvc();
  if (!skipInstall && !step('npm ci --ignore-scripts', ...npm(['ci', '--ignore-scripts']))) return undefined;
  facts['node-gyp'] = nodeGypVersion();
  const nodeGyp = join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  // The install hook as npm runs it for a user without a prebuild: node-gyp builds.
  const hookEnv = envWith({ npm_config_node_gyp: nodeGyp });
  if (!step('install hook (node-gyp rebuild)', process.execPath, ['scripts/install.mjs'], hookEnv))
    return undefined;
  // `npm test` itself: builds dist/, the addon and the test servers (MIDL + cl), then
  // runs unit and e2e natively; its vitest report is kept for the counts below.
  const reports = join(outDir, 'reports');
  const reportFile = join(reports, 'windows.json');
  rmSync(reportFile, { force: true });
  const testEnv = envWith({ WINRPC_TEST_REPORTS: reports });
  step('npm test (build, then the whole suite natively)', process.execPath, ['scripts/test.mjs'], testEnv);
  const tests = existsSync(reportFile)
    ? summariseVitest(JSON.parse(readFileSync(reportFile, 'utf8')))
    : undefined;
  step('demo (examples/demo.mjs)', process.execPath, ['examples/demo.mjs']);
  return tests;
}

const tests = runAll();
facts['node-gyp'] ??= nodeGypVersion();
const report = formatReport({ facts, steps, tests });
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'report.md'), report);
console.log(`\n${report}`);
console.log(`windows-smoke: report written to ${relative(root, join(outDir, 'report.md'))}`);
process.exit(smokePassed(steps, tests) ? 0 : 1);
