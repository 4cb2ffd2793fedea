// The context handles of one environment: counted while open (diagnostics), and
// destroyed (RpcSsDestroyClientContext) when they become unreachable while still open,
// so a dropped handle does not keep its client context and association forever.
import type { ContextHandleOwner } from './context-handle.js';
import type { NativeAddon } from './native-addon.js';

export class ContextHandleTracker implements ContextHandleOwner {
  private open = 0;
  // Holds the client context value, never the handle: the handle must be collectable.
  private readonly unreachable = new FinalizationRegistry<bigint>((value) => {
    this.open--;
    this.addon.destroyContextHandle(value);
  });

  constructor(private readonly addon: NativeAddon) {}

  /** Handles open on this side (not closed, destroyed, given up or collected). */
  get count(): number {
    return this.open;
  }

  changed(handle: object, from: bigint, to: bigint): void {
    if (from !== 0n) {
      this.unreachable.unregister(handle);
      this.open--;
    }
    if (to !== 0n) {
      this.unreachable.register(handle, to, handle);
      this.open++;
    }
  }

  destroy(handle: object, value: bigint): number {
    this.changed(handle, value, 0n);
    return this.addon.destroyContextHandle(value);
  }
}
