// Oi_FULL_PTR_USED (0x01 in the Oi flags, the second byte of an Oif procedure header;
// "RPC NDR Format Strings", Oif header) must be set whenever a [ptr] pointer can occur
// anywhere in the call, however deep: the engine sets up its full-pointer table only
// then. Written against surviving mutants of `npm run mutate` (docs/testing.md).
import { describe, expect, it } from 'vitest';
import { compileIdl } from '../../lib/ndr/compile.js';
import type { CompiledInterface } from '../../lib/ndr/compiled.js';

const OI_FULL_PTR_USED = 0x01;

// Compiled inside each test (a few ms), not at module level: StrykerJS's
// vitest runner does not activate a mutant for code that runs while vitest collects a
// file, so a compile at module level cannot kill a mutant in the compiler.
const fullptr = (): CompiledInterface =>
  compileIdl(
    `[uuid(6b2e9d40-1c3f-4a57-b8e6-0d9f2a7c5e31), version(1.0), pointer_default(unique)]
  interface fullptr {
    typedef struct S { long n; [ptr] long *p; } S;
    typedef struct E { [ptr] long *p; } E;
    typedef [switch_type(long)] union U { [case(1)] long i; [case(2)] [ptr] long *p; [default] ; } U;
    typedef struct L { struct L *next; long v; } L;
    typedef struct M { struct M *next; long v; [ptr] long *p; } M;
    void Plain([in] long n, [in, unique] long *u, [in] L *list);
    void Direct([in, ptr] long *p);
    void InStruct([in] S *s);
    void InArray([in] E a[2]);
    void InUnionArm([in] long k, [in, switch_is(k)] U *u);
    void InRecursive([in] M *m);
    void Returned([out] S *s);
  }`,
    { file: 'fullptr.idl' },
  )[0]!;

function oiFlags(name: string): number {
  const iface = fullptr();
  const proc = iface.procedures.find((p) => p.name === name);
  if (!proc) throw new Error(`no procedure ${name}`);
  return iface.procFormat[proc.procFormatOffset + 1] as number;
}

describe('Oi_FULL_PTR_USED', () => {
  it('is clear without [ptr] anywhere, also through a recursive [unique] list', () => {
    expect(oiFlags('Plain') & OI_FULL_PTR_USED).toBe(0);
  });

  it.each([
    ['Direct', 'a [ptr] parameter'],
    ['InStruct', 'a [ptr] field after another field'],
    ['InArray', 'a [ptr] in the elements of an array'],
    ['InUnionArm', 'a [ptr] in a union arm after others, beside an empty default'],
    ['InRecursive', 'a [ptr] field of a recursive struct'],
    ['Returned', 'a [ptr] in [out] data'],
  ])('is set for %s: %s', (name) => {
    expect(oiFlags(name) & OI_FULL_PTR_USED).toBe(OI_FULL_PTR_USED);
  });
});

describe('[maybe] procedures', () => {
  const compile = (proc: string) =>
    compileIdl(`[uuid(6b2e9d40-1c3f-4a57-b8e6-0d9f2a7c5e32), version(1.0)] interface maybe { ${proc} }`, {
      file: 'maybe.idl',
    });

  it('take [in] parameters only, and return nothing', () => {
    expect(() => compile('[maybe] void Ping([in] long n);')).not.toThrow();
    expect(() => compile('[maybe] void Ping([in] long n, [out] long *r);')).toThrow(
      // Column 91: the procedure's name, after the 77 characters of the interface header and '[maybe] void '.
      "maybe.idl:1:91: [maybe] procedure 'Ping' cannot have [out] parameters or a return value",
    );
    expect(() => compile('[maybe] long Ping([in] long n);')).toThrow(
      /\[maybe\] procedure 'Ping' cannot have/,
    );
  });
});
