// scripts/msvc-env.mjs: how the Windows scripts find MSVC without a Developer prompt.
// The pure parts are checked here on any OS; the whole search (vswhere, vcvarsall
// through cmd /s /c, a Git Bash link.exe in the way) needs Windows' cmd and runs when
// windows-smoke or the test servers build there.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface MsvcModule {
  parseSetOutput(text: string): Record<string, string>;
  pathKey(env: Record<string, string | undefined>): string;
  findOnPath(name: string, env: Record<string, string>, exists: (p: string) => boolean): string | undefined;
  preferMsvcLink(
    env: Record<string, string>,
    exists: (p: string) => boolean,
  ): { env: Record<string, string>; shadow: string | undefined };
  parseVswhere(text: string): { path: string; version: string; name: string; displayVersion: string }[];
  msvcEnv(arch: string, base: Record<string, string | undefined>): unknown;
  MsvcNotFoundError: new (...args: never[]) => Error;
}

// A URL import: the script is plain JS, loaded as the build scripts load it.
const msvc = (await import(new URL('../../scripts/msvc-env.mjs', import.meta.url).href)) as MsvcModule;

const VC_BIN =
  'C:\\Program Files\\Microsoft Visual Studio\\18\\BuildTools\\VC\\Tools\\MSVC\\14.50.35717\\bin\\Hostx64\\x64';
const SDK_BIN = 'C:\\Program Files (x86)\\Windows Kits\\10\\bin\\10.0.26100.0\\x64';
const GIT_BIN = 'C:\\Program Files\\Git\\usr\\bin';
const files = new Set([
  `${VC_BIN}\\cl.exe`,
  `${VC_BIN}\\link.exe`,
  `${VC_BIN}\\lib.exe`,
  `${SDK_BIN}\\midl.exe`,
  `${GIT_BIN}\\link.exe`,
]);
const exists = (path: string) => files.has(path);

describe('msvc-env', () => {
  it('parses cmd\'s `set` output, skipping its hidden "=C:" entries', () => {
    const env = msvc.parseSetOutput(
      `=C:=C:\\work\r\nPath=${VC_BIN};C:\\Windows\r\nVSCMD_ARG_TGT_ARCH=x64\r\nINCLUDE=a;b=c\r\n`,
    );
    expect(env).toEqual({ Path: `${VC_BIN};C:\\Windows`, VSCMD_ARG_TGT_ARCH: 'x64', INCLUDE: 'a;b=c' });
    expect(msvc.pathKey(env)).toBe('Path');
    expect(msvc.pathKey({ PATH: 'x' })).toBe('PATH');
  });

  it('finds a tool on PATH in order, quoted entries included', () => {
    const env = { Path: `C:\\Windows;"${SDK_BIN}";${VC_BIN}` };
    expect(msvc.findOnPath('midl', env, exists)).toBe(`${SDK_BIN}\\midl.exe`);
    expect(msvc.findOnPath('cl', env, exists)).toBe(`${VC_BIN}\\cl.exe`);
    expect(msvc.findOnPath('nmake', env, exists)).toBeUndefined();
  });

  it("puts MSVC's directory first when Git Bash's link.exe comes before it", () => {
    const gitFirst = { Path: `${GIT_BIN};${VC_BIN};${SDK_BIN}` };
    const fixed = msvc.preferMsvcLink(gitFirst, exists);
    expect(fixed.shadow).toBe(`${GIT_BIN}\\link.exe`);
    expect(msvc.findOnPath('link', fixed.env, exists)).toBe(`${VC_BIN}\\link.exe`);

    const msvcFirst = { Path: `${VC_BIN};${GIT_BIN};${SDK_BIN}` };
    expect(msvc.preferMsvcLink(msvcFirst, exists)).toEqual({ env: msvcFirst, shadow: undefined });
  });

  it("reads vswhere's JSON (installation path, version, product name)", () => {
    const text = JSON.stringify([
      {
        installationPath: 'C:\\Program Files\\Microsoft Visual Studio\\18\\BuildTools',
        installationVersion: '18.0.11205.157',
        displayName: 'Visual Studio Build Tools 2026',
        catalog: { productDisplayVersion: '18.0.0' },
      },
    ]);
    expect(msvc.parseVswhere(text)).toEqual([
      {
        path: 'C:\\Program Files\\Microsoft Visual Studio\\18\\BuildTools',
        version: '18.0.11205.157',
        name: 'Visual Studio Build Tools 2026',
        displayVersion: '18.0.0',
      },
    ]);
  });

  it('says exactly what to run when no Visual Studio is found', () => {
    // No tools on PATH and an empty Program Files: vswhere is not there, on any OS.
    const empty = mkdtempSync(join(tmpdir(), 'winrpc-novs-'));
    try {
      const base = { Path: empty, 'ProgramFiles(x86)': empty };
      for (const [arch, vcvars] of [
        ['x64', 'x64'],
        ['arm64', 'arm64'],
      ] as const) {
        expect(() => msvc.msvcEnv(arch, base)).toThrow(msvc.MsvcNotFoundError);
        expect(() => msvc.msvcEnv(arch, base)).toThrow(
          new RegExp(`Desktop development with C\\+\\+[\\s\\S]*vcvarsall\\.bat" ${vcvars}$`),
        );
      }
      expect(() => msvc.msvcEnv('ia32', base)).toThrow(/no MSVC target for Node's architecture ia32/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
