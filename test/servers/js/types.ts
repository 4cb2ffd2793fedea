// types.c in JS: Echo / InOut / Out for every base type, strings, unique pointers,
// a padded struct and conformant arrays.
import type { JsTwinFactory } from './twin.js';

const wrap = (bits: number, signed: boolean) => (v: number) => {
  const m = 2 ** bits;
  const u = (((v + 1) % m) + m) % m;
  return signed && u >= m / 2 ? u - m : u;
};
const nextChar = (v: string) => String.fromCharCode(((v.charCodeAt(0) || 0) + 1) & 0xff);
const nextWchar = (v: string) => String.fromCharCode(((v.charCodeAt(0) || 0) + 1) & 0xffff);
const nextHyper = (v: bigint) => BigInt.asIntN(64, v + 1n);
const cycle = (order: number[]) => (v: number) => {
  const at = order.indexOf(v);
  return at === -1 ? v : (order[(at + 1) % order.length] as number);
};

const NEXT: Record<string, (v: never) => unknown> = {
  Boolean: (v: boolean) => !v,
  Byte: wrap(8, false),
  Char: nextChar,
  Uchar: wrap(8, false),
  Wchar: nextWchar,
  Small: wrap(8, true),
  Short: wrap(16, true),
  Long: wrap(32, true),
  Int: wrap(32, true),
  Hyper: nextHyper,
  Float: (v: number) => -v,
  Double: (v: number) => -v,
  Shape: cycle([0, 4, 9]),
  Level: cycle([-1, 100, 100000]),
  Status: wrap(32, false),
};

interface Point3 {
  x: number;
  y: bigint;
  z: number;
  tag: number;
  c: string;
}
const nextPoint = (p: Point3): Point3 => ({
  x: wrap(32, true)(p.x),
  y: nextHyper(p.y),
  z: -p.z,
  tag: wrap(16, true)(p.tag),
  c: nextChar(p.c),
});

/** Upper-cases a-z and appends '!' when the buffer has room for it and the NUL. */
function shout(buf: string, size: number): string {
  const upper = buf.replace(/[a-z]/g, (c) => c.toUpperCase());
  return upper.length + 2 <= size ? `${upper}!` : upper;
}

const types: JsTwinFactory = () => {
  const impl: Record<string, (...args: never[]) => unknown> = {
    MixedArgs: (a: number, b: number, c: number, d: bigint, e: number, f: number, g: number) =>
      a + b + c + Number(d) + e + f + g,
    StringLengthA(s: string) {
      const bytes = new TextEncoder().encode(s);
      return { codeSum: bytes.reduce((sum, b) => sum + b, 0), returnValue: bytes.length };
    },
    StringLengthW(s: string) {
      let sum = 0;
      for (let i = 0; i < s.length; i++) sum += s.charCodeAt(i);
      return { codeSum: sum >>> 0, returnValue: s.length };
    },
    ShoutA: (size: number, buf: string) => ({ buf: shout(buf, size) }),
    ShoutW: (size: number, buf: string) => ({ buf: shout(buf, size) }),
    UniqueOrDefault: (p: number | null, fallback: number) => p ?? fallback,
    UniqueStringLength: (s: string | null, fallback: number) =>
      s === null ? fallback : new TextEncoder().encode(s).length,
    TransformPoint: (p: Point3) => ({ out: nextPoint(p) }),
    InOutPoint: (p: Point3) => ({ p: nextPoint(p) }),
    SumLongs: (_n: number, values: number[]) => values.reduce((sum, v) => sum + BigInt(v), 0n),
    FillLongs(max: number, count: number) {
      const n = Math.max(0, Math.min(count, max));
      return { len: n, values: Array.from({ length: n }, (_, i) => 3 * i + 1) };
    },
    ScaleDoubles: (_n: number, values: number[], factor: number) => ({
      values: values.map((v) => v * factor),
    }),
  };
  for (const [name, next] of Object.entries(NEXT)) {
    impl[`Echo${name}`] = (v: never) => v;
    impl[`InOut${name}`] = (p: never) => ({ p: next(p) });
    impl[`Out${name}`] = (v: never) => ({ p: next(v) });
  }
  return { impl };
};
export default types;
