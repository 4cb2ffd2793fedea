// unions.c in JS: unions are { case, <arm>: value }, as clients see them.
import type { JsTwinFactory } from './twin.js';

type NumberUnion = { case: number; i?: number; d?: number; h?: bigint };
type ShapeUnion = { case: number; radius?: number; side?: number };

const unions: JsTwinFactory = () => ({
  impl: {
    NumberValue(kind: number, n: NumberUnion) {
      if (kind === 1) return n.i ?? 0;
      if (kind === 2) return n.d ?? 0;
      if (kind === 3 || kind === 4) return Number(n.h ?? 0n);
      return 0;
    },
    NextNumber(kind: number, n: NumberUnion) {
      if (kind === 1) return { nextKind: 2, next: { case: 2, d: (n.i ?? 0) + 0.5 } };
      if (kind === 2) return { nextKind: 3, next: { case: 3, h: BigInt(Math.trunc(n.d ?? 0)) * 1000n } };
      if (kind === 3 || kind === 4) return { nextKind: 7, next: { case: 7 } };
      return { nextKind: 1, next: { case: 1, i: 1 } };
    },
    ShapeArea(s: ShapeUnion) {
      if (s.case === 1) return 3 * (s.radius ?? 0) * (s.radius ?? 0);
      if (s.case === 2) return (s.side ?? 0) * (s.side ?? 0);
      return -1;
    },
    MakeShape: (size: number) => ({ s: size > 0 ? { case: 2, side: size } : { case: 1, radius: -size } }),
    TwicePtrSized: (v: number, p: number) => ({ p: p + 1, returnValue: v * 2 }),
  },
});
export default unions;
