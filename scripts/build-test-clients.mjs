#!/usr/bin/env node
// Builds the MIDL-style test clients of test/clients/ (<name>_client.c, driving the
// client stub generated from test/servers/<name>.idl, plus the shared client-main.c)
// into build/clients/<name>_client.exe: the independent check of winrpc's servers, as
// any C program built with the platform's IDL compiler would call them.
//
//   node scripts/build-test-clients.mjs [--force] [name...]
//
// On Windows: MIDL (/client stub) + MSVC (scripts/msvc-env.mjs). Elsewhere: widl +
// clang-14 (the only compiler here with __try, which the clients need to read a status
// a server raises) + the mingw-w64 linker, for running under Wine.
// Incremental: a client is rebuilt only when an input is newer than its .exe.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { msvcEnv } from './msvc-env.mjs';
import {
  clang,
  clangArgs,
  isUpToDate,
  midlArgs,
  mingwCc,
  run,
  widl,
  widlPatches,
} from './stub-toolchain.mjs';
import { patchWidlStub } from './widl-stub-patches.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const clientDir = join(root, 'test', 'clients');
const idlDir = join(root, 'test', 'servers');
const outDir = join(root, 'build', 'clients');
const genDir = join(outDir, 'gen');
const shared = [
  join(clientDir, 'client-main.c'),
  join(clientDir, 'client-main.h'),
  fileURLToPath(import.meta.url),
  widlPatches,
];

const args = process.argv.slice(2);
const force = args.includes('--force');
const only = args.filter((a) => !a.startsWith('--'));

// The test IDLs bind implicitly. Without an ACF both compilers emit auto_handle
// procedures, which bind through the name service (Wine's NdrNsGetBuffer is a stub that
// allocates nothing: the first [in] is written to NULL). A MIDL client would say
// `implicit_handle(handle_t <name>_IfHandle)` in its ACF; widl 7's ACF parser rejects
// that, so its auto-handle procedures are turned into implicit primitive ones (the
// handle-type byte of each procedure header: FC_AUTO_HANDLE 0x33 -> FC_BIND_PRIMITIVE
// 0x32; the stub descriptor's handle pointer serves both). The wire is the same.
// The client's C reaches the handle as CLIENT_HANDLE.

function buildWithMsvc(name, exe) {
  const { env, tools } = msvcEnv();
  const acf = join(genDir, `${name}.acf`);
  writeFileSync(acf, `[implicit_handle(handle_t ${name}_IfHandle)] interface ${name} {}\n`);
  run(tools.midl, midlArgs({ side: 'client', name, idl: join(idlDir, `${name}.idl`), genDir, acf }), { env });
  run(
    tools.cl,
    [
      '/nologo',
      '/O2',
      '/W3',
      `/DCLIENT_HANDLE=${name}_IfHandle`,
      `/I${genDir}`,
      `/I${clientDir}`,
      `/Fo${join(outDir, 'obj')}\\`,
      `/Fe${exe}`,
      join(clientDir, `${name}_client.c`),
      join(clientDir, 'client-main.c'),
      'rpcrt4.lib',
    ],
    { env },
  );
}

function buildWithMingw(name, exe) {
  const idl = join(idlDir, `${name}.idl`);
  const stub = join(genDir, `${name}_c.c`);
  run(widl, ['--win64', '-Oicf', '-c', '-o', stub, idl]);
  // widl's format-string bugs are the client's as much as the server's (pointers'
  // MakePair lacks the full-pointer flag: unpatched, the client crashed in the heap
  // receiving one Box through both pointers).
  writeFileSync(stub, implicitPrimitiveHandle(name, patchWidlStub(name, readFileSync(stub, 'utf8'))));
  run(widl, ['--win64', '-Oicf', '-h', '-o', join(genDir, `${name}.h`), idl]);
  const objects = [];
  for (const source of [join(clientDir, `${name}_client.c`), join(clientDir, 'client-main.c')]) {
    const obj = join(outDir, 'obj', `${name}-${source.endsWith('client-main.c') ? 'main' : 'client'}.o`);
    // -Werror: the clients are our own C (the stub is included through its header only).
    run(
      clang,
      clangArgs(source, obj, [
        '-Werror',
        `-DCLIENT_HANDLE=${name}__MIDL_AutoBindHandle`,
        `-I${genDir}`,
        `-I${clientDir}`,
      ]),
    );
    objects.push(obj);
  }
  run(mingwCc, [...objects, '-o', exe, '-lrpcrt4', '-static']);
}

/**
 * widl's auto-handle procedure headers made implicit primitive; it throws unless every
 * procedure is one or the other kind (an [in] context handle or a generic handle binds
 * explicitly).
 */
function implicitPrimitiveHandle(name, text) {
  const count = (s) => text.split(s).length - 1;
  const procedures = count('(procedure ');
  const auto = '0x33,\t/* FC_AUTO_HANDLE */';
  const found = count(auto);
  const explicit = count('0x00,\t/* explicit handle */');
  if (procedures === 0 || found + explicit !== procedures) {
    throw new Error(
      `${name}_c.c: ${found} auto and ${explicit} explicit handles for ${procedures} procedures`,
    );
  }
  return text.replaceAll(auto, '0x32,\t/* FC_BIND_PRIMITIVE: implicit_handle (patched) */');
}

function main() {
  const names = readdirSync(clientDir)
    .filter((f) => f.endsWith('_client.c'))
    .map((f) => f.slice(0, -'_client.c'.length))
    .filter((name) => only.length === 0 || only.includes(name))
    .sort();
  mkdirSync(join(outDir, 'obj'), { recursive: true });
  mkdirSync(genDir, { recursive: true });
  const built = [];
  for (const name of names) {
    const exe = join(outDir, `${name}_client.exe`);
    const inputs = [join(clientDir, `${name}_client.c`), join(idlDir, `${name}.idl`), ...shared];
    if (isUpToDate(exe, inputs, force)) continue;
    (process.platform === 'win32' ? buildWithMsvc : buildWithMingw)(name, exe);
    built.push(name);
  }
  console.log(`test clients: ${built.length ? `built ${built.join(', ')}` : 'up to date'} (${outDir})`);
}

try {
  main();
} catch (error) {
  console.error(`build-test-clients: ${error.message}`);
  process.exit(1);
}
