// Lints .github/workflows/ where GitHub cannot be reached: each file against the
// workflow schema (@action-validator/cli), then the project's own rules, which a
// schema cannot express:
// - every action is pinned by a full commit SHA with its tag in a comment, and one
//   action has one pin across files (a tag can be moved; a commit cannot);
// - permissions are declared at the top and nothing asks to write;
// - runner labels are GitHub-hosted ones (a typo'd label queues forever).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, '.github', 'workflows');
const require = createRequire(import.meta.url);
const validator = join(dirname(require.resolve('@action-validator/cli/package.json')), 'cli.mjs');

// GitHub's published labels for standard hosted runners (public repositories).
const RUNNERS = new Set([
  'ubuntu-latest',
  'ubuntu-24.04',
  'ubuntu-22.04',
  'ubuntu-24.04-arm',
  'ubuntu-22.04-arm',
  'windows-latest',
  'windows-2025',
  'windows-2022',
  'windows-11-arm',
  'macos-latest',
  'macos-15',
  'macos-14',
]);

const problems = [];
const pins = new Map(); // action -> { pin, where }
const files = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name));
if (files.length === 0) problems.push(`${relative(root, dir)}: no workflows`);

for (const name of files) {
  const path = join(dir, name);
  const where = relative(root, path);
  const schema = spawnSync(process.execPath, [validator, path], { encoding: 'utf8' });
  if (schema.status !== 0) problems.push(`${where}: schema:\n${schema.stdout}${schema.stderr}`);

  const lines = readFileSync(path, 'utf8').split('\n');
  if (!lines.some((line) => /^permissions:/.test(line))) {
    problems.push(`${where}: no top-level permissions (the default token can write)`);
  }
  lines.forEach((line, index) => {
    const at = `${where}:${index + 1}`;
    if (/^\s*permissions:\s*write-all/.test(line) || /^\s+[a-z-]+:\s*write\b/.test(line)) {
      problems.push(`${at}: asks for write access: ${line.trim()}`);
    }
    const uses = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
    if (uses) checkUses(uses[1] ?? '', uses[2] ?? '', at);
    const runsOn = /^\s*runs-on:\s*(\S+)\s*$/.exec(line);
    if (runsOn && !runsOn[1]?.startsWith('${{')) checkRunner(runsOn[1] ?? '', at);
    // Matrix values that name runners: `os: [a, b]` and `- os: a`.
    const osList = /^\s*(?:-\s+)?os:\s*\[([^\]]*)\]/.exec(line);
    for (const label of osList?.[1]?.split(',') ?? []) checkRunner(label.trim(), at);
    const osOne = /^\s*(?:-\s+)?os:\s*([\w.-]+)\s*$/.exec(line);
    if (osOne) checkRunner(osOne[1] ?? '', at);
    // And inside a matrix built by an expression: fromJSON('[{"os":"label",…}]').
    for (const match of line.matchAll(/"os"\s*:\s*"([^"]*)"/g)) checkRunner(match[1] ?? '', at);
  });
}

function checkUses(ref, rest, at) {
  if (ref.startsWith('./')) return; // an action of this repository
  const match = /^([\w.-]+\/[\w./-]+)@([0-9a-f]{40})$/.exec(ref);
  if (!match) {
    problems.push(`${at}: ${ref} is not pinned by a full commit SHA`);
    return;
  }
  const tag = /^\s*#\s*(v\d+(?:\.\d+)*)\s*$/.exec(rest)?.[1];
  if (!tag) problems.push(`${at}: ${ref} has no "# vX.Y.Z" comment naming its tag`);
  const [, action, sha] = match;
  const pin = `${sha} # ${tag}`;
  const seen = pins.get(action);
  if (!seen) pins.set(action, { pin, where: at });
  else if (seen.pin !== pin)
    problems.push(`${at}: ${action} pinned as ${pin}, but as ${seen.pin} at ${seen.where}`);
}

function checkRunner(label, at) {
  if (!RUNNERS.has(label)) problems.push(`${at}: "${label}" is not a GitHub-hosted runner label`);
}

if (problems.length > 0) {
  console.error(`check-workflows:\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`workflows: OK (${files.length} files; ${pins.size} actions pinned by commit)`);
