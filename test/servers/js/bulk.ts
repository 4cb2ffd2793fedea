// bulk.c in JS: large byte buffers in each direction (the bench's bulk rows, bulk.test.ts).
import type { JsTwinFactory } from './twin.js';

const bulk: JsTwinFactory = (control) => ({
  impl: {
    // The sum of the bytes, wrapping at 32 bits as bulk.c's ULONG does, as a signed long.
    PutBytes(_n: number, data: Uint8Array) {
      let sum = 0;
      for (let i = 0; i < data.length; i++) sum = (sum + data[i]!) | 0;
      return sum;
    },
    GetBytes(n: number) {
      const data = new Uint8Array(n);
      for (let i = 0; i < n; i++) data[i] = i & 0xff;
      return { data };
    },
    Shutdown() {
      control.shutdown();
    },
  },
});
export default bulk;
