// ContextHandle's own rules over a fake addon: busy while held, given up when a call
// that held it [in, out] was abandoned and the server answered, counted and destroyed
// by its environment's tracker.
import { describe, expect, it } from 'vitest';
import { ContextHandle } from '../../lib/runtime/context-handle.js';
import { ContextHandleTracker } from '../../lib/runtime/context-handle-tracker.js';
import { FakeAddon } from '../support/fake-addon.js';

function tracked(): { handle: ContextHandle; tracker: ContextHandleTracker; destroyed: bigint[] } {
  const addon = new FakeAddon();
  const destroyed = addon.destroyed;
  const tracker = new ContextHandleTracker(addon);
  const handle = new ContextHandle('uuid', 'COUNTER', 0x1234n);
  handle.track(tracker);
  return { handle, tracker, destroyed };
}

describe('ContextHandle', () => {
  it('is counted while open and destroyed once, on request', () => {
    const { handle, tracker, destroyed } = tracked();
    expect(tracker.count).toBe(1);
    handle.destroy();
    handle.destroy();
    expect(destroyed).toEqual([0x1234n]);
    expect(tracker.count).toBe(0);
    expect(handle.isOpen).toBe(false);
  });

  it('refuses destroy() while a call holds it, and is free again when that call completes', () => {
    const { handle, destroyed } = tracked();
    handle.hold();
    expect(() => handle.destroy()).toThrowError(TypeError);
    handle.release(true);
    handle.update(0n); // the close procedure's reply
    expect(handle.isOpen).toBe(false);
    handle.destroy();
    expect(destroyed).toEqual([]);
  });

  it('is given up when the call that held it was abandoned and the server answered', () => {
    const { handle, tracker, destroyed } = tracked();
    handle.hold();
    handle.release(false);
    expect(handle.isOpen).toBe(false);
    expect(handle.busy).toBe(false);
    expect(tracker.count).toBe(0);
    // Its client context may be gone: never destroyed again.
    handle.destroy();
    expect(destroyed).toEqual([]);
  });
});

describe('ContextHandleTracker', () => {
  it('destroys a client context shared by two handle objects only when the last one goes', () => {
    const addon = new FakeAddon();
    const tracker = new ContextHandleTracker(addon);
    const first = new ContextHandle('uuid', 'COUNTER', 0x99n);
    const second = new ContextHandle('uuid', 'COUNTER', 0x99n);
    first.track(tracker);
    second.track(tracker);
    expect(tracker.count).toBe(2);
    first.destroy();
    expect(addon.destroyed).toEqual([]);
    expect(second.isOpen).toBe(true);
    second.destroy();
    expect(addon.destroyed).toEqual([0x99n]);
    expect(tracker.count).toBe(0);
  });
});
