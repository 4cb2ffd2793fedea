// The client contexts of one environment, by value: counted while open (diagnostics),
// and destroyed (RpcSsDestroyClientContext) when every handle object denoting one has
// been destroyed or has become unreachable, so a dropped handle does not keep its client
// context and association forever. Handle objects that share a value share its record
// (client-context.ts): when the engine frees the value, every one of them is closed.
import type { ClientContext, ClientContextOwner } from './client-context.js';
import type { NativeAddon } from './native-addon.js';

export class ContextHandleTracker implements ClientContextOwner {
  private readonly contexts = new Map<bigint, ClientContext>();
  // Holds the record, never the handle: the handle must be collectable.
  private readonly unreachable = new FinalizationRegistry<ClientContext>((context) => {
    context.current.leave();
  });

  constructor(private readonly addon: NativeAddon) {}

  /**
   * Handle objects open on this side (not closed, destroyed, given up or collected),
   * plus client contexts whose destruction waits for calls in flight.
   */
  get count(): number {
    let open = 0;
    for (const context of this.contexts.values()) {
      open += context.members > 0 ? context.members : context.destroyWhenFree ? 1 : 0;
    }
    return open;
  }

  /** A new handle object with its own record: returns the record it now shares. */
  join(handle: object, context: ClientContext): ClientContext {
    context.owner = this;
    this.unreachable.register(handle, context, handle);
    return this.file(context);
  }

  /** The handle object was destroyed: its collection must not count again. */
  forget(handle: object): void {
    this.unreachable.unregister(handle);
  }

  moved(context: ClientContext, from: bigint): void {
    if (this.contexts.get(from) === context) this.contexts.delete(from);
    this.file(context);
  }

  destroyValue(value: bigint): number {
    return this.addon.destroyContextHandle(value);
  }

  /** Lists the record under its value, merged into the record already there, if any. */
  private file(context: ClientContext): ClientContext {
    if (context.value === 0n) return context;
    const existing = this.contexts.get(context.value);
    if (existing !== undefined && existing !== context) {
      context.mergeInto(existing);
      return existing;
    }
    this.contexts.set(context.value, context);
    return context;
  }
}
