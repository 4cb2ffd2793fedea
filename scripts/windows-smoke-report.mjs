// The report of `npm run windows-smoke`: what vitest's JSON reporter says, boiled down
// to counts and names, and the whole report as text. Pure functions, so they are
// unit-tested on any OS (test/unit/windows-smoke.test.ts).

/** A test file's path from its test/ folder on, with forward slashes. */
export function shortPath(file) {
  const normal = String(file).replaceAll('\\', '/');
  return /(?:^|\/)(test\/.*)$/.exec(normal)?.[1] ?? normal;
}

/** First line of a failure message (the assertion), without the stack. */
function firstLine(message) {
  return String(message ?? '').split('\n')[0] ?? '';
}

/**
 * Counts and names from a vitest JSON report (--reporter=json): passed, failed,
 * skipped (todo included), the failed tests with their first message line, the skipped
 * tests (their names carry the reason), and files that failed before any test ran.
 */
export function summariseVitest(report) {
  const summary = { passed: 0, failed: 0, skipped: 0, failures: [], skips: [], brokenFiles: [] };
  for (const file of report.testResults ?? []) {
    const where = shortPath(file.name);
    const results = file.assertionResults ?? [];
    if (results.length === 0 && file.status === 'failed') {
      summary.brokenFiles.push({ file: where, message: firstLine(file.message) });
    }
    for (const test of results) {
      const name = `${where} > ${test.fullName}`;
      if (test.status === 'passed') summary.passed++;
      else if (test.status === 'failed') {
        summary.failed++;
        summary.failures.push({ test: name, message: firstLine(test.failureMessages?.[0]) });
      } else {
        summary.skipped++; // skipped, pending, todo
        summary.skips.push(name);
      }
    }
  }
  return summary;
}

/** A step's line: name, outcome, seconds. */
function stepLine(step) {
  const outcome =
    step.status === 0 ? 'ok' : step.status === undefined ? 'not run' : `FAILED (exit ${step.status})`;
  const seconds = step.seconds === undefined ? '' : ` (${step.seconds.toFixed(0)} s)`;
  return `- ${step.name}: ${outcome}${seconds}`;
}

/** The whole report as Markdown, ready to paste into an issue. */
export function formatReport({ facts, steps, tests }) {
  const lines = ['## winrpc windows-smoke', ''];
  for (const [name, value] of Object.entries(facts)) lines.push(`- ${name}: ${value}`);
  lines.push('', '### Steps', ...steps.map(stepLine));
  if (tests) {
    lines.push('', `### Tests: ${tests.passed} passed, ${tests.failed} failed, ${tests.skipped} skipped`);
    for (const broken of tests.brokenFiles) lines.push(`- FILE FAILED ${broken.file}: ${broken.message}`);
    for (const failure of tests.failures) lines.push(`- FAILED ${failure.test}: ${failure.message}`);
    if (tests.skips.length > 0) lines.push('', 'Skipped:', ...tests.skips.map((name) => `- ${name}`));
  }
  return `${lines.join('\n')}\n`;
}

/** True when every step ran and passed and no test failed. */
export function smokePassed(steps, tests) {
  return (
    steps.every((step) => step.status === 0) &&
    tests !== undefined &&
    tests.failed === 0 &&
    tests.brokenFiles.length === 0
  );
}
