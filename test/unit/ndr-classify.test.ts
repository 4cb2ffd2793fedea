// lib/ndr/classify.ts: the one classification both the format strings and the runtime's
// converters use. Layouts come from the real compiler, not hand-built objects.
import { describe, expect, it } from 'vitest';
import {
  classifyStruct,
  hasConformance,
  hasPointers,
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
  typedef [v1_enum] enum { C, D } E32;
  typedef struct { long a[4]; E32 e; } FixedArray;
  typedef struct { short n; [length_is(n)] long a[4]; } Varying;
  typedef struct { [string] char *c; [string] wchar_t *w; char fixed[8]; } Strings;
  typedef [switch_type(short)] union { [case(1)] hyper h; [case(2)] char c; } Wide;
  typedef [switch_type(short)] union { [case(1)] char c; [default] ; } Narrow;
  void F([in] Simple *a, [in] Exact *b, [in] Conf *c, [in] ConfString *d, [in] WithPointer *e, [in] WithEnum16 *f);
  void G([in] FixedArray *a, [in] Varying *b, [in] Strings *c, [in] short k, [in, switch_is(k)] Wide *w,
         [in, switch_is(k)] Narrow *n);
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

// The NDR rules ([C706] 14.2, 14.3): wire alignment is the largest primitive's (a
// pointer's referent id 4, enum16 2, v1_enum 4, a char string 1, a wchar_t string 2, a
// union the largest of its discriminant and arms); a struct is block-copyable (simple)
// only when its wire and memory images agree (no enum16, pointer, varying part).
describe('classify: more of the NDR rules', () => {
  const field = (struct_: string, name: string) => {
    const f = struct(struct_).fields.find((x) => x.name === name);
    if (!f) throw new Error(`${struct_}.${name}`);
    return f.type;
  };
  const pointee = (struct_: string, name: string) => {
    const f = field(struct_, name);
    if (f.kind !== 'pointer') throw new Error(`${struct_}.${name} is not a pointer`);
    return f.target;
  };

  it('enum: v1_enum is simple and 4-aligned, enum16 is neither', () => {
    expect(isSimple(t('E32'))).toBe(true);
    expect(wireAlign(t('E32'))).toBe(4);
    expect(isSimple(t('E16'))).toBe(false);
  });

  it('fixed arrays of simple elements are simple; length_is makes them varying', () => {
    expect(isSimple(field('FixedArray', 'a'))).toBe(true);
    expect(classifyStruct(struct('FixedArray'))).toBe('simple');
    expect(isSimple(field('Varying', 'a'))).toBe(false);
    expect(hasConformance(field('Varying', 'a'))).toBe(true);
    expect(classifyStruct(struct('Varying'))).toBe('bogus');
    expect(wireAlign(field('FixedArray', 'a'))).toBe(4);
  });

  it('strings: char 1-aligned, wchar_t 2-aligned; a counted string has no conformance', () => {
    expect(wireAlign(pointee('Strings', 'c'))).toBe(1);
    expect(wireAlign(pointee('Strings', 'w'))).toBe(2);
    expect(hasConformance(pointee('Strings', 'c'))).toBe(true);
    expect(isConformant(pointee('Strings', 'c'))).toBe(true);
    expect(hasPointers(t('Strings'))).toBe(true);
    expect(isSimple(pointee('Strings', 'c'))).toBe(false);
  });

  it('unions: aligned to the largest of discriminant and arms; always walked for pointers', () => {
    expect(wireAlign(t('Wide'))).toBe(8);
    expect(wireAlign(t('Narrow'))).toBe(2);
    expect(isSimple(t('Wide'))).toBe(false);
    expect(hasPointers(t('Narrow'))).toBe(true);
  });

  it('pointers anywhere inside; none in a plain struct or a fixed array', () => {
    expect(hasPointers(t('WithPointer'))).toBe(true);
    expect(hasPointers(t('Exact'))).toBe(false);
    expect(hasPointers(t('FixedArray'))).toBe(false);
  });
});
