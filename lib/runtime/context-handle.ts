// A context handle: the server's state for this client (an open file, a session), as
// the NDR engine's client context (NDR_CCONTEXT). It belongs to the interface (and,
// for type_strict handles, the type) that opened it, and becomes invalid once closed:
// when the server closes it, the engine frees its client context and so does winrpc.
//
// Every call that takes it holds it until the call completes, so neither destroy() nor
// garbage collection frees its client context under a call. Any number of calls may
// use it [in] at once; a call that holds it [in, out] (a close, typically: the engine
// may free or replace the client context when that call completes) holds it alone,
// and any other use is refused until then. Handle objects that denote the same client
// context share that state (client-context.ts).
import { ClientContext } from './client-context.js';
import type { ContextHandleTracker } from './context-handle-tracker.js';

export class ContextHandle<Type extends string = string> {
  /** Compile-time brand: generated clients type handles by their IDL typedef. */
  declare readonly type: Type;
  #context: ClientContext;
  /** False once destroy() let go of it (other objects may still denote its client context). */
  #attached = true;
  #close: ((handle: ContextHandle<Type>) => Promise<unknown>) | undefined;
  #tracker: ContextHandleTracker | undefined;

  /** @internal Made by winrpc from a reply; not for users to construct. */
  constructor(
    /** The interface it belongs to (its UUID). */
    readonly interfaceUuid: string,
    /** The context handle type's name, for type_strict handles. */
    readonly typeName: string | undefined,
    value: bigint,
  ) {
    this.#context = new ClientContext(value);
  }

  /** Its client context's record, following merges. */
  get #shared(): ClientContext {
    this.#context = this.#context.current;
    return this.#context;
  }

  /**
   * False once the server has closed it, it was destroyed (or a call returned it as
   * NULL), also through another handle object denoting the same client context.
   */
  get isOpen(): boolean {
    return this.#attached && this.#shared.value !== 0n;
  }

  /** True while a call in flight holds it [in, out]; other uses are refused until it settles. */
  get busy(): boolean {
    return this.#attached && this.#shared.exclusive;
  }

  /** How many calls in flight hold it (any number [in], or one [in, out]). */
  get callsInFlight(): number {
    return this.#attached ? this.#shared.uses : 0;
  }

  /** @internal The NDR_CCONTEXT pointer the engine gave it (0n once closed or destroyed). */
  get value(): bigint {
    return this.#attached ? this.#shared.value : 0n;
  }

  /** @internal What the engine left in the handle's memory after a call. */
  update(value: bigint): void {
    this.#shared.set(value);
  }

  /** @internal Counted (and destroyed once unreachable) by its environment's tracker. */
  track(tracker: ContextHandleTracker): void {
    this.#tracker = tracker;
    this.#context = tracker.join(this, this.#shared);
  }

  /** @internal A call holds it from issue until its completion; [in, out] (`exclusive`) alone. */
  hold(exclusive: boolean): void {
    this.#shared.hold(exclusive);
  }

  /**
   * @internal The call that held it has completed. `value` is what the engine left in
   * an [in, out] slot: read back whether the call succeeded or not, or 0n when that is
   * unknown (the call was abandoned and the server answered: the engine may have freed
   * the client context, so every handle object denoting it is given up, not destroyed).
   */
  release(exclusive: boolean, value?: bigint): void {
    this.#shared.release(exclusive, value);
  }

  /** @internal Names the procedure call that closes this handle (see RpcInterface). */
  setCloser(close: (handle: ContextHandle<Type>) => Promise<unknown>): void {
    this.#close = close;
  }

  /**
   * Frees the client side of the handle without telling the server
   * (RpcSsDestroyClientContext): for a handle whose close failed, whose server is gone,
   * or that is no longer wanted when no close procedure can be called. The server runs
   * its rundown when the connection goes. The handle is closed at once; calls in flight
   * that hold it complete as they would have, and the client context is destroyed when
   * the last of them completes (and only when no other open handle object denotes it).
   * Does nothing once closed. Unreachable handles are destroyed this way too.
   */
  destroy(): void {
    if (!this.isOpen) return;
    this.#attached = false;
    this.#tracker?.forget(this);
    const status = this.#shared.leave();
    if (status !== 0) throw new Error(`${this}: RpcSsDestroyClientContext failed with ${status}`);
  }

  /**
   * Closes the handle through its interface's close procedure (the one whose only
   * argument is this handle type, [in, out]), so `await using` releases server state.
   * Does nothing once closed; throws when the interface has no such procedure.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.isOpen) return;
    if (!this.#close) {
      throw new TypeError(`${this}: its interface has no procedure that closes it; call one yourself`);
    }
    await this.#close(this);
  }

  toString(): string {
    return `ContextHandle(${this.typeName ?? 'context handle'}${this.isOpen ? '' : ', closed'})`;
  }
}
