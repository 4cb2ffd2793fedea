// What build-test-servers.mjs and build-test-clients.mjs share: running a tool, the
// up-to-date check, MIDL's command line (one side of the stubs each) and the cross
// tools for the Wine lane.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The patches both builds apply to widl's stubs: an input of everything built from them. */
export const widlPatches = fileURLToPath(new URL('./widl-stub-patches.mjs', import.meta.url));

/** Runs a tool quietly; on failure the error carries the command and its output. */
export function run(tool, toolArgs, options = {}) {
  try {
    execFileSync(tool, toolArgs, { stdio: 'pipe', encoding: 'utf8', ...options });
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
    const reason = error.code === 'ENOENT' ? `${tool} not found on PATH` : output;
    throw new Error(`${tool} ${toolArgs.join(' ')}\n${reason}`);
  }
}

/** True when `output` exists and no input is newer (never with `force`). */
export function isUpToDate(output, inputs, force) {
  if (force || !existsSync(output)) return false;
  const built = statSync(output).mtimeMs;
  return inputs.every((input) => statSync(input).mtimeMs <= built);
}

/**
 * MIDL's arguments for one side's stub of `idl` (`side`: 'server' writes <name>_s.c,
 * 'client' <name>_c.c) and <name>.h in `genDir`. /char ascii7 keeps IDL char and small
 * plain C char, as widl writes them, so one C source fits both toolchains; /env is the
 * architecture cl targets here (the developer environment's).
 */
export function midlArgs({ side, name, idl, genDir, acf }) {
  const other = side === 'server' ? 'client' : 'server';
  const stub = side === 'server' ? ['/sstub', `${name}_s.c`] : ['/cstub', `${name}_c.c`];
  return [
    '/nologo',
    '/Oicf',
    '/protocol',
    'dce',
    '/env',
    process.arch === 'arm64' ? 'arm64' : 'x64',
    '/char',
    'ascii7',
    `/${side}`,
    'stub',
    `/${other}`,
    'none',
    '/out',
    genDir,
    '/h',
    `${name}.h`,
    ...stub,
    ...(acf ? ['/acf', acf] : []),
    idl,
  ];
}

// Cross build for Wine; each tool can be overridden through the environment.
export const widl = process.env.WIDL ?? 'x86_64-w64-mingw32-widl';
export const mingwCc = process.env.MINGW_CC ?? 'x86_64-w64-mingw32-gcc';
export const clang = process.env.CLANG ?? 'clang-14';
// mingw's rpcndr.h defines `small` only for the resource compiler; MSVC's always does.
export const mingwDefines = ['-Dsmall=char'];

/**
 * clang's arguments for compiling one widl stub (or C that includes its header) to a
 * mingw object. clang is the only compiler here with __try, which widl's inline stubs
 * (procedures returning float or double) and the clients' status checks need.
 */
export function clangArgs(source, object, extra = []) {
  return [
    '--target=x86_64-w64-mingw32',
    '-fms-extensions',
    '-DUSE_COMPILER_EXCEPTIONS',
    ...mingwDefines,
    '-O2',
    '-Wall',
    '-Wno-missing-field-initializers',
    ...extra,
    '-c',
    source,
    '-o',
    object,
  ];
}
