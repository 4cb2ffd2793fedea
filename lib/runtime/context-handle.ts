// A context handle: the server's state for this client (an open file, a session), as
// the NDR engine's client context (NDR_CCONTEXT). It belongs to the interface (and,
// for type_strict handles, the type) that opened it, and becomes invalid once closed:
// when the server closes it, the engine frees its client context and so does winrpc.
//
// While a call holds it [in, out] (a close procedure, typically), the engine may free
// or replace its client context when that call completes: until then it is busy, and
// any other use is refused.

/** What a handle tells the engine that tracks it (lib/runtime/context-handle-tracker.ts). @internal */
export interface ContextHandleOwner {
  /** The handle's client context changed (0n: closed or given up). */
  changed(handle: object, from: bigint, to: bigint): void;
  /** RpcSsDestroyClientContext on `value`; 0 or the status. */
  destroy(handle: object, value: bigint): number;
}

export class ContextHandle<Type extends string = string> {
  /** Compile-time brand: generated clients type handles by their IDL typedef. */
  declare readonly type: Type;
  #value: bigint;
  #close: ((handle: ContextHandle<Type>) => Promise<unknown>) | undefined;
  #owner: ContextHandleOwner | undefined;
  #busy = false;

  /** @internal Made by winrpc from a reply; not for users to construct. */
  constructor(
    /** The interface it belongs to (its UUID). */
    readonly interfaceUuid: string,
    /** The context handle type's name, for type_strict handles. */
    readonly typeName: string | undefined,
    value: bigint,
  ) {
    this.#value = value;
  }

  /** False once the server has closed it, it was destroyed (or a call returned it as NULL). */
  get isOpen(): boolean {
    return this.#value !== 0n;
  }

  /** True while a call in flight holds it [in, out]; other uses are refused until it settles. */
  get busy(): boolean {
    return this.#busy;
  }

  /** @internal The NDR_CCONTEXT pointer the engine gave it. */
  get value(): bigint {
    return this.#value;
  }

  /** @internal What the engine left in the handle's memory after a call. */
  update(value: bigint): void {
    const from = this.#value;
    this.#value = value;
    if (from !== value) this.#owner?.changed(this, from, value);
  }

  /** @internal Counted (and destroyed once unreachable) by its environment's engine. */
  track(owner: ContextHandleOwner): void {
    this.#owner = owner;
    owner.changed(this, 0n, this.#value);
  }

  /** @internal A call holds it [in, out] from issue until its completion. */
  hold(): void {
    this.#busy = true;
  }

  /**
   * @internal The call that held it has completed. `known` is false when its reply was
   * not decoded (the caller stopped waiting) although the server answered: the engine
   * may have freed the client context, so the handle is given up (closed here).
   */
  release(known: boolean): void {
    this.#busy = false;
    if (!known) this.update(0n);
  }

  /** @internal Names the procedure call that closes this handle (see RpcInterface). */
  setCloser(close: (handle: ContextHandle<Type>) => Promise<unknown>): void {
    this.#close = close;
  }

  /**
   * Frees the client side of the handle without telling the server
   * (RpcSsDestroyClientContext): for a handle whose close failed, whose server is gone,
   * or that is no longer wanted when no close procedure can be called. The server runs
   * its rundown when the connection goes. Does nothing once closed; throws a TypeError
   * while a call holds it [in, out]. Unreachable handles are destroyed this way too.
   */
  destroy(): void {
    if (this.#busy) {
      throw new TypeError(`${this}: a call in flight holds it [in, out]; destroy it after that call settles`);
    }
    if (!this.isOpen) return;
    const value = this.#value;
    this.#value = 0n;
    const status = this.#owner?.destroy(this, value) ?? 0;
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
