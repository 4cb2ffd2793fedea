// The encoder and decoder fuzz tests' corpus and value generator: every procedure of
// the test servers' and the published [MS-*] interfaces (plus recursive structs, which
// neither has), and JS arguments shaped by each parameter's layout, mostly plausible
// (so checks deep inside a value are reached) and now and then hostile at any depth.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as fc from 'fast-check';
import type { CompiledInterface, CompiledProcedure, TypeLayout } from '../../lib/ndr/compiled.js';
import { compileIdl } from '../../lib/ndr/index.js';
import { ContextHandle } from '../../lib/runtime/context-handle.js';
import { linkRecursion } from '../../lib/runtime/link-recursion.js';
import { INTEGER_RANGE } from '../../lib/runtime/scalars.js';
import { isByteElement, isGuid, isLargeInteger, isSid } from '../../lib/runtime/value-shapes.js';

const ROOT = join(import.meta.dirname, '../..');

// What the corpus lacks: linked lists (a recursive layout), mutual recursion, and full
// pointers inside structs, [in] and [out].
const RECURSIVE_IDL = `
[uuid(5e0f3c1a-7b2d-4e8f-9a6c-1d2e3f4a5b6c), version(1.0), pointer_default(unique)]
interface recursive {
  typedef struct ENTINF { long a; [string] wchar_t *s; } ENTINF;
  typedef struct ENTINFLIST { struct ENTINFLIST *pNextEntInf; ENTINF Entinf; } ENTINFLIST;
  typedef struct _A { struct _B *b; long v; } A;
  typedef struct _B { struct _A *a; short w; } B;
  typedef struct FULLNODE { [ptr] struct FULLNODE *next; [ptr] struct FULLNODE *other; long v; } FULLNODE;
  void Put([in] ENTINFLIST *list);
  void Get([out] ENTINFLIST **list);
  void Mutual([in] A *a, [out] B **b);
  void PutFull([in, ptr] FULLNODE *n, [in, ptr] FULLNODE *m);
  void GetFull([out] FULLNODE **n);
  void Swap([in, out] ENTINFLIST **list);
}`;

export interface CorpusInterface {
  name: string;
  compiled: CompiledInterface;
}

/** The compiled interfaces, linked as RpcInterface links them (recursive layouts become cycles). */
export function fuzzCorpus(): CorpusInterface[] {
  const files = [
    ...readdirSync(join(ROOT, 'test/servers'))
      .filter((f) => f.endsWith('.idl'))
      .map((f) => join(ROOT, 'test/servers', f)),
    ...readdirSync(join(ROOT, 'test/fixtures/idl'))
      .filter((f) => /^ms-.*\.idl$/.test(f))
      .map((f) => join(ROOT, 'test/fixtures/idl', f)),
  ].sort();
  const readFile = (path: string, from: string) => {
    const candidate = join(dirname(from), path);
    return existsSync(candidate) ? readFileSync(candidate, 'utf8') : undefined;
  };
  const interfaces = files.flatMap((file) =>
    compileIdl(readFileSync(file, 'utf8'), { file, readFile }).map((compiled) => ({
      name: `${file.slice(ROOT.length + 1)}: ${compiled.name}`,
      compiled: linkRecursion(compiled),
    })),
  );
  const [recursive] = compileIdl(RECURSIVE_IDL, { file: 'recursive.idl' });
  if (!recursive) throw new Error('the recursive interface did not compile');
  interfaces.push({ name: 'recursive.idl: recursive', compiled: linkRecursion(recursive) });
  return interfaces;
}

/** Values no parameter takes: the hostile half of every generated argument. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({
    withBigInt: true,
    withTypedArray: true,
    withNullPrototype: true,
    withMap: true,
    withSet: true,
    withDate: true,
    withBoxedValues: true,
    withSparseArray: true,
    maxDepth: 2,
  }),
  fc.constantFrom(
    undefined,
    null,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    2 ** 31,
    2 ** 32,
    -(2 ** 31) - 1,
    2 ** 53,
    -(2 ** 53),
    2 ** 64,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    2n ** 64n,
    -(2n ** 63n) - 1n,
    '',
    '\0',
    'a\0b',
    '\u{1f600}',
    '\ud800',
    '{00000000-0000-0000-0000-00000000000g}',
    'S-1-5-99999999999',
    Symbol('hostile'),
    () => 1,
    new DataView(new ArrayBuffer(4)),
    new ArrayBuffer(3),
    new Float64Array([Number.NaN]),
    new BigInt64Array(2),
    new Uint16Array(3),
    Object.create(null),
    [undefined],
    { case: 1n },
    { case: Number.NaN },
    { length: 3 },
    new ContextHandle('00000000-0000-0000-0000-000000000000', undefined, 1n),
  ),
  fc.bigInt(),
  fc.double(),
  fc.integer(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.uint8Array({ maxLength: 40 }),
  fc.int32Array({ maxLength: 10 }),
);

/** An integer mostly small (sizes that fit), sometimes at or just past its type's bounds. */
function integer(min: number, max: number): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: Math.max(min, -2), max: Math.min(max, 12) }) },
    { weight: 2, arbitrary: fc.integer({ min, max }) },
    { weight: 1, arbitrary: fc.constantFrom(min - 1, min, max, max + 1) },
  );
}

function primitive(type: Extract<TypeLayout, { kind: 'primitive' }>): fc.Arbitrary<unknown> {
  const p = type.primitive;
  const range = type.range ? integer(type.range.min, type.range.max) : undefined;
  switch (p) {
    case 'boolean':
      return fc.boolean();
    case 'char':
      return fc.oneof(fc.string({ minLength: 1, maxLength: 1 }), fc.integer({ min: -1, max: 0x100 }));
    case 'wchar_t':
      return fc.oneof(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
        fc.integer({ min: -1, max: 0x10000 }),
      );
    case 'hyper':
      return fc.oneof(fc.bigInt({ min: -(2n ** 63n) - 1n, max: 2n ** 63n }), fc.maxSafeInteger());
    case 'uhyper':
      return fc.oneof(fc.bigInt({ min: -1n, max: 2n ** 64n }), fc.maxSafeNat());
    case 'float':
    case 'double':
      return fc.oneof(fc.double(), fc.constantFrom(1e39, -3.5e38, 3.4028234663852886e38));
    case 'handle_t':
      return fc.constant(undefined);
    default: {
      const [min, max] = INTEGER_RANGE[p] ?? [-1, 1];
      return range ? fc.oneof(range, integer(min, max)) : integer(min, max);
    }
  }
}

/**
 * A JS value for a layout: plausible (4 in 5) or hostile, at every depth down to
 * `depth`; only plausible ones without `hostile` (arguments that mostly encode).
 */
export function valueFor(
  type: TypeLayout,
  depth = 4,
  interfaceUuid = '',
  hostile = true,
): fc.Arbitrary<unknown> {
  const plausible = plausibleFor(type, depth, interfaceUuid, hostile);
  if (!hostile) return plausible;
  return fc.oneof({ weight: 4, arbitrary: plausible }, { weight: 1, arbitrary: hostileValue });
}

function plausibleFor(
  type: TypeLayout,
  depth: number,
  uuid: string,
  hostile: boolean,
): fc.Arbitrary<unknown> {
  const inner = (t: TypeLayout) => (depth <= 0 ? fc.constant(null) : valueFor(t, depth - 1, uuid, hostile));
  switch (type.kind) {
    case 'primitive':
      return primitive(type);
    case 'enum':
      return fc.oneof(
        fc.constantFrom(...type.members.map((m) => m.name), ...type.members.map((m) => m.value)),
        fc.integer({ min: -2, max: 0x10000 }),
      );
    case 'int3264':
      return integer(type.signed ? -0x80000000 : 0, 0xffffffff);
    case 'struct': {
      if (isGuid(type)) return fc.oneof(fc.uuid(), fc.string({ maxLength: 38 }));
      if (isLargeInteger(type))
        return fc.oneof(fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }), fc.integer());
      if (isSid(type)) {
        return fc.oneof(
          fc
            .array(fc.nat({ max: 0xffffffff }), { maxLength: 16 })
            .map((subs) => ['S-1-5', ...subs].join('-')),
          fc.constant('S-1-0x123456789abc-1'),
        );
      }
      if (depth <= 0) return fc.constant({});
      const record = fc.record(
        Object.fromEntries(type.fields.map((f) => [f.name, inner(f.type)])),
        // A field left out is the fill-in rule's (or a missing value's) business.
        { requiredKeys: type.fields.filter((_, i) => i % 3 !== 2).map((f) => f.name) },
      );
      const loops = type.fields.filter((f) => f.type.kind === 'pointer' && pointsBack(f.type.target, type));
      if (loops.length === 0) return record;
      // A recursive struct also gets cyclic values: a list whose `next` leads back to itself.
      return fc.oneof(
        { weight: 3, arbitrary: record },
        { weight: 1, arbitrary: record.map((r) => closeLoops(r as Record<string, unknown>, type)) },
      );
    }
    case 'pointer':
      return fc.oneof(
        { weight: 1, arbitrary: fc.constant(null) },
        { weight: 3, arbitrary: inner(type.target) },
      );
    case 'array': {
      if (isByteElement(type.element)) {
        const length = type.count ?? 8;
        return fc.oneof(
          fc.uint8Array({ minLength: 0, maxLength: length + 1 }),
          fc.array(fc.integer({ min: -1, max: 256 }), { maxLength: length + 1 }),
          fc.constant(Buffer.alloc(type.count ?? 2)),
        );
      }
      const count = type.count;
      const element = depth <= 0 ? fc.constant(null) : valueFor(type.element, depth - 1, uuid, hostile);
      return count !== undefined && count <= 16
        ? fc.oneof(
            { weight: 3, arbitrary: fc.array(element, { minLength: count, maxLength: count }) },
            { weight: 1, arbitrary: fc.array(element, { maxLength: count + 1 }) },
          )
        : fc.array(element, { maxLength: 6 });
    }
    case 'string':
      return fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 }));
    case 'union': {
      if (depth <= 0) return fc.constant({ case: 0 });
      return fc.oneof(
        ...type.arms.map((arm) =>
          fc.record({
            case: fc.constantFrom(...(arm.cases.length > 0 ? arm.cases : [12345]), undefined),
            ...(arm.member ? { [arm.member.name]: inner(arm.member.type) } : {}),
          }),
        ),
      );
    }
    case 'context_handle':
      return fc.constantFrom(
        new ContextHandle(uuid, type.typeName, 0x1234n),
        new ContextHandle(uuid, 'SomeOtherType', 0x1234n),
        new ContextHandle(uuid, type.typeName, 0n),
        new ContextHandle('another-interface', type.typeName, 0x1234n),
      );
    case 'ignore':
      return fc.constant(null);
    default:
      return fc.constant(undefined);
  }
}

/** Whether `target` (a pointer's target) is `struct`, or a struct with a pointer back to it. */
function pointsBack(target: TypeLayout, struct: TypeLayout): boolean {
  if (target === struct) return true;
  return (
    target.kind === 'struct' &&
    target.fields.some((f) => f.type.kind === 'pointer' && f.type.target === struct)
  );
}

/** The record with each pointer field that can lead back to its struct made to (a cycle). */
function closeLoops(
  record: Record<string, unknown>,
  struct: Extract<TypeLayout, { kind: 'struct' }>,
): unknown {
  for (const field of struct.fields) {
    if (field.type.kind !== 'pointer') continue;
    const target = field.type.target;
    if (target === struct) record[field.name] = record;
    else if (target.kind === 'struct' && pointsBack(target, struct)) {
      const back = target.fields.find((f) => f.type.kind === 'pointer' && f.type.target === struct);
      record[field.name] = { [back!.name]: record };
    }
  }
  return record;
}

/**
 * Positional arguments for a procedure's [in] and [in, out] parameters (sometimes too
 * many or too few); plausible ones only, without `hostile`.
 */
export function argumentsFor(
  proc: CompiledProcedure,
  interfaceUuid: string,
  hostile = true,
): fc.Arbitrary<unknown[]> {
  const params = proc.params.filter((p) => p.direction !== 'out');
  const args = fc.tuple(...params.map((p) => valueFor(p.type, 4, interfaceUuid, hostile)));
  if (!hostile) return args;
  return fc.oneof(
    { weight: 12, arbitrary: args },
    { weight: 1, arbitrary: args.map((a) => a.slice(0, -1)) },
    { weight: 1, arbitrary: fc.tuple(args, hostileValue).map(([a, extra]) => [...a, extra]) },
  );
}
