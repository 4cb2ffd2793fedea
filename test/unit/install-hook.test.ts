// scripts/install.mjs, npm's install hook: nothing to build off Windows; on Windows a
// failed node-gyp older than 12.1 gets the hint that Visual Studio 2026 needs 12.1+.
// node-gyp is a stand-in here (a package.json with a version, a bin that fails), so the
// real hook runs without a compiler (Windows node.exe: natively or under Wine).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const hook = fileURLToPath(new URL('../../scripts/install.mjs', import.meta.url));
// A URL import: the script is plain JS, loaded as the scripts load it.
const { envWith } = (await import(new URL('../../scripts/env-with.mjs', import.meta.url).href)) as {
  envWith(
    overrides: Record<string, string>,
    base?: Record<string, string | undefined>,
  ): Record<string, string | undefined>;
};

function runHook(nodeGypVersion: string) {
  const dir = mkdtempSync(join(tmpdir(), 'winrpc-gyp-'));
  try {
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ version: nodeGypVersion }));
    writeFileSync(
      join(dir, 'bin', 'node-gyp.js'),
      "console.error('stand-in node-gyp: no compiler'); process.exit(1);\n",
    );
    // envWith: under vitest on Windows the inherited name can be NPM_CONFIG_NODE_GYP.
    const env = envWith({
      npm_config_build_from_source: 'true',
      npm_config_node_gyp: join(dir, 'bin', 'node-gyp.js'),
    });
    return spawnSync(process.execPath, [hook], { encoding: 'utf8', env });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the install hook', () => {
  it("overrides an environment variable whatever the inherited name's case", () => {
    const base = { NPM_CONFIG_NODE_GYP: 'npm-bundled', Path: 'C:\\Windows' };
    expect(envWith({ npm_config_node_gyp: 'ours' }, base)).toEqual({
      Path: 'C:\\Windows',
      npm_config_node_gyp: 'ours',
    });
  });

  it.skipIf(process.platform === 'win32')('builds nothing off Windows', () => {
    const result = runHook('11.4.2');
    expect(result.status).toBe(0);
    expect(`${result.stdout}${result.stderr}`).toBe('');
  });

  it.runIf(process.platform === 'win32')(
    'names the node-gyp that failed when it predates Visual Studio 2026 support (12.1)',
    () => {
      const old = runHook('11.4.2');
      expect(old.status).toBe(1);
      expect(old.stderr).toContain('stand-in node-gyp: no compiler');
      expect(old.stderr).toMatch(/this build ran node-gyp 11\.4\.2 .*needs node-gyp 12\.1 or later/);

      const current = runHook('12.4.0');
      expect(current.status).toBe(1);
      expect(current.stderr).toContain('stand-in node-gyp: no compiler');
      expect(current.stderr).not.toContain('12.1 or later');
    },
    60_000, // two node.exe starts: seconds each under a busy Wine
  );
});
