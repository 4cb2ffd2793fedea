// Finds and loads the addon once. A failure lists every path tried and why each
// failed, since "module not found" alone is useless in a bug report.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NativeAddon } from './native-addon.js';

let loaded: { addon: NativeAddon; path: string } | undefined;

export function loadAddon(): NativeAddon {
  loaded ??= loadFirstCandidate();
  return loaded.addon;
}

/** The path the addon was loaded from (Workers load the same file). */
export function addonPath(): string {
  loaded ??= loadFirstCandidate();
  return loaded.path;
}

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('winrpc: cannot find the package root');
    dir = parent;
  }
  return dir;
}

function candidates(root: string): string[] {
  const fromEnv = process.env.WINRPC_ADDON_PATH;
  return [
    ...(fromEnv ? [fromEnv] : []),
    join(root, 'prebuilds', `${process.platform}-${process.arch}`, 'winrpc.node'),
    join(root, 'build', 'Release', 'winrpc.node'),
    join(root, 'build', 'Debug', 'winrpc.node'),
  ];
}

function loadFirstCandidate(): { addon: NativeAddon; path: string } {
  if (process.platform !== 'win32') {
    throw new Error(
      `winrpc: calling RPC servers needs Windows (this is ${process.platform}); the IDL compiler works everywhere`,
    );
  }
  const require = createRequire(import.meta.url);
  const tried: string[] = [];
  for (const path of candidates(packageRoot())) {
    if (!existsSync(path)) {
      tried.push(`  ${path}: not found`);
      continue;
    }
    try {
      return { addon: require(path) as NativeAddon, path };
    } catch (error) {
      tried.push(`  ${path}: ${(error as Error).message}`);
    }
  }
  throw new Error(`winrpc: could not load the native addon. Tried:\n${tried.join('\n')}`);
}
