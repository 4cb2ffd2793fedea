// clang-format over native/, the lane's C and bench/'s C and C++: `--check` fails on
// any difference, `--fix` rewrites in place.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fix = process.argv.includes('--fix');

function sources(dir) {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(c|cc|h)$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

const files = [...sources('native'), ...sources('scripts/lane'), ...sources('bench')];
const args = fix ? ['-i', ...files] : ['--dry-run', '--Werror', ...files];
const result = spawnSync('clang-format', args, { cwd: root, stdio: 'inherit' });
if (result.error) {
  console.error(`clang-format: ${result.error.message} (install Debian's clang-format)`);
  process.exit(1);
}
if (result.status === 0 && !fix) console.log(`clang-format: ${files.length} files clean`);
process.exit(result.status ?? 1);
