// Builds the JS package: dist/esm (ES module) and dist/cjs (CommonJS), each one bundle
// of lib/ plus its type declarations, and dist/cli (the winrpc command).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);
rmSync(dist, { recursive: true, force: true });

const common = {
  entryPoints: [join(root, 'lib', 'index.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
};
await build({ ...common, format: 'esm', outfile: join(dist, 'esm', 'index.js') });
await build({
  ...common,
  format: 'cjs',
  outfile: join(dist, 'cjs', 'index.js'),
  // The addon loader finds the package from import.meta.url; CommonJS has __filename.
  define: { 'import.meta.url': '__winrpcModuleUrl' },
  banner: { js: "const __winrpcModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
// The winrpc command (bin/winrpc.mjs imports it): one ESM bundle with its own copy of
// the runtime, since a command is a process of its own.
await build({
  ...common,
  entryPoints: [join(root, 'lib', 'cli', 'main.ts')],
  format: 'esm',
  outfile: join(dist, 'cli', 'winrpc.js'),
});
// dist/cjs's own package.json makes its .js and .d.ts files CommonJS.
writeFileSync(join(dist, 'cjs', 'package.json'), '{ "type": "commonjs" }\n');

const tsc = require.resolve('typescript/bin/tsc');
for (const flavour of ['esm', 'cjs']) {
  mkdirSync(join(dist, flavour), { recursive: true });
  execFileSync(
    process.execPath,
    [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', join(dist, flavour)],
    { stdio: 'inherit' },
  );
}
console.log('build-ts: dist/esm, dist/cjs and dist/cli written');
