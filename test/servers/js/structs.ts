// structs.c in JS: fixed, conformant, varying and string structs, embedded pointers,
// padding, arrays of structs, [range] and [ignore].
import type { JsTwinFactory } from './twin.js';

interface Box {
  value: number;
}
interface Record {
  kind: number;
  optional: number | null;
  name: string | null;
  box: Box | null;
  stamp: bigint;
}
interface Inner {
  c: string;
  h: bigint;
  s: number;
}

const upper = (b: number) => (b >= 0x61 && b <= 0x7a ? b - 0x20 : b);
const short = (v: number) => ((((v + 0x8000) % 0x10000) + 0x10000) % 0x10000) - 0x8000;
const nextChar = (c: string) => String.fromCharCode(((c.charCodeAt(0) || 0) + 1) & 0xff);

/** Reverses UTF-16 units, keeping each surrogate pair in order (as structs.c does). */
function reverseUnits(text: string): string {
  const units = [...text].reverse().join('');
  return units;
}

const structs: JsTwinFactory = () => ({
  impl: {
    EchoFixed: (f: { id: number; values: number[]; tag: Uint8Array; big: bigint }) => ({
      out: {
        id: short(f.id + 1),
        values: [...f.values].reverse(),
        tag: Uint8Array.from(f.tag, upper),
        big: BigInt.asIntN(64, f.big * 2n),
      },
    }),
    SumCounted: (c: { n: number; data: number[] }) => c.data.reduce((s, v) => s + BigInt(v), 0n),
    DoubleCounted: (c: { n: number; data: number[] }) => ({
      c: { n: c.n, data: c.data.map((v) => (v * 2) | 0) },
    }),
    MakeCounted: (n: number) => ({
      c: n < 0 ? null : { n, data: Array.from({ length: n }, (_, i) => i * i) },
    }),
    SumWindow: (w: { size: number; len: number; data: number[] }) =>
      w.data.reduce((s, v) => s + BigInt(v), 0n) * 1000n + BigInt(w.size),
    LabelLength(label: { capacity: number; text: string }) {
      let sum = 0;
      for (let i = 0; i < label.text.length; i++) sum += label.text.charCodeAt(i);
      return { codeSum: sum, returnValue: label.text.length };
    },
    ReverseLabel: (label: { capacity: number; text: string }) => ({
      label: { capacity: label.capacity, text: reverseUnits(label.text) },
    }),
    DescribeRecord: (r: Record) => ({
      nameUnits: r.name === null ? 0 : r.name.length,
      returnValue: (r.optional !== null ? 1 : 0) + (r.box !== null ? 2 : 0) + (r.name !== null ? 4 : 0),
    }),
    NextRecord: (r: Record) => ({
      out: {
        kind: short(r.kind + 1),
        optional: r.optional === null ? null : r.optional + 1,
        name: r.name === null ? null : `${r.name}!`,
        box: r.box === null ? null : { value: r.box.value + 1 },
        stamp: r.stamp + 1n,
      },
    }),
    MakeRecord: (id: number) => ({
      r: {
        kind: short(id),
        optional: id % 2 === 0 ? id : null,
        name: `record ${id}`,
        box: id !== 0 ? { value: id * 10 } : null,
        stamp: BigInt(id),
      },
    }),
    NextOuter: (o: { a: number; inner: Inner; b: number; d: number; e: string }) => ({
      out: {
        a: ((((o.a + 1 + 128) % 256) + 256) % 256) - 128,
        inner: { c: nextChar(o.inner.c), h: o.inner.h + 1n, s: short(o.inner.s + 1) },
        b: short(o.b + 1),
        d: o.d + 0.5,
        e: nextChar(o.e),
      },
    }),
    SumInners: (_n: number, items: Inner[]) => items.reduce((s, i) => s + i.h + BigInt(i.s), 0n),
    MakeInners: (n: number) => ({
      items: Array.from({ length: n }, (_, i) => ({
        c: String.fromCharCode(0x61 + (i % 26)),
        h: BigInt(i) * 1000000000000n,
        s: short(-i),
      })),
    }),
    SumBoxes: (_n: number, records: Record[]) => records.reduce((s, r) => s + (r.box?.value ?? 0), 0),
    Ranged: (v: number) => v,
    BoundedValue: (b: { v: number }) => b.v,
    MakeBounded: (v: number) => ({ out: { v } }),
    CheckTagged: (t: { before: number; cookie: unknown; after: number }) => ({
      out: { before: t.before + 1, cookie: null, after: t.after + 1 },
      returnValue: t.cookie === null ? 1 : 0,
    }),
    WideValue: (w: number) => w,
  },
});
export default structs;
