// npm's install hook, node-gyp-build style. The addon is Windows-only: on Windows a
// prebuild that matches this Node and loads means nothing is compiled; otherwise
// (no prebuild for this platform, or `npm install --build-from-source`) node-gyp
// builds it. Elsewhere there is nothing to build: the IDL compiler and codegen are JS.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.platform !== 'win32') process.exit(0);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function usablePrebuild() {
  if (process.env.npm_config_build_from_source === 'true') return undefined;
  let path;
  try {
    // The same rules the runtime loader applies (lib/runtime/load-addon.ts).
    path = require('node-gyp-build').resolve(root);
  } catch {
    return undefined; // none for this platform, arch and runtime
  }
  try {
    require(path); // matched by name; loading proves the architecture and imports fit
    return path;
  } catch (error) {
    console.warn(`winrpc: ${relative(root, path)} does not load (${error.message}); building instead`);
    return undefined;
  }
}

const prebuild = usablePrebuild();
if (prebuild) {
  console.log(`winrpc: using ${relative(root, prebuild)}; nothing to compile`);
  process.exit(0);
}
// npm passes the path of its own bundled node-gyp; a local one serves plain `node` runs.
const nodeGyp = process.env.npm_config_node_gyp ?? require.resolve('node-gyp/bin/node-gyp.js');
const result = spawnSync(process.execPath, [nodeGyp, 'rebuild'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) explainFailure(nodeGyp);
process.exit(result.status ?? 1);

/** node-gyp before 12.1 cannot find Visual Studio 2026: say so, with the way out. */
function explainFailure(path) {
  let version;
  try {
    version = JSON.parse(readFileSync(join(dirname(path), '..', 'package.json'), 'utf8')).version;
  } catch {
    return; // not a node-gyp checkout we can read
  }
  const [major = 0, minor = 0] = String(version).split('.').map(Number);
  if (major > 12 || (major === 12 && minor >= 1)) return;
  console.error(
    `winrpc: this build ran node-gyp ${version} (${path}). With Visual Studio 2026 a build ` +
      'needs node-gyp 12.1 or later: update npm (11.6.3+ bundles it) or set npm_config_node_gyp ' +
      "to a newer node-gyp's bin/node-gyp.js (README: Install on Windows).",
  );
}
