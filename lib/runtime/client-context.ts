// One client context (the NDR engine's NDR_CCONTEXT, one pointer value) as every
// ContextHandle object that denotes it sees it. The engine gives a server context it
// already knows the same client context, so two handle objects can share one value:
// whether it is in use, held [in, out], open or freed is a fact about the value, not
// about one object, and lives here.
//
// Uses are counted: any number of calls may hold it [in] at once; a call that holds it
// [in, out] (a close, typically: the engine may free or replace the value when that call
// completes) holds it alone. RpcSsDestroyClientContext waits until no call holds it.

/** What a client context tells its environment's tracker (context-handle-tracker.ts). @internal */
export interface ClientContextOwner {
  /** The value changed (0n: freed by the engine, destroyed, or given up). */
  moved(context: ClientContext, from: bigint): void;
  /** RpcSsDestroyClientContext on `value`: 0 or the status. */
  destroyValue(value: bigint): number;
}

/** @internal */
export class ClientContext {
  /** Calls in flight that hold the value ([in] or [in, out]). */
  uses = 0;
  /** One of them holds it [in, out]: no other call may use it until that one completes. */
  exclusive = false;
  /** Open handle objects that denote it (not destroyed, not collected). */
  members = 1;
  /** Every handle object let go while calls held it: destroyed when the last call completes. */
  destroyWhenFree = false;
  owner: ClientContextOwner | undefined;
  /** Merged into another record that denotes the same value: follow it. */
  private mergedInto: ClientContext | undefined;

  constructor(public value: bigint) {}

  /** The record that now stands for this one (itself unless merged). */
  get current(): ClientContext {
    let context: ClientContext = this;
    while (context.mergedInto) context = context.mergedInto;
    return context;
  }

  /** This record's objects and calls now count on `target` (same value). */
  mergeInto(target: ClientContext): void {
    if (target === this) return;
    this.mergedInto = target;
    target.members += this.members;
    target.uses += this.uses;
    target.exclusive ||= this.exclusive;
    if (target.members > 0) target.destroyWhenFree = false;
    this.members = 0;
    this.uses = 0;
    this.exclusive = false;
  }

  hold(exclusive: boolean): void {
    this.uses++;
    if (exclusive) this.exclusive = true;
  }

  /**
   * A call that held it has completed. `value` is what the engine left in an [in, out]
   * slot (undefined for an [in] use: the engine does not change it).
   */
  release(exclusive: boolean, value: bigint | undefined): void {
    this.uses = Math.max(0, this.uses - 1);
    if (exclusive) this.exclusive = false;
    if (value !== undefined) this.set(value);
    if (this.uses === 0 && this.destroyWhenFree) this.destroyNow();
  }

  set(value: bigint): void {
    if (value === this.value) return;
    const from = this.value;
    this.value = value;
    this.owner?.moved(this, from);
  }

  /**
   * One handle object let go of it (destroy() or collection). The last one destroys the
   * client context, now or, while calls hold it, when the last of them completes.
   * Returns 0 or the status of RpcSsDestroyClientContext.
   */
  leave(): number {
    this.members = Math.max(0, this.members - 1);
    if (this.members > 0 || this.value === 0n) return 0;
    if (this.uses > 0) {
      this.destroyWhenFree = true;
      return 0;
    }
    return this.destroyNow();
  }

  private destroyNow(): number {
    this.destroyWhenFree = false;
    const value = this.value;
    if (value === 0n) return 0;
    const status = this.owner?.destroyValue(value) ?? 0;
    this.set(0n);
    return status;
  }
}
