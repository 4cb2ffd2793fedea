// A struct that points to an array of itself (`[size_is(c)] struct _N *kids` inside _N;
// [MS-NSPI]/[MS-OXNSPI] Restriction_r reaches itself through a union and a sized pointer).
// Before session 7 the type format builder met the array's element while the struct's own
// descriptor was still being written and stopped with an internal error. The array now
// takes the struct's shape (FC_BOGUS_ARRAY) and its FC_EMBEDDED_COMPLEX offset is patched
// to the struct's descriptor once placed, as a recursive pointer's offset already was.
import { describe, expect, it } from 'vitest';
import { compileIdl } from '../../lib/ndr/compile.js';
import { FC } from '../../lib/ndr/fc.js';
import { encodeCall } from '../../lib/runtime/encode-call.js';
import { linkRecursion } from '../../lib/runtime/link-recursion.js';

const header = '[uuid(12345678-1234-1234-1234-123456789abc), version(1.0), pointer_default(unique)]';
const TREE = `${header} interface T {
  typedef struct _N { long c; [size_is(c)] struct _N *kids; } N;
  long F([in] handle_t h, [in] N *n);
}`;
const THROUGH_UNION = `${header} interface T {
  typedef struct _A { long c; [size_is(c)] struct _R *p; } A;
  typedef [switch_type(long)] union _U { [case(1)] A a; [case(2)] long x; } U;
  typedef struct _R { long k; [switch_is(k)] U u; } R;
  long F([in] handle_t h, [in] R *r);
}`;

/** The array descriptor's element offset, resolved: where FC_EMBEDDED_COMPLEX points. */
function arrayElementTarget(type: Uint8Array): { array: number; element: number } {
  const array = type.indexOf(FC.BOGUS_ARRAY);
  expect(array).toBeGreaterThan(0);
  const embedded = type.indexOf(FC.EMBEDDED_COMPLEX, array);
  const field = embedded + 2;
  const rel = new DataView(type.buffer, type.byteOffset).getInt16(field, true);
  return { array, element: field + rel };
}

describe('an array of the struct being described', () => {
  it('points its element at the struct descriptor, which points back at the array', () => {
    const [i] = compileIdl(TREE, { file: 'x.idl' });
    const type = i?.typeFormat as Uint8Array;
    const { array, element } = arrayElementTarget(type);
    expect(type[element]).toBe(FC.BOGUS_STRUCT);
    // The struct's pointer layout (its FC_UP) leads to the array.
    const up = type.indexOf(FC.UP, element);
    const rel = new DataView(type.buffer, type.byteOffset).getInt16(up + 2, true);
    expect(up + 2 + rel).toBe(array);
    // The array takes the struct's wire alignment (a pointer is 4 bytes on the wire).
    expect(type[array + 1]).toBe(type[element + 1]);
    expect(type[array + 1]).toBe(3);
  });

  it('compiles the same through a union ([MS-NSPI] Restriction_r)', () => {
    const [i] = compileIdl(THROUGH_UNION, { file: 'x.idl' });
    const type = i?.typeFormat as Uint8Array;
    const { element } = arrayElementTarget(type);
    expect(type[element]).toBe(FC.BOGUS_STRUCT);
  });

  it('encodes a tree of them', () => {
    const [compiled] = compileIdl(TREE, { file: 'x.idl' });
    const proc = linkRecursion(compiled as NonNullable<typeof compiled>).procedures[0];
    const leaf = { c: 0, kids: null };
    const plan = encodeCall(proc as NonNullable<typeof proc>, [
      { c: 2, kids: [leaf, { c: 1, kids: [leaf] }] },
    ]);
    const arena = new DataView(plan.encoded.arena.buffer);
    const root = plan.pointees.get('n') as number;
    expect(arena.getInt32(root, true)).toBe(2);
    // kids: a pointer to two 16-byte structs, the second's count 1.
    const kids = Number(arena.getBigUint64(root + 8, true));
    expect(arena.getInt32(kids + 16, true)).toBe(1);
  });
});
