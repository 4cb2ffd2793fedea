// lib/ndr/classify.ts: the one classification both the format strings and the runtime's
// converters use. Layouts come from the real compiler, not hand-built objects.
import { describe, expect, it } from 'vitest';
import {
  classifyStruct,
  hasConformance,
  isConformant,
  isRegisterSized,
  isSimple,
  wireAlign,
  wireSize,
} from '../../lib/ndr/classify.js';
import { compileIdl } from '../../lib/ndr/index.js';

// Compiled on each use inside the tests, not at module level: a mutation-testing run sees
// no code that runs while vitest collects the file (docs/testing.md).
const IDL = `[uuid(12345678-1234-1234-1234-123456789abc), version(1.0)] interface T {
  typedef enum { A, B } E16;
  typedef struct { long a; short b; } Simple;          // 8 bytes, trailing padding 2
  typedef struct { long a; long b; } Exact;
  typedef struct { long n; [size_is(n)] long v[]; } Conf;
  typedef struct { long n; [string] wchar_t s[]; } ConfString;
  typedef struct { long n; [unique] long *p; } WithPointer;
  typedef struct { hyper h; E16 e; } WithEnum16;
  void F([in] Simple *a, [in] Exact *b, [in] Conf *c, [in] ConfString *d, [in] WithPointer *e, [in] WithEnum16 *f);
}`;
const t = (name: string) => {
  const l = compileIdl(IDL)[0]?.types[name];
  if (!l) throw new Error(name);
  return l;
};
const struct = (name: string) => {
  const l = t(name);
  if (l.kind !== 'struct') throw new Error(name);
  return l;
};

describe('classify', () => {
  it('x64 passes 1, 2, 4 and 8 bytes in the slot', () => {
    expect([1, 2, 3, 4, 8, 12, 16].map(isRegisterSized)).toEqual([
      true,
      true,
      false,
      true,
      true,
      false,
      false,
    ]);
  });

  it('struct classes: trailing padding, conformant tails, pointers, enum16', () => {
    expect(classifyStruct(struct('Simple'))).toBe('bogus'); // 6 wire bytes, 8 in memory
    expect(classifyStruct(struct('Exact'))).toBe('simple');
    expect(classifyStruct(struct('Conf'))).toBe('conformant');
    expect(classifyStruct(struct('ConfString'))).toBe('conformant-varying');
    expect(classifyStruct(struct('WithPointer'))).toBe('bogus');
    expect(classifyStruct(struct('WithEnum16'))).toBe('bogus');
    expect(isSimple(t('Exact'))).toBe(true);
  });

  it('conformance: the tail itself, or anywhere inside', () => {
    const tail = struct('Conf').fields[1]?.type;
    expect(tail && isConformant(tail)).toBe(true);
    expect(isConformant(t('Conf'))).toBe(false);
    expect(hasConformance(t('Conf'))).toBe(true);
    expect(hasConformance(t('Exact'))).toBe(false);
  });

  it('wire alignment and size: pointers 4, enum16 2', () => {
    expect(wireAlign(t('WithPointer'))).toBe(4);
    expect(wireAlign(t('WithEnum16'))).toBe(8);
    expect(wireSize(t('E16'))).toBe(2);
    expect(wireAlign(t('E16'))).toBe(2);
  });
});
