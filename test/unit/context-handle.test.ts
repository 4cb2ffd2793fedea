// ContextHandle's own rules over a fake addon: held while calls use it, given up when
// a call that held it [in, out] was abandoned and the server answered, counted and
// destroyed by its environment's tracker per client context value.
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

  it('destroy() while calls hold it closes it at once and destroys its client context after the last call', () => {
    const { handle, tracker, destroyed } = tracked();
    handle.hold(false);
    handle.hold(false);
    expect(handle.callsInFlight).toBe(2);
    handle.destroy();
    expect(handle.isOpen).toBe(false);
    expect(destroyed).toEqual([]);
    expect(tracker.count).toBe(1); // the client context still exists
    handle.release(false);
    expect(destroyed).toEqual([]);
    handle.release(false);
    expect(destroyed).toEqual([0x1234n]);
    expect(tracker.count).toBe(0);
  });

  it('destroy() during a close that freed it destroys nothing', () => {
    const { handle, destroyed } = tracked();
    handle.hold(true);
    expect(handle.busy).toBe(true);
    handle.destroy();
    handle.release(true, 0n); // the close procedure's reply: the engine freed it
    expect(handle.isOpen).toBe(false);
    expect(destroyed).toEqual([]);
  });

  it('destroy() during a close that failed destroys the value the engine left', () => {
    const { handle, destroyed } = tracked();
    handle.hold(true);
    handle.destroy();
    handle.release(true, 0x1234n);
    expect(destroyed).toEqual([0x1234n]);
  });

  it('is given up when the call that held it was abandoned and the server answered', () => {
    const { handle, tracker, destroyed } = tracked();
    handle.hold(true);
    handle.release(true, 0n);
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

  it('shares use and closure between handle objects of one value', () => {
    const addon = new FakeAddon();
    const tracker = new ContextHandleTracker(addon);
    const first = new ContextHandle('uuid', 'COUNTER', 0x99n);
    const second = new ContextHandle('uuid', 'COUNTER', 0x99n);
    first.track(tracker);
    second.track(tracker);
    first.hold(true);
    expect(second.busy).toBe(true);
    first.release(true, 0n); // the engine freed the value: both objects denote nothing now
    expect(second.isOpen).toBe(false);
    expect(second.value).toBe(0n);
    expect(tracker.count).toBe(0);
    second.destroy();
    expect(addon.destroyed).toEqual([]);
  });

  it('follows a value the engine replaced, merging with another record of the new value', () => {
    const addon = new FakeAddon();
    const tracker = new ContextHandleTracker(addon);
    const a = new ContextHandle('uuid', 'COUNTER', 0x10n);
    const b = new ContextHandle('uuid', 'COUNTER', 0x20n);
    a.track(tracker);
    b.track(tracker);
    a.hold(true);
    a.release(true, 0x20n);
    expect(a.value).toBe(0x20n);
    a.destroy();
    expect(addon.destroyed).toEqual([]);
    b.destroy();
    expect(addon.destroyed).toEqual([0x20n]);
  });
});
