// npm's install hook. The addon is Windows-only: on Windows build it with node-gyp;
// elsewhere there is nothing to build (the IDL compiler and codegen are plain JS).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

if (process.platform !== 'win32') process.exit(0);
const require = createRequire(import.meta.url);
// npm passes the path of its own bundled node-gyp; a local one serves plain `node` runs.
const nodeGyp = process.env.npm_config_node_gyp ?? require.resolve('node-gyp/bin/node-gyp.js');
const result = spawnSync(process.execPath, [nodeGyp, 'rebuild'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
