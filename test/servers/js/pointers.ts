// pointers.c in JS. Full pointers keep their aliasing: two [ptr] arguments that the
// client sent as one pointer arrive as one object.
import type { JsTwinFactory } from './twin.js';

interface Box {
  value: number;
}

const pointers: JsTwinFactory = () => ({
  impl: {
    Deref2: (pp: number | null) => (pp === null ? -1 : pp),
    MakePtrPtr: (v: number) => ({ pp: v === 0 ? null : v }),
    SameTarget: (a: Box | null, b: Box | null) => (a === null || b === null ? -1 : a === b ? 1 : 0),
    MakePair(value: number, shared: number) {
      const first = { value };
      return { pair: { first, second: shared ? first : { value: value + 1 } } };
    },
  },
});
export default pointers;
