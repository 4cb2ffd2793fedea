// INTERPRETER_OPT_FLAGS2 in the x64 extension of an Oif procedure header ("RPC NDR
// Format Strings", Oif header / Oi2 header / NDR_PROC_HEADER_EXTS): with Oi_HAS_RPCFLAGS
// and an explicit primitive handle the header is handle type, Oi flags, rpc flags (4),
// opnum (2), stack size (2), FC_BIND_PRIMITIVE descriptor (4), client and server buffer
// sizes (2 + 2), Oi2 flags, parameter count, then the extension: its size, then Flags2
// at byte 21. Written against surviving mutants of `npm run mutate` (docs/testing.md).
import { describe, expect, it } from 'vitest';
import { type CompileOptions, compileIdl } from '../../lib/ndr/compile.js';

const OI_HAS_RPCFLAGS = 0x08;
const FC_BIND_PRIMITIVE = 0x32;
const HAS_NEW_CORR_DESC = 0x01;
const HAS_RANGE_ON_CONFORMANCE = 0x40;
const HAS_BIG_BY_VALUE_PARAM = 0x80;

const IDL = `[uuid(7d3a1f60-2e4b-4c8d-9a0f-1b2c3d4e5f60), version(1.0), pointer_default(unique)]
interface flags2 {
  typedef struct Pair { short a; short b; } Pair;
  typedef struct Triple { long a; long b; long c; } Triple;
  typedef [switch_type(long)] union Wide { [case(1)] hyper h; [case(2)] long l[3]; } Wide;
  void Plain([in] long n);
  void SmallByValue([in] Pair p);
  void BigByValue([in] Triple t);
  void BigUnionByValue([in] long k, [in, switch_is(k)] Wide w);
  void BigByPointer([in] Triple *t);
}`;

function flags2(name: string, options: Partial<CompileOptions> = {}): number {
  const iface = compileIdl(IDL, { file: 'flags2.idl', ...options })[0]!;
  const proc = iface.procedures.find((p) => p.name === name);
  if (!proc) throw new Error(`no procedure ${name}`);
  const header = iface.procFormat.subarray(proc.procFormatOffset);
  // The layout above holds only with rpc flags and an explicit primitive handle.
  expect(header[0]).toBe(0);
  expect((header[1] as number) & OI_HAS_RPCFLAGS).toBe(OI_HAS_RPCFLAGS);
  expect(header[10]).toBe(FC_BIND_PRIMITIVE);
  expect(header[20]).toBe(10); // extension size on x64
  return header[21] as number;
}

describe('Flags2 of the x64 header extension', () => {
  it('HasRangeOnConformance on every procedure exactly when the option is on (robust)', () => {
    expect(flags2('Plain') & HAS_RANGE_ON_CONFORMANCE).toBe(0);
    expect(flags2('Plain', { rangeOnConformance: true }) & HAS_RANGE_ON_CONFORMANCE).toBe(
      HAS_RANGE_ON_CONFORMANCE,
    );
    expect(flags2('Plain', { rangeOnConformance: true }) & HAS_NEW_CORR_DESC).toBe(HAS_NEW_CORR_DESC);
    // Without robust there are no new correlation descriptors to range-check.
    expect(() => flags2('Plain', { rangeOnConformance: true, robust: false })).toThrow(
      'rangeOnConformance needs robust descriptors',
    );
    expect(flags2('Plain', { robust: false })).toBe(0);
  });

  it('HasBigByValueParam for a struct or union by value that is not 1, 2, 4 or 8 bytes', () => {
    expect(flags2('SmallByValue') & HAS_BIG_BY_VALUE_PARAM).toBe(0);
    expect(flags2('BigByValue') & HAS_BIG_BY_VALUE_PARAM).toBe(HAS_BIG_BY_VALUE_PARAM);
    expect(flags2('BigUnionByValue') & HAS_BIG_BY_VALUE_PARAM).toBe(HAS_BIG_BY_VALUE_PARAM);
    expect(flags2('BigByPointer') & HAS_BIG_BY_VALUE_PARAM).toBe(0);
  });
});
