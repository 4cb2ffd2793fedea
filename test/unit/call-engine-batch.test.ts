// One batch of completions with a listener that throws midway: every call of the batch
// is still delivered (and unlisted), then the error surfaces.
import { describe, expect, it } from 'vitest';
import { CallEngine, type CompletionListener, callCompleted } from '../../lib/runtime/call-engine.js';
import type { NativeHandle } from '../../lib/runtime/native-addon.js';
import { FakeAddon } from '../support/fake-addon.js';

/** A FakeAddon whose test delivers several completions in one batch, as the completion thread does. */
class BatchingAddon extends FakeAddon {
  deliver: ((records: Uint32Array) => void) | undefined;
  override setCompletionCallback(callback: (records: Uint32Array) => void): void {
    super.setCompletionCallback(callback);
    this.deliver = callback;
  }
}

const CALL = {
  procFormatOffset: 0,
  arena: new Uint8Array(8),
  arenaSize: 8,
  relocations: new Uint32Array(0),
  slots: new BigUint64Array(2),
  pointerSlots: new Uint32Array(0),
};

describe('a batch of completions', () => {
  it('reaches every listener when one throws, and rethrows the first error after', () => {
    const addon = new BatchingAddon();
    const engine = CallEngine.of(addon);
    const heard: number[] = [];
    const listener = (n: number, fail: boolean): CompletionListener => ({
      [callCompleted]() {
        heard.push(n);
        if (fail) throw new Error(`listener ${n} failed`);
      },
    });
    const handle = {} as NativeHandle;
    const ids = [
      engine.start(handle, handle, CALL, listener(1, false)),
      engine.start(handle, handle, CALL, listener(2, true)),
      engine.start(handle, handle, CALL, listener(3, true)),
      engine.start(handle, handle, CALL, listener(4, false)),
    ];
    // An abandoned call (kept for read-back) in the same batch, after the throw.
    engine.abandon(ids[3]!, true);
    const records = Uint32Array.from(ids.flatMap((id) => [id, 0]));
    expect(() => addon.deliver!(records)).toThrow('listener 2 failed');
    expect(heard).toEqual([1, 2, 3, 4]);
    expect({ inFlight: engine.callsInFlight, abandoned: engine.callsAbandoned }).toEqual({
      inFlight: 0,
      abandoned: 0,
    });
  });
});
