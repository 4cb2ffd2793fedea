// A context handle: the server's state for this client (an open file, a session), as
// the NDR engine's client context (NDR_CCONTEXT). It belongs to the interface (and,
// for type_strict handles, the type) that opened it, and becomes invalid once closed:
// when the server closes it, the engine frees its client context and so does winrpc.

export class ContextHandle<Type extends string = string> {
  /** Compile-time brand: generated clients type handles by their IDL typedef. */
  declare readonly type: Type;
  #value: bigint;
  #close: ((handle: ContextHandle<Type>) => Promise<unknown>) | undefined;

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

  /** False once the server has closed it (or a call returned it as NULL). */
  get isOpen(): boolean {
    return this.#value !== 0n;
  }

  /** @internal The NDR_CCONTEXT pointer the engine gave it. */
  get value(): bigint {
    return this.#value;
  }

  /** @internal What the engine left in the handle's memory after a call. */
  update(value: bigint): void {
    this.#value = value;
  }

  /** @internal Names the procedure call that closes this handle (see RpcInterface). */
  setCloser(close: (handle: ContextHandle<Type>) => Promise<unknown>): void {
    this.#close = close;
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
