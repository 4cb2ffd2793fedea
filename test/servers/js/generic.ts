// generic.c in JS: the generic handle's value arrives as its underlying type.
import type { JsTwinFactory } from './twin.js';

const generic: JsTwinFactory = () => ({
  impl: {
    NameLength: (server: string | null, x: number) => ({
      length: server === null ? -1 : server.length,
      returnValue: x + 1,
    }),
    LateName: (x: number, server: string | null) => (server === null ? -1 : server.charCodeAt(0) * 1000 + x),
  },
});
export default generic;
