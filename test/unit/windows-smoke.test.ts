// scripts/windows-smoke.mjs: its report, from a real vitest JSON report (written by
// vitest's json reporter for test/fixtures/windows-smoke/sample.test.ts: one test of
// each outcome), and its refusal anywhere but real Windows.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lane } from '../support/lane.js';

interface Summary {
  passed: number;
  failed: number;
  skipped: number;
  failures: { test: string; message: string }[];
  skips: string[];
  brokenFiles: { file: string; message: string }[];
}
interface Step {
  name: string;
  status?: number;
  seconds?: number;
}
interface ReportModule {
  shortPath(file: string): string;
  summariseVitest(report: unknown): Summary;
  formatReport(input: { facts: Record<string, string>; steps: Step[]; tests?: Summary }): string;
  smokePassed(steps: Step[], tests?: Summary): boolean;
}

// A URL import: the script is plain JS, loaded as windows-smoke loads it.
const smoke = (await import(
  new URL('../../scripts/windows-smoke-report.mjs', import.meta.url).href
)) as ReportModule;
const fixture = new URL('../fixtures/windows-smoke/vitest-report.json', import.meta.url);
const report = JSON.parse(readFileSync(fixture, 'utf8'));

describe('windows-smoke report', () => {
  it("counts vitest's outcomes as test.mjs does (todo counts as skipped)", () => {
    const summary = smoke.summariseVitest(report);
    expect(summary).toMatchObject({ passed: 1, failed: 1, skipped: 2, brokenFiles: [] });
    expect(summary.passed).toBe(report.numPassedTests);
    expect(summary.failed).toBe(report.numFailedTests);
    expect(summary.skipped).toBe(report.numPendingTests + report.numTodoTests);
  });

  it('names failures with their assertion, and skips with the reason in their names', () => {
    const summary = smoke.summariseVitest(report);
    expect(summary.failures).toEqual([
      {
        test: 'test/fixtures/windows-smoke/sample.test.ts > a suite fails',
        message: 'AssertionError: expected 2 to be 3 // Object.is equality',
      },
    ]);
    expect(summary.skips).toEqual([
      'test/fixtures/windows-smoke/sample.test.ts > a suite is skipped (skipped under Wine: a reason)',
      'test/fixtures/windows-smoke/sample.test.ts > a suite is a todo',
    ]);
  });

  it('reports a test file that failed before any test ran', () => {
    const broken = {
      testResults: [
        {
          name: 'D:\\a\\winrpc\\test\\e2e\\calc.test.ts',
          status: 'failed',
          message: 'Error: x\n at y',
          assertionResults: [],
        },
      ],
    };
    const summary = smoke.summariseVitest(broken);
    expect(summary.brokenFiles).toEqual([{ file: 'test/e2e/calc.test.ts', message: 'Error: x' }]);
    expect(smoke.smokePassed([{ name: 'tests', status: 0 }], summary)).toBe(false);
  });

  it('prints facts, steps and results, and passes only when everything did', () => {
    const tests = smoke.summariseVitest(report);
    const steps = [
      { name: 'npm ci --ignore-scripts', status: 0, seconds: 31 },
      { name: 'demo (examples/demo.mjs)', status: 1, seconds: 2 },
    ];
    const text = smoke.formatReport({ facts: { Windows: 'Windows 11 Pro (10.0.26100, x64)' }, steps, tests });
    expect(text).toContain('- Windows: Windows 11 Pro (10.0.26100, x64)');
    expect(text).toContain('- npm ci --ignore-scripts: ok (31 s)');
    expect(text).toContain('- demo (examples/demo.mjs): FAILED (exit 1) (2 s)');
    expect(text).toContain('### Tests: 1 passed, 1 failed, 2 skipped');
    expect(text).toContain(
      '- FAILED test/fixtures/windows-smoke/sample.test.ts > a suite fails: AssertionError',
    );
    expect(smoke.smokePassed(steps, tests)).toBe(false);
    const clean = { ...tests, failed: 0, failures: [] };
    expect(smoke.smokePassed([{ name: 'x', status: 0 }], clean)).toBe(true);
    expect(smoke.smokePassed([{ name: 'x', status: 0 }], undefined)).toBe(false);
  });

  // On real Windows the script would start installing: only its refusals are run here.
  it.skipIf(lane === 'windows')(
    'refuses to run anywhere but real Windows (Linux, Wine)',
    () => {
      const script = fileURLToPath(new URL('../../scripts/windows-smoke.mjs', import.meta.url));
      const result = spawnSync(process.execPath, [script], { encoding: 'utf8' });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(lane === 'wine' ? /this is Wine, not Windows/ : /runs on Windows only/);
    },
    60_000,
  ); // a node.exe start: seconds under a busy Wine
});
