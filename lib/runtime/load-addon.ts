// Finds and loads the addon once. A failure lists every path tried and why each
// failed, since "module not found" alone is useless in a bug report.
//
// Order, as node-gyp-build resolves it (a local build wins over a shipped prebuild):
// WINRPC_ADDON_PATH, build/Release, build/Debug, then prebuilds/<platform>-<arch>/
// with node-gyp-build's own tag rules (prebuildify --napi names), most specific
// first. The loader walks the list itself rather than calling node-gyp-build's
// resolve(), which stops at the first file it finds and reports none of the others.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NativeAddon, NativeServerAddon } from './native-addon.js';
import { RpcError } from './rpc-error.js';

const ERROR_NOT_SUPPORTED = 50;

/** The real addon has the server functions too. */
type LoadedAddon = NativeAddon & NativeServerAddon;

let loaded: { addon: LoadedAddon; path: string } | undefined;

export function loadAddon(): LoadedAddon {
  loaded ??= loadFirstCandidate();
  return loaded.addon;
}

/** The path the addon was loaded from (Workers load the same file). */
export function addonPath(): string {
  loaded ??= loadFirstCandidate();
  return loaded.path;
}

/**
 * Throws the "needs Windows" RpcError off Windows. Everything that would talk to
 * rpcrt4 (clients, binding handles, calls) checks this first, so Linux and macOS get
 * a clear error rather than a load failure; compiling IDL needs no check.
 */
export function requireWindows(): void {
  if (process.platform === 'win32') return;
  throw new RpcError(ERROR_NOT_SUPPORTED, {
    detail: `calling RPC servers needs Windows, and this is ${process.platform}; the IDL compiler and winrpc gen work on any OS`,
  });
}

/** The folder of winrpc's package.json: dist/cjs has a package.json too, without a name. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!isPackageRoot(dir)) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('winrpc: cannot find the package root');
    dir = parent;
  }
  return dir;
}

function isPackageRoot(dir: string): boolean {
  try {
    return typeof JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name === 'string';
  } catch {
    return false;
  }
}

/** A path to try, or one looked at and passed over (`skipped` says why). */
interface Candidate {
  path: string;
  skipped?: string;
}

interface Tuple {
  name: string;
  architectures: string[];
}
interface Tags {
  file: string;
}
/** The matching rules node-gyp-build exports (its own resolve() uses the same ones). */
interface NodeGypBuildRules {
  parseTuple(name: string): Tuple | undefined;
  matchTuple(platform: string, arch: string): (tuple: Tuple | undefined) => boolean;
  compareTuples(a: Tuple, b: Tuple): number;
  parseTags(file: string): Tags | undefined;
  matchTags(runtime: string, abi: string): (tags: Tags | undefined) => boolean;
  compareTags(runtime: string): (a: Tags, b: Tags) => number;
}

function candidates(root: string, rules: NodeGypBuildRules): Candidate[] {
  const fromEnv = process.env.WINRPC_ADDON_PATH;
  return [
    ...(fromEnv ? [{ path: fromEnv }] : []),
    { path: join(root, 'build', 'Release', 'winrpc.node') },
    { path: join(root, 'build', 'Debug', 'winrpc.node') },
    ...prebuilds(join(root, 'prebuilds'), rules),
  ];
}

function prebuilds(dir: string, rules: NodeGypBuildRules): Candidate[] {
  const { platform, arch } = process;
  const matchesHost = rules.matchTuple(platform, arch);
  const tuples = listDir(dir)
    .map((name) => rules.parseTuple(name))
    .filter((tuple): tuple is Tuple => matchesHost(tuple))
    .sort(rules.compareTuples);
  if (tuples.length === 0) return [{ path: join(dir, `${platform}-${arch}`), skipped: 'not found' }];

  const runtime = process.versions.electron ? 'electron' : 'node';
  const abi = process.versions.modules;
  const found: Candidate[] = [];
  for (const tuple of tuples) {
    const tupleDir = join(dir, tuple.name);
    const parsed = listDir(tupleDir)
      .map((file) => rules.parseTags(file))
      .filter((tags): tags is Tags => tags !== undefined);
    const matches = parsed.filter(rules.matchTags(runtime, abi)).sort(rules.compareTags(runtime));
    for (const tags of matches) found.push({ path: join(tupleDir, tags.file) });
    for (const tags of parsed.filter((t) => !matches.includes(t))) {
      found.push({
        path: join(tupleDir, tags.file),
        skipped: `built for another runtime (this is ${runtime}, ABI ${abi}, Node-API ${process.versions.napi})`,
      });
    }
    if (parsed.length === 0) found.push({ path: tupleDir, skipped: 'no .node file in it' });
  }
  return found;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function loadFirstCandidate(): { addon: LoadedAddon; path: string } {
  requireWindows();
  const require = createRequire(import.meta.url);
  const rules = require('node-gyp-build') as NodeGypBuildRules;
  const tried: string[] = [];
  for (const { path, skipped } of candidates(packageRoot(), rules)) {
    if (skipped !== undefined || !existsSync(path)) {
      tried.push(`  ${path}: ${skipped ?? 'not found'}`);
      continue;
    }
    try {
      return { addon: require(path) as LoadedAddon, path };
    } catch (error) {
      tried.push(`  ${path}: ${(error as Error).message}`);
    }
  }
  throw new Error(
    `winrpc: could not load the native addon for ${process.platform}-${process.arch}` +
      ` (reinstall to build it with node-gyp). Tried:\n${tried.join('\n')}`,
  );
}
