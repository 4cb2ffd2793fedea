// The addon's JS surface, typed in one place (native/addon.cc implements it).

/** Per-process engine counters, for tests and bug reports. */
export interface NativeDiagnostics {
  /** Completion ports open in this process (one per environment that made a call). */
  openPorts: number;
  /** Calls or synthetic packets of this environment not yet delivered to JS. */
  inFlight: number;
}

export interface NativeAddon {
  /** Receives each batch of completions as (id, status) pairs, in port order. */
  setCompletionCallback(callback: (records: Uint32Array) => void): void;
  /** Posts `count` packets with ids firstId.. to the completion port (no RPC involved). */
  postSynthetic(count: number, firstId: number): void;
  /** Raises SEH exception `code` under the guard and returns the code it caught. */
  sehSelfTest(code: number): number;
  diagnostics(): NativeDiagnostics;
}
