// sessions.c in JS: a counter per context handle, run down when its client goes away.
import type { JsTwinFactory } from './twin.js';

const sessions: JsTwinFactory = () => {
  let open = 0;
  const counter = (start: number) => {
    open++;
    return { value: start };
  };
  return {
    impl: {
      OpenCounter: (start: number) => ({ counter: counter(start) }),
      OpenCounterRet: (start: number) => counter(start),
      NextValue: (c: { value: number }) => c.value++,
      CloseCounter() {
        open--;
        return { counter: null };
      },
      OpenCounters: () => open,
    },
    options: {
      rundown() {
        open--;
      },
    },
  };
};
export default sessions;
