// The winrpc command without Windows: gen, inspect, usage and error reporting (calls
// themselves are in test/e2e/cli.test.ts).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toJson } from '../../lib/cli/call.js';
import { main } from '../../lib/cli/main.js';

async function run(...argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(argv, { stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t) });
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}

function tempIdl(text: string, name = 'bad.idl'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'winrpc-cli-')), name);
  writeFileSync(path, text);
  return path;
}

describe('winrpc gen', () => {
  it('writes the client to -o', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'winrpc-cli-')), 'calc.client.ts');
    const result = await run('gen', 'test/servers/calc.idl', '-o', out);
    expect(result.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('export class CalcClient implements ICalcClient');
  });

  it('names file, line and column of an IDL error and exits 1', async () => {
    const file = tempIdl(
      '[uuid(12345678-1234-1234-1234-123456789abc)]\ninterface x {\n  long F([in] nosuchtype a);\n}\n',
    );
    const result = await run('gen', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`^${file.replaceAll('\\', '\\\\')}:3:\\d+: unknown type 'nosuchtype'`),
    );
  });

  it('types context handles as the runtime ContextHandle, branded by their typedef', async () => {
    const result = await run('gen', 'test/servers/sessions.idl');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'CloseCounter(counter: ContextHandle<"COUNTER"> | null, options?: CallOptions): Promise<{ counter: ContextHandle<"COUNTER"> | null }>;',
    );
  });

  it('reports a missing file with its name', async () => {
    const result = await run('gen', 'no/such.idl');
    expect(result).toMatchObject({ code: 1, stderr: 'no/such.idl:1:1: cannot read: no such file\n' });
  });

  it('resolves imports through -I', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'winrpc-cli-'));
    writeFileSync(join(dir, 'shared.idl'), 'typedef struct Pair { long a; long b; } Pair;\n');
    const file = tempIdl(
      'import "shared.idl";\n[uuid(12345678-1234-1234-1234-123456789abc)]\ninterface x {\n  long Sum([in] Pair *p);\n}\n',
      'main.idl',
    );
    expect((await run('gen', file)).code).toBe(1);
    const result = await run('gen', file, '-I', dir);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Sum(p: Pair,');
  });
});

describe('winrpc inspect', () => {
  it('lists interfaces and procedures with their client signatures', async () => {
    const result = await run('inspect', 'test/servers/calc.idl');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('interface calc b818072d-1d65-4af0-8ac8-fe86f0518b2b version 1.0');
    expect(result.stdout).toContain(
      '    1  Divide(a: number, b: number): { remainder: number; returnValue: number }',
    );
  });

  it('annotates every byte of the format strings with --format-strings', async () => {
    const result = await run('inspect', 'test/servers/types.idl', '--format-strings');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/FC_BIND_PRIMITIVE flags 0x0, stack offset 8/);
    expect(result.stdout).toMatch(/1a 07 +FC_BOGUS_STRUCT alignment 8/);
    expect(result.stdout).toMatch(
      /28 54 20 00 01 00 +length_is: top-level FC_LONG, FC_DEREFERENCE, offset 32/,
    );
    // No byte of types.idl's type format string is left unexplained.
    const typeSection = result.stdout.slice(result.stdout.indexOf('  type format string ('));
    for (const line of typeSection.split('\n').slice(1)) {
      if (line.trim()) expect(line).toMatch(/^ +\d+ {2}[0-9a-f ]+ +\S/);
    }
  });
});

describe('usage', () => {
  it('exits 2 with the usage for an unknown command or option', async () => {
    expect(await run('frobnicate')).toMatchObject({ code: 2, stderr: expect.stringContaining('usage:') });
    expect((await run('gen', 'a.idl', '--nope')).code).toBe(2);
    expect((await run('call', 'Add')).stderr).toContain('call needs --idl');
  });

  it('names the interface when call asks for a procedure it lacks', async () => {
    const result = await run(
      'call',
      '--idl',
      'test/servers/calc.idl',
      '--binding',
      'ncalrpc:[x]',
      'Multiply',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^test\/servers\/calc\.idl:\d+:\d+: interface calc has no procedure Multiply/,
    );
  });
});

describe('winrpc call output', () => {
  it('writes bigints as plain JSON numbers, at the top level and inside objects', () => {
    expect(toJson(9007199254740993n)).toBe('9007199254740993');
    expect(JSON.parse(toJson({ p: -9223372036854775808n, s: 'x' }).replace(/-?\d{16,}/, '0'))).toEqual({
      p: 0,
      s: 'x',
    });
    expect(toJson({ p: -9223372036854775808n })).toContain('"p": -9223372036854775808');
    expect(toJson([1n, 2])).toBe('[\n  1,\n  2\n]');
  });

  it('leaves strings that only look like the marker alone', () => {
    expect(toJson('\\u0000bigint:5')).toBe('"\\\\u0000bigint:5"');
  });
});
