// The JS state behind each context handle a server has handed out. The NDR engine keeps
// an 8-byte server context per handle; winrpc stores a token there (the server's key in
// the high 32 bits, so a rundown finds its server) and keeps the state here by token.

export class ContextStates {
  private next = 1;
  private readonly states = new Map<bigint, { typeName: string; state: unknown }>();

  constructor(
    private readonly serverKey: () => number,
    private readonly onRundown: (typeName: string, state: unknown) => void,
  ) {}

  /** The state of a handle the client passed in (null for the NULL handle). */
  state(bits: bigint): unknown {
    return bits === 0n ? null : (this.states.get(bits)?.state ?? null);
  }

  /**
   * The token for `state` returned as a handle: 0 (closed) for null or undefined; an
   * [in, out] handle that stays open keeps its token, with the new state.
   */
  keep(state: unknown, typeName: string, given: bigint | undefined): bigint {
    if (state === null || state === undefined) {
      if (given !== undefined) this.states.delete(given);
      return 0n;
    }
    if (given !== undefined && given !== 0n && this.states.has(given)) {
      this.states.set(given, { typeName, state });
      return given;
    }
    const bits = (BigInt(this.serverKey()) << 32n) | BigInt(this.next);
    this.next = this.next === 0xffffffff ? 1 : this.next + 1;
    this.states.set(bits, { typeName, state });
    return bits;
  }

  /** The client holding `bits` went away: forget it and tell the implementation. */
  runDown(bits: bigint): void {
    const entry = this.states.get(bits);
    if (!entry) return;
    this.states.delete(bits);
    this.onRundown(entry.typeName, entry.state);
  }

  /** The server closed: every state still held runs down, once (later rundowns find nothing). */
  runDownAll(): void {
    for (const bits of [...this.states.keys()]) this.runDown(bits);
  }

  get size(): number {
    return this.states.size;
  }
}
