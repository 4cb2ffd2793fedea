// Checks binding.gyp on a non-Windows machine as far as gyp allows: generates the
// MSBuild project for OS=win with node-gyp's own gyp and checks that it compiles
// exactly the native sources the cross build compiles, links rpcrt4, and keeps the
// hardening flags. The real MSVC build runs on Windows.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const gypDir = join(root, 'node_modules', 'node-gyp');
const out = mkdtempSync(join(tmpdir(), 'winrpc-gyp-'));
// Without a Windows registry gyp finds no SDK; name one as MSBuild would.
const sdkPin = join(out, 'sdk.gypi');
writeFileSync(sdkPin, "{ 'target_defaults': { 'msvs_windows_target_platform_version': '10.0.22621.0' } }");

try {
  // x64 and arm64, the two prebuilt architectures: the same sources and flags, except
  // CET (/CETCOMPAT), which only x64 has. For Visual Studio 2022 (windows-2022) and 2026
  // (windows-2025, windows-11-arm, current Build Tools), which node-gyp 12.1+ finds and
  // passes to gyp as msvs_version: each must pick its own platform toolset.
  for (const [msvs, toolset] of [
    ['2022', 'v143'],
    ['2026', 'v145'],
  ])
    for (const arch of ['x64', 'arm64']) {
      const project = generate(arch, msvs);
      if (!project.includes(`<PlatformToolset>${toolset}</PlatformToolset>`)) {
        fail(`${arch}, VS ${msvs}: the generated project does not use the ${toolset} toolset`);
      }
      const compiled = [...project.matchAll(/<ClCompile Include="([^"]+)"/g)]
        .map((m) => relative(root, join(out, arch, (m[1] ?? '').replaceAll('\\', '/'))))
        .filter((path) => path.startsWith('native/')) // node-gyp adds its delay-load hook
        .sort();
      const expected = nativeSources().sort();
      if (JSON.stringify(compiled) !== JSON.stringify(expected)) {
        fail(
          `${arch}: binding.gyp compiles ${compiled.join(', ')}\nbut native/ holds ${expected.join(', ')}`,
        );
      }
      for (const needle of ['rpcrt4.lib', '/guard:cf', '/sdl', 'NAPI_VERSION=8', 'NAPI_CPP_EXCEPTIONS']) {
        if (!project.includes(needle)) fail(`${arch}: the generated project lacks ${needle}`);
      }
      if (project.includes('/CETCOMPAT') !== (arch === 'x64')) {
        fail(`${arch}: /CETCOMPAT must be set for x64 only`);
      }
      console.log(
        `binding.gyp: OK for ${arch}, VS ${msvs} (OS=win project, ${toolset}, compiles ${compiled.length} sources, links rpcrt4)`,
      );
    }
} finally {
  rmSync(out, { recursive: true, force: true });
}

function generate(arch, msvs) {
  const result = spawnSync(
    'python3',
    [
      join(gypDir, 'gyp', 'gyp_main.py'),
      'binding.gyp',
      '--depth=.',
      '-f',
      'msvs',
      '-G',
      `msvs_version=${msvs}`,
      '-I',
      join(gypDir, 'addon.gypi'),
      '-I',
      sdkPin,
      '-DOS=win',
      `-Dtarget_arch=${arch}`,
      `-Dnode_root_dir=${out}`,
      `-Dnode_gyp_dir=${gypDir}`,
      '-Dnode_lib_file=node.lib',
      `-Dmodule_root_dir=${root}`,
      '-Dnode_engine=v8',
      '-Dlibrary=shared_library',
      '-Dvisibility=hidden',
      '-Dwin_delay_load_hook=true',
      '-Dstandalone_static_library=0',
      `--generator-output=${join(out, arch)}`,
    ],
    // gyp's MSBuild writer only encodes its XML to bytes when the locale's encoding
    // differs from UTF-8; under a UTF-8 or C locale on Linux it crashes writing a str.
    { cwd: root, encoding: 'utf8', env: { ...process.env, LC_ALL: 'en_US.ISO8859-1' } },
  );
  if (result.status !== 0) fail(`gyp failed for ${arch}, VS ${msvs}:\n${result.stdout}${result.stderr}`);
  return readFileSync(join(out, arch, 'winrpc.vcxproj'), 'utf8');
}

function nativeSources() {
  const found = [];
  for (const dir of ['native', 'native/win']) {
    for (const name of readdirSync(join(root, dir))) {
      if (/\.(cc|c)$/.test(name)) found.push(`${dir}/${name}`);
    }
  }
  return found;
}

function fail(message) {
  console.error(`check-binding-gyp: ${message}`);
  process.exit(1);
}
