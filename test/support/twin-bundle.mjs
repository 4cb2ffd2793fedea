// A JS twin server (test/servers/js/<name>.ts) as one ES module's text, which
// js-twin-worker.mjs loads from a data: URL: the twin's imports of lib are types only,
// so nothing else is left. Plain JS, so that both test/support/js-server.ts and the
// successive-Worker fixture (test/e2e/fixtures, run by plain node) bundle the same way.
import { join } from 'node:path';
import { build } from 'esbuild';

/** The twin `name` of the project at `root`, bundled. */
export async function bundleTwin(root, name) {
  const result = await build({
    entryPoints: [join(root, 'test', 'servers', 'js', `${name}.ts`)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}
