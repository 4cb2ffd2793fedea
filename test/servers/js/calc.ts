// calc.c in JS.
import { type JsTwinFactory, raise } from './twin.js';

const RPC_S_ZERO_DIVIDE = 1767;

const calc: JsTwinFactory = (control) => ({
  impl: {
    Add: (a: number, b: number) => (a + b) | 0,
    Divide(a: number, b: number) {
      if (b === 0) raise(RPC_S_ZERO_DIVIDE);
      if (b === -1) return { remainder: 0, returnValue: -a | 0 };
      return { remainder: (a % b) | 0, returnValue: Math.trunc(a / b) | 0 };
    },
    async Delay(ms: number) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
      return ms;
    },
    // calc.c raises even 0, which the runtime then answers as a success.
    Fail(status: number) {
      if (status !== 0) raise(status);
    },
    Shutdown() {
      control.shutdown();
    },
  },
});
export default calc;
