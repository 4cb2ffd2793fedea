// The context handles of one environment: counted while open (diagnostics), and
// destroyed (RpcSsDestroyClientContext) when they become unreachable while still open,
// so a dropped handle does not keep its client context and association forever.
//
// The NDR engine gives a server context it already knows the same client context, so
// two handle objects can share one value: a client context is destroyed only when no
// open handle object holds it any more.
import type { ContextHandleOwner } from './context-handle.js';
import type { NativeAddon } from './native-addon.js';

export class ContextHandleTracker implements ContextHandleOwner {
  private open = 0;
  /** Open handle objects per client context value. */
  private readonly holders = new Map<bigint, number>();
  // Holds the client context value, never the handle: the handle must be collectable.
  private readonly unreachable = new FinalizationRegistry<bigint>((value) => {
    this.open--;
    if (this.let(value)) this.addon.destroyContextHandle(value);
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
      this.let(from);
    }
    if (to !== 0n) {
      this.unreachable.register(handle, to, handle);
      this.open++;
      this.holders.set(to, (this.holders.get(to) ?? 0) + 1);
    }
  }

  destroy(handle: object, value: bigint): number {
    this.unreachable.unregister(handle);
    this.open--;
    return this.let(value) ? this.addon.destroyContextHandle(value) : 0;
  }

  /** One holder of `value` let go; true when it was the last. */
  private let(value: bigint): boolean {
    const left = (this.holders.get(value) ?? 1) - 1;
    if (left > 0) {
      this.holders.set(value, left);
      return false;
    }
    this.holders.delete(value);
    return true;
  }
}
