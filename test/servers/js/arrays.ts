// arrays.c in JS: fixed, varying, conformant-varying and two-dimensional arrays, arrays
// of [string] pointers, array parameters, expression-callback sizes and first_is windows.
// Varying arrays arrive as the elements sent (length_is of them), as a client receives
// them; a first_is window arrives as its elements, its place in the first_is argument.
import type { JsTwinFactory } from './twin.js';

type Longs = ArrayLike<number>;
type Matrix = number[][];

const sum = (values: Longs, count = values.length) => {
  let total = 0n;
  for (let i = 0; i < count; i++) total += BigInt(values[i] ?? 0);
  return total;
};
const sum32 = (values: Longs) => Number(BigInt.asIntN(32, sum(values)));
const trace = (m: Matrix) => Number(BigInt.asIntN(32, BigInt(m[0]![0]! + m[1]![1]! + m[2]![2]!)));
/** sum of window[i] * (first + i + 1): where the server finds each element counts. */
const weighted = (first: number, window: Longs) => {
  let total = 0n;
  for (let i = 0; i < window.length; i++) total += BigInt(window[i]!) * BigInt(first + i + 1);
  return total;
};
const reversed = (values: number[]) => [...values].reverse();
const utf8Length = (s: string) => new TextEncoder().encode(s).length;

const arrays: JsTwinFactory = () => ({
  impl: {
    ReverseFour: (f: { values: number[] }) => ({ f: { values: reversed(f.values) } }),
    SumVarying: (v: { values: Longs }) => sum(v.values),
    FillVarying(count: number) {
      const len = Math.max(0, Math.min(count, 8));
      return { v: { len, values: Array.from({ length: len }, (_, i) => 10 * i) } };
    },
    SumWindow: (size: number, _len: number, values: Longs) => sum(values) * 1000n + BigInt(size),
    GrowWindow(size: number, len: number, values: number[]) {
      const out = values.map((v) => (v * 2) | 0);
      if (len < size) out.push(-1);
      return { len: out.length, values: out };
    },
    Trace: (s: { m: Matrix }) => trace(s.m),
    Transpose: (w: { m: Matrix }) => ({ t: { m: [0, 1, 2].map((j) => [w.m[0]![j]!, w.m[1]![j]!]) } }),
    TotalLength: (_n: number, names: (string | null)[]) => ({
      nulls: names.filter((name) => name === null).length,
      returnValue: names.reduce((total, name) => total + (name?.length ?? 0), 0),
    }),
    MakeNames: (n: number) => ({
      names: Array.from({ length: n }, (_, i) => (i % 3 === 2 ? null : `item ${i}`)),
    }),
    SuffixNames: (_n: number, names: (string | null)[]) => ({
      names: names.map((name) => name?.replace(/[a-z]/g, (c) => c.toUpperCase()) ?? null),
    }),
    SumFive: (values: Longs) => sum(values),
    ReverseParam: (values: number[]) => ({ values: reversed(values) }),
    Squares: () => ({ squares: Array.from({ length: 6 }, (_, i) => i * i) }),
    SumFirst: (_len: number, values: Longs) => sum(values),
    SumAll: (_n: number, values: Longs) => sum(values),
    NegateWindow: (_size: number, _len: number, values: bigint[]) => ({
      values: values.map((v) => BigInt.asIntN(64, -v)),
    }),
    TraceParam: (m: Matrix) => trace(m),
    NameLength: (name: string) => name.length,
    NameLengthA: (name: string) => utf8Length(name),
    SumOrMinusOne: (_n: number, values: Longs | null) => (values === null ? -1 : sum32(values)),
    SumCounted: (_n: number, _pn: number | null, values: Longs) => sum(values),
    Squares2: (pn: number | null) => ({ values: Array.from({ length: pn ?? 0 }, (_, i) => i * i) }),
    SumFrom: (first: number, _len: number, values: Longs) => weighted(first, values),
    SumFromLongs: (first: number, _len: number, values: Longs) => weighted(first, values),
    // Never run under Wine (arrays.test.ts skips it there): that a window is returned as
    // its elements, as a client receives it, waits for Windows CI.
    FillFrom: (_first: number, len: number) => ({ values: Array.from({ length: len }, (_, i) => 100 + i) }),
    SumByteWindow: (w: { first: number; data: Longs }) => weighted(w.first, w.data),
  },
});
export default arrays;
