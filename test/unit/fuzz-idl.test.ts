// Property: the IDL front end and the NDR compiler, fed a mutation of any IDL in the
// repository (bytes and tokens deleted, inserted, duplicated or swapped, the text
// truncated, random attribute lists dropped in), either compile it or throw an IdlError
// whose file:line:column lies inside the text it names; never another exception (an
// IdlError of kind 'internal' is one in disguise), never more than 1 s of CPU per input.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateClient } from '../../lib/codegen/generate.js';
import { IdlError, type SourceLocation } from '../../lib/idl/errors.js';
import { compileIdl } from '../../lib/ndr/index.js';
import { describeThrown, fuzzRuns, timed } from './fuzz-support.js';
import { loadMidlFixture, MIDL_FIXTURE_NAMES } from './ndr-midl-fixtures.js';

const ROOT = join(import.meta.dirname, '../..');
const LIMIT_MS = 1000;

interface Seed {
  /** Repository-relative path (the test's name). */
  name: string;
  file: string;
  text: string;
  acf?: { file: string; text: string };
  defines?: Record<string, string>;
  /** Also through generateClient (a sample: the small test servers' IDL). */
  codegen: boolean;
}

const idlFiles = (dir: string, recursive = false) =>
  (readdirSync(join(ROOT, dir), { recursive }) as string[])
    .filter((f) => /\.idl$/i.test(f))
    .map((f) => join(ROOT, dir, f))
    .sort();

/** Every IDL in the repository, with the ACF and defines MIDL was given for it. */
function corpus(): Seed[] {
  const acfs = new Map<string, { file: string; text: string }>();
  const defines = new Map<string, Record<string, string>>();
  for (const name of MIDL_FIXTURE_NAMES) {
    const fixture = loadMidlFixture(name);
    const { acf, acfFile } = fixture.parse;
    if (acf !== undefined && acfFile !== undefined) acfs.set(fixture.idlFile, { file: acfFile, text: acf });
    if (fixture.parse.defines) defines.set(fixture.idlFile, fixture.parse.defines);
  }
  const files = [
    ...idlFiles('test/fixtures/idl'),
    ...idlFiles('test/servers'),
    ...idlFiles('test/fixtures/midl', true),
    ...idlFiles('examples', true),
  ];
  return files.map((file) => {
    const raw = readFileSync(file, 'utf8');
    const acf = acfs.get(file);
    const define = defines.get(file);
    return {
      name: relative(ROOT, file),
      file,
      text: raw,
      ...(acf ? { acf } : {}),
      ...(define ? { defines: define } : {}),
      codegen: file.startsWith(join(ROOT, 'test/servers')),
    };
  });
}

/** Imports and includes beside the including file, as MIDL (and the CLI) look them up. */
function readFile(path: string, from: string): string | undefined {
  const candidate = isAbsolute(path) ? path : join(dirname(from), path);
  return existsSync(candidate) ? readFileSync(candidate, 'utf8') : undefined;
}

// Tokens, roughly as the lexer sees them: enough to cut, copy and swap whole ones.
const TOKEN =
  /[A-Za-z_][A-Za-z0-9_]*|0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\/\/[^\n]*|\/\*[\s\S]*?\*\/|#[a-z]+|\S/g;

function tokens(text: string): { start: number; end: number }[] {
  return [...text.matchAll(TOKEN)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

const ATTRIBUTES = [
  'in',
  'out',
  'ref',
  'unique',
  'ptr',
  'string',
  'size_is',
  'max_is',
  'length_is',
  'first_is',
  'last_is',
  'min_is',
  'switch_is',
  'switch_type',
  'case',
  'default',
  'range',
  'context_handle',
  'strict_context_handle',
  'handle',
  'ignore',
  'iid_is',
  'uuid',
  'version',
  'pointer_default',
  'local',
  'object',
  'v1_enum',
  'call_as',
  'transmit_as',
  'wire_marshal',
  'represent_as',
  'user_marshal',
  'async',
  'callback',
  'broadcast',
  'idempotent',
  'maybe',
  'message',
  'endpoint',
  'implicit_handle',
  'explicit_handle',
  'auto_handle',
  'context_handle_noserialize',
  'annotation',
  'disable_consistency_check',
  'partial_ignore',
  'force_allocate',
  'nocode',
  'notify',
  'custom',
  'helpstring',
  'id',
  'propget',
  'retval',
  'bogus',
];

const INTERESTING_NUMBERS = [
  '0',
  '1',
  '-1',
  '2',
  '7',
  '0x7fffffff',
  '0x80000000',
  '0xffffffff',
  '4294967296',
  '9223372036854775807',
  '18446744073709551615',
  '99999999999999999999999',
  '-2147483648',
  '1.5',
  '0777',
  "'a'",
  'L"x"',
];

/** An attribute argument: a name from the file, a number, a pointer, an expression. */
function argument(names: readonly string[]): fc.Arbitrary<string> {
  const name = fc.constantFrom(...names);
  const leaf = fc.oneof(name, fc.constantFrom(...INTERESTING_NUMBERS));
  return fc.oneof(
    leaf,
    name.map((n) => `*${n}`),
    fc
      .tuple(leaf, fc.constantFrom('+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^', '&&', '==', '<'), leaf)
      .map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(leaf, leaf, leaf).map(([a, b, c]) => `${a} ? ${b} : ${c}`),
    fc.constant(''),
    fc.constant('12345678-1234-1234-1234-123456789abc'),
    fc.constant('"text"'),
  );
}

function attributeList(names: readonly string[]): fc.Arbitrary<string> {
  const one = fc
    .tuple(
      fc.constantFrom(...ATTRIBUTES, ...names.slice(0, 20)),
      fc.option(fc.array(argument(names), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    )
    .map(([attr, args]) => (args ? `${attr}(${args.join(', ')})` : attr));
  return fc
    .array(one, { minLength: 0, maxLength: 4 })
    .map((list) => `[${list.join(', ')}]`)
    .chain((list) => fc.constantFrom(list, `${list} `, list.slice(0, -1)));
}

/** Text to insert: IDL punctuation and keywords, preprocessor lines, any Unicode. */
function insertion(file: string, names: readonly string[]): fc.Arbitrary<string> {
  const own = basename(file);
  const snippets = [
    '[',
    ']',
    '{',
    '}',
    '(',
    ')',
    ';',
    ',',
    '*',
    '**',
    '&',
    ':',
    '::',
    '...',
    '=',
    '"',
    "'",
    '\\',
    '/*',
    '*/',
    '//',
    '\0',
    '\n',
    'typedef ',
    'struct ',
    'union ',
    'enum ',
    'switch (long k) ',
    'case 1: ',
    'default: ',
    'const ',
    'unsigned ',
    'signed ',
    'void ',
    'interface ',
    'coclass ',
    'library ',
    'import ',
    'cpp_quote("x")',
    'pipe ',
    'error_status_t ',
    'handle_t ',
    '__int3264 ',
    'wchar_t ',
    'hyper ',
    'sizeof(long)',
    '\n#define A B\n',
    '\n#define F(x) x\n',
    '\n#undef __midl\n',
    '\n#if 0\n',
    '\n#ifdef __midl\n',
    '\n#else\n',
    '\n#endif\n',
    '\n#include "nonexistent.h"\n',
    `\n#include "${own}"\n`,
    `\nimport "${own}";\n`,
    '\nimport "ms-dtyp.idl";\n',
    '\n#pragma pack(1)\n',
  ];
  const units = [...'[]{}()<>;,*&|^~!?:=+-/%."\'#\\ \t\n0123456789abcxyzLU_'];
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...snippets) },
    { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...units), minLength: 1, maxLength: 12 }) },
    { weight: 2, arbitrary: fc.constantFrom(...names).map((n) => ` ${n} `) },
    { weight: 1, arbitrary: fc.constantFrom(...INTERESTING_NUMBERS) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }) },
  );
}

type Mutation =
  | { kind: 'delete-bytes'; at: number; length: number }
  | { kind: 'insert-text'; at: number; text: string }
  | { kind: 'duplicate-bytes'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'delete-token'; index: number; count: number }
  | { kind: 'duplicate-token'; index: number }
  | { kind: 'swap-tokens'; a: number; b: number }
  | { kind: 'copy-token'; from: number; to: number }
  | { kind: 'insert-at-token'; index: number; text: string };

function mutation(file: string, names: readonly string[]): fc.Arbitrary<Mutation> {
  const at = fc.nat();
  const text = insertion(file, names);
  return fc.oneof(
    fc.record({ kind: fc.constant('delete-bytes'), at, length: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ kind: fc.constant('insert-text'), at, text }),
    fc.record({ kind: fc.constant('duplicate-bytes'), at, length: fc.integer({ min: 1, max: 400 }) }),
    fc.record({ kind: fc.constant('truncate'), at }),
    fc.record({ kind: fc.constant('delete-token'), index: at, count: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ kind: fc.constant('duplicate-token'), index: at }),
    fc.record({ kind: fc.constant('swap-tokens'), a: at, b: fc.nat() }),
    fc.record({ kind: fc.constant('copy-token'), from: at, to: fc.nat() }),
    fc.record({
      kind: fc.constant('insert-at-token'),
      index: at,
      text: fc.oneof({ weight: 2, arbitrary: attributeList(names) }, { weight: 1, arbitrary: text }),
    }),
  ) as fc.Arbitrary<Mutation>;
}

/** Applies one mutation; positions and token indexes wrap around the current text. */
function mutate(text: string, m: Mutation): string {
  const splice = (start: number, end: number, insert: string) =>
    text.slice(0, start) + insert + text.slice(end);
  const n = text.length + 1;
  switch (m.kind) {
    case 'delete-bytes':
      return splice(m.at % n, (m.at % n) + m.length, '');
    case 'insert-text':
      return splice(m.at % n, m.at % n, m.text);
    case 'duplicate-bytes': {
      const start = m.at % n;
      return splice(start, start, text.slice(start, start + m.length));
    }
    case 'truncate':
      return text.slice(0, m.at % n);
  }
  const list = tokens(text);
  if (list.length === 0) return text;
  const token = (i: number) => list[i % list.length]!;
  const of = (t: { start: number; end: number }) => text.slice(t.start, t.end);
  switch (m.kind) {
    case 'delete-token': {
      const first = token(m.index);
      const last = list[Math.min((m.index % list.length) + m.count - 1, list.length - 1)]!;
      return splice(first.start, last.end, '');
    }
    case 'duplicate-token': {
      const t = token(m.index);
      return splice(t.end, t.end, ` ${of(t)}`);
    }
    case 'swap-tokens': {
      const [a, b] = [token(m.a), token(m.b)].sort((x, y) => x.start - y.start) as [
        { start: number; end: number },
        { start: number; end: number },
      ];
      if (a === b) return text;
      return text.slice(0, a.start) + of(b) + text.slice(a.end, b.start) + of(a) + text.slice(b.end);
    }
    case 'copy-token': {
      const to = token(m.to);
      return splice(to.start, to.start, `${of(token(m.from))} `);
    }
    case 'insert-at-token': {
      const t = token(m.index);
      return splice(t.start, t.start, m.text);
    }
  }
}

/** The names a file declares and uses: attribute arguments and insertions draw on them. */
function namesOf(text: string): string[] {
  const names = new Set(text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
  return [...names].slice(0, 400);
}

/** The text an error position refers to: the mutated file, its ACF, or a file it read. */
function textAt(seed: Seed, mutated: string, file: string): string | undefined {
  if (file === seed.file) return mutated;
  if (seed.acf && file === seed.acf.file) return seed.acf.text;
  return readFile(file, seed.file) ?? undefined;
}

/** An IdlError's position must name a line and column inside the text it points at. */
function positionProblem(seed: Seed, mutated: string, loc: SourceLocation | undefined): string | undefined {
  if (!loc) return 'no position';
  if (loc.file.startsWith('<winrpc-')) return undefined; // winrpc's own prelude and SDK text
  const text = textAt(seed, mutated, loc.file);
  if (text === undefined) return `a file that was never read: ${loc.file}`;
  // Lines end at LF, as the lexer counts them (a CR is whitespace, CRLF or not).
  const lines = text.split('\n');
  if (!Number.isInteger(loc.line) || loc.line < 1 || loc.line > lines.length) {
    return `line ${loc.line} outside 1..${lines.length}`;
  }
  const length = lines[loc.line - 1]!.length;
  if (!Number.isInteger(loc.column) || loc.column < 1 || loc.column > length + 1) {
    return `column ${loc.column} outside 1..${length + 1} of line ${loc.line}`;
  }
  return undefined;
}

function compileMutated(seed: Seed, text: string): unknown {
  const options = {
    file: seed.file,
    readFile,
    ...(seed.acf ? { acf: seed.acf.text, acfFile: seed.acf.file } : {}),
    ...(seed.defines ? { defines: seed.defines } : {}),
  };
  const compiled = compileIdl(text, options);
  return seed.codegen ? generateClient(text, options) : compiled;
}

/**
 * Runs for a file: small files are cheap and get more. Fixed per file (never derived
 * from a clock), so a run's work is the same on every machine.
 */
function runsFor(text: string): number {
  return Math.max(6, Math.min(40, Math.floor(120_000 / text.length)));
}

/** The slowest input per file, for docs/reliability.md (printed with FUZZ_REPORT=1). */
const slowest = new Map<string, number>();

describe('fuzz: the IDL front end', () => {
  const seeds = corpus();

  it('has the whole repository to mutate', () => {
    expect(seeds.length).toBeGreaterThanOrEqual(50);
  });

  it.each(seeds.map((s) => [s.name, s] as const))(
    '%s: mutations compile or give an IdlError with a position',
    (_, seed) => {
      const names = namesOf(seed.text);
      // Once unmutated, so one-time work (the prelude, JIT) is not charged to an input.
      timed(() => compileMutated(seed, seed.text));
      fc.assert(
        fc.property(fc.array(mutation(seed.file, names), { minLength: 1, maxLength: 4 }), (mutations) => {
          const text = mutations.reduce(mutate, seed.text);
          const outcome = timed(() => compileMutated(seed, text));
          slowest.set(seed.name, Math.max(slowest.get(seed.name) ?? 0, outcome.ms));
          if (outcome.ms > LIMIT_MS) {
            throw new Error(`took ${outcome.ms.toFixed(0)} ms of CPU (limit ${LIMIT_MS} ms)`);
          }
          if (outcome.ok) return;
          const { error } = outcome;
          if (!(error instanceof IdlError)) throw new Error(`not an IdlError: ${describeThrown(error)}`);
          if (error.kind === 'internal') {
            throw new Error(
              `an internal error: ${describeThrown(error)}\ncause: ${describeThrown(error.cause)}`,
            );
          }
          const problem = positionProblem(seed, text, error.location);
          if (problem) throw new Error(`position ${problem}: ${error.message}`);
        }),
        fuzzRuns(runsFor(seed.text)),
      );
    },
    60_000,
  );

  it('mutated every file (the slowest inputs with FUZZ_REPORT=1)', () => {
    expect([...slowest.keys()].sort()).toEqual(seeds.map((s) => s.name).sort());
    if (process.env.FUZZ_REPORT !== '1') return;
    const rows = [...slowest].sort((a, b) => b[1] - a[1]);
    const runs = seeds.reduce((sum, s) => sum + fuzzRuns(runsFor(s.text)).numRuns!, 0);
    console.log(`IDL fuzz: ${runs} inputs; slowest (ms CPU):`, rows.slice(0, 5));
  });
});
