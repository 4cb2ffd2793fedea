// `npm test`. On Linux: the unit tests under Linux node, then the whole suite inside a
// Windows node.exe under Wine (the lane). On Windows: the whole suite natively.
// Builds what the suite needs first, and ends with one plain summary line.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { prepare, root, run, runWindowsNode } from './prepare.mjs';

mkdirSync(join(root, '.cache'), { recursive: true });
// WINRPC_TEST_REPORTS keeps vitest's JSON reports (<lane>.json) in that folder, for
// scripts/windows-smoke.mjs; by default they live in a temporary folder.
const keptReports = process.env.WINRPC_TEST_REPORTS;
if (keptReports) mkdirSync(keptReports, { recursive: true });
const reports = keptReports || mkdtempSync(join(root, '.cache', 'test-reports-'));
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
// The pass against the JS twins below runs in a whole run (no filter), and with a filter
// when `--js-servers` (npm run test:js-servers) asks for it.
const extraArgs = process.argv.slice(2).filter((arg) => arg !== '--js-servers');
const jsTwinPass = process.argv.includes('--js-servers') || extraArgs.length === 0;
/** The e2e files whose every server has a JS twin, run once more against the twins. */
const JS_TWIN_SUITES = [
  'test/e2e/arrays.test.ts',
  'test/e2e/bindings.test.ts',
  'test/e2e/bulk.test.ts',
  'test/e2e/calc.test.ts',
  'test/e2e/context-handles.test.ts',
  'test/e2e/pointers.test.ts',
  'test/e2e/generic-handles.test.ts',
  'test/e2e/types.test.ts',
  'test/e2e/unions.test.ts',
  'test/e2e/structs.test.ts',
  'test/e2e/generated-client.test.ts',
  'test/e2e/range-on-conformance.test.ts',
  // Its synchronous child calls block this thread: fine now that twins run in Workers.
  'test/e2e/cli.test.ts',
];

function counts(reportFile) {
  try {
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    return {
      passed: report.numPassedTests,
      failed: report.numFailedTests,
      // A file whose setup (beforeAll, import) failed has no failed test: count it.
      failedFiles: report.testResults.filter((file) => file.status === 'failed').length,
      skipped: report.numPendingTests + report.numTodoTests,
      projects: byProject(report),
    };
  } catch {
    return { passed: 0, failed: 1, failedFiles: 1, skipped: 0, projects: {} };
  }
}

/** The same counts per vitest project (test/unit, test/e2e), from each test's status. */
function byProject(report) {
  const out = {};
  for (const file of report.testResults ?? []) {
    const project = /[\\/]test[\\/]e2e[\\/]/.test(file.name) ? 'e2e' : 'unit';
    out[project] ??= { passed: 0, failed: 0, skipped: 0 };
    for (const t of file.assertionResults ?? []) {
      const key = t.status === 'passed' ? 'passed' : t.status === 'failed' ? 'failed' : 'skipped';
      out[project][key]++;
    }
  }
  return out;
}

const show = (c) => `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;

function vitestArgs(name) {
  // Relative paths: under Wine the same string is resolved from Z:\ by node.exe.
  const report = relative(root, join(reports, `${name}.json`));
  return ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extraArgs];
}

const lanes = [];
// The bundle in dist/ is what Workers and child processes of the e2e tests load.
prepare();

if (process.platform === 'win32') {
  const status = run(process.execPath, [vitest, ...vitestArgs('windows')]);
  lanes.push({ name: 'windows node.exe', status, ...counts(join(reports, 'windows.json')) });
} else {
  // A filter naming only e2e files leaves the Linux lane with nothing to run: not a failure.
  const unitArgs = [
    ...vitestArgs('linux'),
    '--project',
    'unit',
    ...(extraArgs.length ? ['--passWithNoTests'] : []),
  ];
  const unitStatus = run(process.execPath, [vitest, ...unitArgs]);
  lanes.push({ name: 'linux node', status: unitStatus, ...counts(join(reports, 'linux.json')) });
  const wineStatus = runWindowsNode(['node_modules/vitest/vitest.mjs', ...vitestArgs('wine')]);
  lanes.push({
    name: 'windows node.exe under wine',
    status: wineStatus,
    ...counts(join(reports, 'wine.json')),
  });
}
// Then the e2e suites whose servers have JS twins (test/servers/js) run against those
// twins: the same tests, served by winrpc's own server side, each twin in a Worker of the
// test's process (test/support/js-server.ts). With a filter, only the twin suites it names.
const namedFiles = extraArgs.filter((arg) => /^test[\\/]|\.test\.ts$/.test(arg));
const twinSuites =
  namedFiles.length === 0
    ? JS_TWIN_SUITES
    : JS_TWIN_SUITES.filter((suite) => namedFiles.some((file) => suite.includes(file.replace(/\\/g, '/'))));
if (jsTwinPass && twinSuites.length > 0) {
  process.env.WINRPC_TEST_SERVERS = 'js';
  const args = [...vitestArgs('js-servers').filter((arg) => !namedFiles.includes(arg)), ...twinSuites];
  const status =
    process.platform === 'win32'
      ? run(process.execPath, [vitest, ...args])
      : runWindowsNode(['node_modules/vitest/vitest.mjs', ...args]);
  delete process.env.WINRPC_TEST_SERVERS;
  lanes.push({
    name: 'the same e2e suites against JS servers',
    status,
    ...counts(join(reports, 'js-servers.json')),
  });
}
if (!keptReports) rmSync(reports, { recursive: true, force: true });

// Each lane says which projects it ran; the unit tests run in every lane, so the total
// counts them once per lane, and the last line says how many of its passes are those.
const total = { passed: 0, failed: 0, skipped: 0, failedFiles: 0 };
for (const lane of lanes) {
  const parts = Object.entries(lane.projects).map(([project, c]) => `${project} ${show(c)}`);
  console.log(
    `${lane.name}: ${show(lane)}, ${lane.failedFiles} failed files (exit ${lane.status})${parts.length ? ` = ${parts.join('; ')}` : ''}`,
  );
  total.passed += lane.passed;
  total.failed += lane.failed;
  total.skipped += lane.skipped;
  total.failedFiles += lane.failedFiles;
}
const unitLanes = lanes.filter((lane) => lane.projects.unit);
const repeated = unitLanes.slice(1).reduce((n, lane) => n + lane.projects.unit.passed, 0);
const again =
  repeated > 0
    ? ` (${repeated} of the passes are unit tests run again in another lane: ${unitLanes.length} lanes ran them)`
    : '';
console.log(`${show(total)}, ${total.failedFiles} failed files${again}`);
process.exit(lanes.every((lane) => lane.status === 0) && total.failed + total.failedFiles === 0 ? 0 : 1);
