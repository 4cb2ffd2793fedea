// MSVC's command-line tools (cl, link, lib, midl) for the scripts that run them
// directly on Windows: the test servers (build-test-servers.mjs), the bench's C client
// and sync addon (bench/build.mjs) and windows-smoke. node-gyp finds Visual Studio by
// itself; these scripts need the same tools without a Developer Command Prompt.
//
// Order: a developer environment that is already set up for this architecture (a
// Developer prompt, vcvarsall, CI's setup) is used as it is; otherwise vswhere (at the
// fixed place the Visual Studio Installer puts it) names the newest installation with
// the C++ tools for this architecture, and its vcvarsall.bat sets the environment up.
// Either way link.exe must be MSVC's: Git Bash puts its own /usr/bin/link.exe (GNU
// coreutils) on PATH, and cl.exe runs whichever link.exe comes first.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { win32 } from 'node:path';

/** The vcvarsall argument and the VS component of the C++ tools per Node architecture. */
const TARGETS = {
  x64: { vcvars: 'x64', component: 'Microsoft.VisualStudio.Component.VC.Tools.x86.x64' },
  arm64: { vcvars: 'arm64', component: 'Microsoft.VisualStudio.Component.VC.Tools.ARM64' },
};

export const TOOLS = ['cl', 'link', 'lib', 'midl'];

export class MsvcNotFoundError extends Error {}

/** `set` output (NAME=value per line) as an environment object. */
export function parseSetOutput(text) {
  const env = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('=')) continue; // cmd's hidden per-drive entries ("=C:=C:\work")
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

/** The key holding PATH (Windows spells it Path; object copies are case-sensitive). */
export function pathKey(env) {
  return Object.keys(env).find((key) => key.toUpperCase() === 'PATH') ?? 'Path';
}

/** The first `<dir>\<name>.exe` on env's PATH, or undefined. */
export function findOnPath(name, env, exists = existsSync) {
  for (const dir of (env[pathKey(env)] ?? '').split(';')) {
    if (dir === '') continue;
    const candidate = win32.join(dir.replace(/^"|"$/g, ''), `${name}.exe`);
    if (exists(candidate)) return candidate;
  }
  return undefined;
}

/**
 * env with cl.exe's directory first on PATH when another link.exe would be found
 * before MSVC's (Git Bash's /usr/bin/link.exe). Returns { env, shadow } where shadow
 * names the link.exe that was in the way, if any.
 */
export function preferMsvcLink(env, exists = existsSync) {
  const cl = findOnPath('cl', env, exists);
  if (!cl) return { env, shadow: undefined };
  const msvcDir = win32.dirname(cl);
  const link = findOnPath('link', env, exists);
  if (link === undefined || win32.dirname(link).toLowerCase() === msvcDir.toLowerCase()) {
    return { env, shadow: undefined };
  }
  const key = pathKey(env);
  return { env: { ...env, [key]: `${msvcDir};${env[key] ?? ''}` }, shadow: link };
}

/** What to run when nothing was found, for this architecture. */
export function setupAdvice(arch) {
  const target = TARGETS[arch]?.vcvars ?? arch;
  const prompt = arch === 'arm64' ? 'ARM64 Native Tools Command Prompt' : 'x64 Native Tools Command Prompt';
  return [
    `Install Visual Studio 2022 or 2026 (or its Build Tools) with the "Desktop development with C++"`,
    `workload, which brings MSVC and a Windows SDK (midl). Then either run from the "${prompt}"`,
    `for that Visual Studio, or in cmd first run:`,
    `  call "<Visual Studio folder>\\VC\\Auxiliary\\Build\\vcvarsall.bat" ${target}`,
  ].join('\n');
}

function vswherePath(env) {
  const programFiles = env['ProgramFiles(x86)'] ?? env.ProgramFiles ?? 'C:\\Program Files (x86)';
  return win32.join(programFiles, 'Microsoft Visual Studio', 'Installer', 'vswhere.exe');
}

/** vswhere's newest installation with the C++ tools for arch, or undefined. */
export function findVisualStudio(arch, env = process.env) {
  const vswhere = vswherePath(env);
  if (!existsSync(vswhere)) return undefined;
  const args = ['-latest', '-prerelease', '-products', '*', '-requires', TARGETS[arch].component];
  const text = execFileSync(vswhere, [...args, '-format', 'json', '-utf8'], { encoding: 'utf8' });
  return parseVswhere(text)[0];
}

/** vswhere -format json: the fields reports and vcvarsall need. */
export function parseVswhere(text) {
  return JSON.parse(text).map((vs) => ({
    path: vs.installationPath,
    version: vs.installationVersion,
    name: vs.displayName ?? vs.catalog?.productName ?? 'Visual Studio',
    displayVersion: vs.catalog?.productDisplayVersion ?? vs.installationVersion,
  }));
}

function vcvarsEnv(vs, arch, env) {
  const vcvarsall = win32.join(vs.path, 'VC', 'Auxiliary', 'Build', 'vcvarsall.bat');
  if (!existsSync(vcvarsall)) {
    throw new MsvcNotFoundError(`${vcvarsall} is missing\n${setupAdvice(arch)}`);
  }
  // cmd's own quoting: the whole command line in one pair of quotes (/s).
  const command = `"call "${vcvarsall}" ${TARGETS[arch].vcvars} >nul && set"`;
  const text = execFileSync(env.ComSpec ?? 'cmd.exe', ['/d', '/s', '/c', command], {
    encoding: 'utf8',
    env,
    windowsVerbatimArguments: true,
    maxBuffer: 16 * 1024 * 1024,
  });
  return parseSetOutput(text);
}

/** True when env is a developer environment for arch with every tool on PATH. */
function readyFor(arch, env) {
  // Set by vcvarsall (and so by every Developer prompt) to the architecture it targets.
  const target = env.VSCMD_ARG_TGT_ARCH;
  if (target !== undefined && target.toLowerCase() !== arch) return false;
  return TOOLS.every((tool) => findOnPath(tool, env) !== undefined);
}

/**
 * The environment to run MSVC's tools in, for Node's architecture by default:
 * { env, tools: { cl, link, lib, midl }, source, visualStudio?, shadow? }.
 * Throws MsvcNotFoundError with the exact steps to take when there is none.
 */
export function msvcEnv(arch = process.arch, base = process.env) {
  if (!TARGETS[arch]) {
    throw new MsvcNotFoundError(`no MSVC target for Node's architecture ${arch} (x64 and arm64 are built)`);
  }
  let env = { ...base };
  let source = 'environment';
  let visualStudio;
  if (!readyFor(arch, env)) {
    visualStudio = findVisualStudio(arch, env);
    if (!visualStudio) {
      throw new MsvcNotFoundError(
        `no Visual Studio with the C++ tools for ${arch} was found (vswhere: ${vswherePath(env)})\n${setupAdvice(arch)}`,
      );
    }
    env = vcvarsEnv(visualStudio, arch, env);
    source = `vcvarsall (${visualStudio.name} ${visualStudio.displayVersion})`;
  }
  const preferred = preferMsvcLink(env);
  env = preferred.env;
  const tools = {};
  const missing = [];
  for (const tool of TOOLS) {
    tools[tool] = findOnPath(tool, env);
    if (!tools[tool]) missing.push(`${tool}.exe`);
  }
  if (missing.length > 0) {
    throw new MsvcNotFoundError(
      `${missing.join(', ')} not found after setting up MSVC from the ${source}\n${setupAdvice(arch)}`,
    );
  }
  return { env, tools, source, visualStudio, shadow: preferred.shadow };
}
