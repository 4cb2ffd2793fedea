// winrpc as npm installs it on Windows from a package with prebuilds: no build/ at
// all, the addon in prebuilds/win32-x64/ under prebuildify's name. Each test lays out
// such a package in a temp folder (package.json, the dist bundles, node-gyp-build,
// the install hook, and the addon this run built), then runs a child node.exe
// against it: the production loader, unchanged, must find the prebuild, and when it
// cannot, must say every path it tried.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runNodeChild } from '../support/node-child.js';
import { type RunningServer, startServer } from '../support/rpc-server.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/installed-call.mjs', import.meta.url));
const calcIdl = readFileSync(join(root, 'test', 'servers', 'calc.idl'), 'utf8');
const devAddon = join(root, 'build', 'Release', 'winrpc.node');
const arch = `${process.platform}-${process.arch}`;

let server: RunningServer;
const layouts: string[] = [];

/** An installed-package layout; `prebuilds` maps file names in prebuilds/<arch>/ to contents. */
function installedPackage(prebuilds: Record<string, 'addon' | string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'winrpc-installed-'));
  layouts.push(dir);
  cpSync(join(root, 'package.json'), join(dir, 'package.json'));
  for (const file of ['esm/index.js', 'cjs/index.js', 'cjs/package.json']) {
    cpSync(join(root, 'dist', file), join(dir, 'dist', file));
  }
  cpSync(join(root, 'scripts', 'install.mjs'), join(dir, 'scripts', 'install.mjs'));
  cpSync(join(root, 'node_modules', 'node-gyp-build'), join(dir, 'node_modules', 'node-gyp-build'), {
    recursive: true,
  });
  const target = join(dir, 'prebuilds', arch);
  mkdirSync(target, { recursive: true });
  for (const [name, content] of Object.entries(prebuilds)) {
    if (content === 'addon') cpSync(devAddon, join(target, name));
    else writeFileSync(join(target, name), content);
  }
  return dir;
}

async function callThrough(dir: string, flavour: 'esm' | 'cjs') {
  return runNodeChild(
    [fixture, flavour, join(dir, 'dist', flavour, 'index.js'), server.binding, calcIdl],
    60_000,
  );
}

/**
 * Runs the package's install hook as npm would, with npm's node-gyp replaced by a stub
 * that only says it was called (no compiler here under Wine).
 */
async function installHook(dir: string, env: Record<string, string>) {
  const stub = join(dir, 'node-gyp-stub.js');
  writeFileSync(stub, "console.log('node-gyp stub: ' + process.argv.slice(2).join(' '));\n");
  return withEnv({ npm_config_node_gyp: stub, ...env }, () =>
    runNodeChild([join(dir, 'scripts', 'install.mjs')], 60_000),
  );
}

beforeAll(async () => {
  server = await startServer('calc', 'ncalrpc');
});
afterAll(async () => {
  await server.stop();
});
afterEach(() => {
  for (const dir of layouts.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('an installed package without build/', () => {
  it('loads prebuilds/<platform>-<arch>/winrpc.node (prebuildify --napi) from the ESM and CommonJS builds', async () => {
    const dir = installedPackage({ 'winrpc.node': 'addon' });
    for (const flavour of ['esm', 'cjs'] as const) {
      const { code, output } = await callThrough(dir, flavour);
      expect(output, flavour).toContain('sum 5');
      expect(code, flavour).toBe(0);
    }
  }, 120_000);

  it('prefers the prebuild that matches by node-gyp-build tags, passing over another ABI', async () => {
    // The ABI-specific file is passed over, not tried: the next test's error says so.
    const dir = installedPackage({ 'winrpc.abi1.node': 'not a DLL', 'winrpc.napi.node': 'addon' });
    const { code, output } = await callThrough(dir, 'esm');
    expect(output).toContain('sum 5');
    expect(code).toBe(0);
  }, 60_000);

  it('fails with every path it tried when no prebuild fits', async () => {
    const dir = installedPackage({ 'winrpc.abi1.node': 'not a DLL', 'winrpc.napi.node': 'not a DLL either' });
    const { code, output } = await callThrough(dir, 'esm');
    expect(code).toBe(1);
    expect(output).toContain('could not load the native addon');
    const prebuildDir = join(dir, 'prebuilds', arch);
    for (const line of [
      `${join(dir, 'build', 'Release', 'winrpc.node')}: not found`,
      `${join(dir, 'build', 'Debug', 'winrpc.node')}: not found`,
      `${join(prebuildDir, 'winrpc.abi1.node')}: built for another runtime`,
      `${join(prebuildDir, 'winrpc.napi.node')}: `,
    ]) {
      expect(output).toContain(line);
    }
  }, 60_000);

  it("npm's install hook compiles nothing when a prebuild loads", async () => {
    const dir = installedPackage({ 'winrpc.node': 'addon' });
    const { code, output } = await installHook(dir, {});
    expect(output).toContain(`using ${join('prebuilds', arch, 'winrpc.node')}; nothing to compile`);
    expect(output).not.toContain('node-gyp stub');
    expect(code).toBe(0);
  }, 60_000);

  it("npm's install hook runs node-gyp when no prebuild loads, or when told to build from source", async () => {
    const broken = installedPackage({ 'winrpc.node': 'not a DLL' });
    const fallback = await installHook(broken, {});
    expect(fallback.output).toContain('does not load');
    expect(fallback.output).toContain('node-gyp stub: rebuild');
    expect(fallback.code).toBe(0);

    const fine = installedPackage({ 'winrpc.node': 'addon' });
    const fromSource = await installHook(fine, { npm_config_build_from_source: 'true' });
    expect(fromSource.output).toContain('node-gyp stub: rebuild');
    expect(fromSource.code).toBe(0);
  }, 60_000);
});

describe('WINRPC_ADDON_PATH', () => {
  it('is tried first: a working addon there is used when the package has none of its own', async () => {
    const dir = installedPackage({});
    const { code, output } = await withEnv({ WINRPC_ADDON_PATH: devAddon }, () => callThrough(dir, 'esm'));
    expect(output).toContain('sum 5');
    expect(code).toBe(0);
  }, 60_000);

  it('heads the list of paths tried when it does not load', async () => {
    const dir = installedPackage({});
    const bogus = join(dir, 'elsewhere', 'winrpc.node');
    const { code, output } = await withEnv({ WINRPC_ADDON_PATH: bogus }, () => callThrough(dir, 'esm'));
    expect(code).toBe(1);
    const tried = output.slice(output.indexOf('Tried'));
    expect(tried.indexOf(`${bogus}: not found`)).toBeGreaterThanOrEqual(0);
    expect(tried.indexOf(`${bogus}: not found`)).toBeLessThan(
      tried.indexOf(join(dir, 'build', 'Release', 'winrpc.node')),
    );
  }, 60_000);
});

/** Runs `fn` with extra variables in process.env (children inherit them), then restores it. */
async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const key of Object.keys(env)) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
}
