#!/usr/bin/env node
// Builds the test RPC servers of test/servers/ (one <name>.idl + <name>.c each, plus
// the shared server-main.c) into build/servers/<name>.exe for the end-to-end tests,
// and the test services of test/services/ (plain Win32 programs) beside them.
//
//   node scripts/build-test-servers.mjs [--force] [name...]
//
// On Windows: MIDL + MSVC for the architecture of the node running this (x64, or arm64
// on Windows on Arm), from a Developer prompt or found through vswhere + vcvarsall
// (scripts/msvc-env.mjs), so plain PowerShell, cmd and Git Bash work too.
// Elsewhere: widl + mingw-w64 cross compilers, for running under Wine.
// Incremental: a server is rebuilt only when an input is newer than its .exe.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MsvcNotFoundError, msvcEnv } from './msvc-env.mjs';
import {
  clang,
  clangArgs,
  isUpToDate,
  midlArgs,
  mingwCc,
  mingwDefines,
  run,
  widl,
  widlPatches,
} from './stub-toolchain.mjs';
import { patchWidlStub } from './widl-stub-patches.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(root, 'test', 'servers');
const outDir = join(root, 'build', 'servers');
const genDir = join(outDir, 'gen');
const objDir = join(outDir, 'obj');
// Every server links these; the script itself counts as an input so flag changes rebuild.
const sharedInputs = [
  join(sourceDir, 'server-main.c'),
  join(sourceDir, 'server-main.h'),
  fileURLToPath(import.meta.url),
  widlPatches,
];

const args = process.argv.slice(2);
const force = args.includes('--force');
const only = args.filter((a) => !a.startsWith('--'));

function listServers() {
  const names = readdirSync(sourceDir)
    .filter((f) => f.endsWith('.idl'))
    .map((f) => f.slice(0, -'.idl'.length))
    .filter((name) => existsSync(join(sourceDir, `${name}.c`)))
    .sort();
  for (const name of only) {
    if (!names.includes(name)) {
      throw new Error(`no test server "${name}" (have: ${names.join(', ')})`);
    }
  }
  return only.length > 0 ? names.filter((n) => only.includes(n)) : names;
}

// Windows: the reference toolchain (MIDL + MSVC).
let msvc; // set up once, for every server
function msvcTools() {
  if (msvc) return msvc;
  msvc = msvcEnv();
  console.log(`test servers: MSVC from the ${msvc.source}`);
  if (msvc.shadow) console.log(`test servers: ${msvc.shadow} came before MSVC's link.exe; using MSVC's`);
  return msvc;
}

function buildWithMsvc(name, exe) {
  const { env, tools } = msvcTools();
  const idl = join(sourceDir, `${name}.idl`);
  run(tools.midl, midlArgs({ side: 'server', name, idl, genDir }), { env });
  // Generated stubs are not held to our warning level; our own C is (/W4 /WX).
  const stubObj = join(objDir, `${name}_s.obj`);
  run(tools.cl, ['/nologo', '/c', '/O2', '/W3', `/Fo${stubObj}`, join(genDir, `${name}_s.c`)], { env });
  run(
    tools.cl,
    [
      '/nologo',
      '/O2',
      '/W4',
      '/WX',
      `/I${genDir}`,
      `/Fo${objDir}\\`,
      `/Fe${exe}`,
      join(sourceDir, `${name}.c`),
      join(sourceDir, 'server-main.c'),
      stubObj,
      'rpcrt4.lib',
    ],
    { env },
  );
}

// Elsewhere: widl + the mingw-w64 cross tools, for running under Wine.
function buildWithMingw(name, exe) {
  const idl = join(sourceDir, `${name}.idl`);
  const stubC = join(genDir, `${name}_s.c`);
  run(widl, ['--win64', '-Oicf', '-s', '-o', stubC, idl]);
  writeFileSync(stubC, patchWidlStub(name, readFileSync(stubC, 'utf8')));
  run(widl, ['--win64', '-Oicf', '-h', '-o', join(genDir, `${name}.h`), idl]);
  // widl falls back to inline stubs (procedures returning float/double) that need
  // either Wine's internal exception header or compiler SEH; only clang has SEH here.
  const stubObj = join(objDir, `${name}_s.o`);
  run(clang, clangArgs(stubC, stubObj));
  run(mingwCc, [
    '-O2',
    '-Wall',
    '-Wextra',
    '-Werror',
    ...mingwDefines,
    `-I${genDir}`,
    join(sourceDir, `${name}.c`),
    join(sourceDir, 'server-main.c'),
    stubObj,
    '-o',
    exe,
    '-lrpcrt4',
    '-static',
  ]);
}

// Plain Win32 programs the tests run as services (test/services/<name>.c, no IDL): the
// e2e tests of Windows' own service control manager register and start them.
const serviceDir = join(root, 'test', 'services');

function buildService(name, exe) {
  const source = join(serviceDir, `${name}.c`);
  if (process.platform === 'win32') {
    run('cl', ['/nologo', '/O2', '/W4', '/WX', `/Fo${objDir}\\`, `/Fe${exe}`, source, 'advapi32.lib']);
  } else {
    run(mingwCc, ['-O2', '-Wall', '-Wextra', '-Werror', source, '-o', exe, '-static']);
  }
}

function main() {
  const build = process.platform === 'win32' ? buildWithMsvc : buildWithMingw;
  mkdirSync(genDir, { recursive: true });
  mkdirSync(objDir, { recursive: true });
  const built = [];
  const current = [];
  for (const name of listServers()) {
    const exe = join(outDir, `${name}.exe`);
    const inputs = [join(sourceDir, `${name}.idl`), join(sourceDir, `${name}.c`), ...sharedInputs];
    if (isUpToDate(exe, inputs, force)) {
      current.push(name);
      continue;
    }
    build(name, exe);
    built.push(name);
  }
  for (const file of only.length > 0 ? [] : readdirSync(serviceDir).filter((f) => f.endsWith('.c'))) {
    const name = file.slice(0, -'.c'.length);
    const exe = join(outDir, `${name}.exe`);
    if (isUpToDate(exe, [join(serviceDir, file), fileURLToPath(import.meta.url)], force)) {
      current.push(name);
      continue;
    }
    buildService(name, exe);
    built.push(name);
  }
  const parts = [];
  if (built.length > 0) parts.push(`built ${built.join(', ')}`);
  if (current.length > 0) parts.push(`up to date ${current.join(', ')}`);
  console.log(`test servers: ${parts.join('; ') || 'none'} (${outDir})`);
}

try {
  main();
} catch (error) {
  if (error instanceof MsvcNotFoundError)
    console.error('build-test-servers: MIDL and MSVC are needed on Windows');
  console.error(`build-test-servers: ${error.message}`);
  process.exit(1);
}
