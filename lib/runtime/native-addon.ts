import type { NativeAuth } from './binding-options.js';

// The addon's JS surface, typed in one place (native/addon.cc and native/rpc_api.cc
// implement it). Only lib/runtime talks to it, after checking every argument. The
// addon trusts lib/runtime for what the arguments mean (format strings, arena layouts,
// slots); it checks only their kinds (handle tags, typed array element types, numbers),
// so that a value of the wrong kind is a TypeError rather than a read out of bounds.

/** An opaque native object: a registered interface or a binding handle. */
export type NativeHandle = { readonly __native: unique symbol };

/** The engine's counters for this environment (diagnostics() and tests). */
export interface NativeDiagnostics {
  /** Completion ports open in this process: 0, or 1 once any environment made a call (never closed). */
  openPorts: number;
  /** Calls or synthetic packets of this environment not yet delivered to JS (abandoned calls excluded). */
  inFlight: number;
  /** Native call objects of this environment alive (in flight, abandoned, or not yet taken). */
  liveCalls: number;
  /** Of those, calls JS stopped waiting for that the runtime has not completed. */
  abandonedCalls: number;
  /** Bytes the live calls hold: [in] arenas and the NDR engine's blocks. */
  arenaBytes: number;
  /** Arenas of taken calls that JS buffers still hold (native until V8 frees them). */
  takenArenaBytes: number;
  /** Binding handles made in this environment and not yet freed. */
  bindingHandles: number;
}

/** A completed call's memory, copied out as native code frees it. */
export interface NativeCallResult {
  /** The reply buffer of RpcAsyncCompleteCall: the remote function's return value. */
  reply: bigint;
  arenaAddress: bigint;
  arena: ArrayBuffer;
  /** Blocks the NDR engine allocated for [out] data. */
  blocks: { address: bigint; bytes: ArrayBuffer }[];
}

/** What RpcServerInqCallAttributes said about a served call's caller (status 0: it said). */
export interface NativeServerCallAttributes {
  status: number;
  /** RPC_PROTSEQ_TCP 1, RPC_PROTSEQ_NMP 2, RPC_PROTSEQ_LRPC 3. */
  protseq: number;
  authLevel: number;
  authService: number;
  clientPrincipal: string;
  clientPid: number;
}

/**
 * A served call handed to JS (id 0: a context handle ran down; slots[0] is its server
 * context). The runtime thread waits until answerServerCall.
 */
export type NativeServerCallback = (
  id: number,
  opnum: number,
  slots: BigUint64Array,
  attributes: NativeServerCallAttributes,
) => void;

export interface NativeAddon {
  /** Receives each batch of completions as (id, status) pairs, in port order. */
  setCompletionCallback(callback: (records: Uint32Array) => void): void;
  /** Posts `count` packets with ids firstId.. to the completion port (no RPC involved). */
  postSynthetic(count: number, firstId: number): void;
  /**
   * Benchmark only (`npm run bench`): one packet makes the completion thread append
   * `count` records with ids firstId.. straight to its queue, measuring the delivery
   * path into JS without a port round trip per record.
   */
  benchDeliver(count: number, firstId: number): void;
  /**
   * Test builds only (WINRPC_TEST_HOOKS): raises SEH exception `code` under the guard and returns the code it caught. Codes
   * RpcExceptionFilter calls fatal (an access violation, ...) are not caught: they end the process.
   */
  sehSelfTest?(code: number): number;
  /**
   * Test builds only (WINRPC_TEST_HOOKS): runs an expression program (lib/ndr/expr-program.ts) in the interpreter
   * the NDR engine calls back, with StackTop at a copy of `frame`; status 0 or what it raised.
   */
  exprSelfTest?(program: Uint8Array, frame: Uint8Array): { status: number; offset: number; maxCount: number };
  diagnostics(): NativeDiagnostics;

  registerInterface(
    uuid: Uint8Array,
    major: number,
    minor: number,
    procFormat: Uint8Array,
    typeFormat: Uint8Array,
    /** Expression callback programs, each as u32 length + bytes (lib/ndr/expr-program.ts). */
    exprPrograms?: Uint8Array,
  ): NativeHandle;
  /** Throws an Error with a numeric `status` when the runtime rejects the string. */
  createBinding(stringBinding: string): NativeHandle;
  freeBinding(binding: NativeHandle): void;
  /** RpcBindingSetAuthInfoEx; the credentials go straight into native memory. */
  setBindingAuth(binding: NativeHandle, auth: NativeAuth): number;
  /** RpcBindingInqAuthInfo (throws an Error with `status`). */
  inquireBindingAuth(binding: NativeHandle): { service: number; level: number; principal: string };
  /** RpcBindingSetOption. */
  setBindingOption(binding: NativeHandle, option: number, value: number): number;
  /** RpcEpResolveBinding on libuv's pool; resolves with its status. */
  resolveBinding(binding: NativeHandle, iface: NativeHandle): Promise<number>;
  /** RpcBindingToStringBinding (throws an Error with `status`). */
  bindingToString(binding: NativeHandle): string;
  /** RpcBindingCopy (throws an Error with `status`). */
  copyBinding(binding: NativeHandle): NativeHandle;
  /** 0 when issued (a completion will follow), otherwise the status. */
  startCall(
    id: number,
    iface: NativeHandle,
    binding: NativeHandle,
    procFormatOffset: number,
    arena: Uint8Array,
    relocations: Uint32Array,
    slots: BigUint64Array,
    pointerSlots: Uint32Array,
    /** The arena's whole size (>= arena.length; the rest is allocated, not copied). */
    arenaSize?: number,
  ): number;
  takeCall(id: number): NativeCallResult;
  /** The reply alone (the call had no [out] data); frees the call without copying its memory. */
  takeReply(id: number): bigint;
  cancelCall(id: number, abortive: boolean): number;
  /**
   * JS stopped waiting for the call. Native code frees it when the runtime completes it,
   * or, with `keep`, leaves it for takeCall after that completion (an [in, out] context
   * handle is read back from it).
   */
  abandonCall(id: number, keep?: boolean): void;
  /** RpcAsyncGetCallStatus of a call in flight; 0 once completed. */
  callStatus(id: number): number;
  /** RpcSsDestroyClientContext on a context handle's NDR_CCONTEXT: 0 or the status. */
  destroyContextHandle(value: bigint): number;
  /**
   * Test builds only (the lane builds the addon with WINRPC_TEST_HOOKS; production
   * addons lack it): RpcAsyncCompleteCall for call `id` before its notification. Its
   * status (RPC_S_ASYNC_CALL_PENDING on Windows, which must leave the call in flight),
   * or null when no such call is issued.
   */
  testEarlyNotification?(id: number): number | null;
}

/** The addon's server functions (native/server_api.cc), kept apart so test fakes of the client side need none. */
export interface NativeServerAddon {
  /**
   * A server for an interface whose procedures are synchronous (lib/ndr/server-format.ts):
   * procOffsets, slotCounts and returnKinds by opnum. Calls reach `onCall` on the JS thread.
   */
  createServer(
    uuid: Uint8Array,
    major: number,
    minor: number,
    procFormat: Uint8Array,
    typeFormat: Uint8Array,
    exprPrograms: Uint8Array | undefined,
    procOffsets: Uint32Array,
    slotCounts: Uint32Array,
    /** By opnum: 0 integer or pointer (rax), 1 float, 2 double (xmm0). */
    returnKinds: Uint32Array,
    maxCalls: number,
    onCall: NativeServerCallback,
    /**
     * Register an IfCallback: before a call is dispatched, `onCall` gets a pseudo-call
     * (opnum 0xfffffffe, no slots) for its caller; answering status 0 admits the caller,
     * anything else refuses it (the client gets RPC_S_ACCESS_DENIED).
     */
    securityCallback?: boolean,
  ): NativeHandle;
  /**
   * Opens the endpoint (dynamic when undefined), registers the authentication service
   * (RpcServerRegisterAuthInfo, unless 0) and the interface (RpcServerRegisterIf3 with
   * ifFlags, on first listen), listens; resolves with the endpoint. Rejects with `status`.
   */
  listenServer(
    server: NativeHandle,
    protseq: string,
    endpoint: string | undefined,
    ifFlags: number,
    maxRpcSize: number,
    authService: number,
    principal: string | undefined,
  ): Promise<string>;
  /**
   * Unregisters, waiting for the calls in flight, on a thread of its own; when done, the
   * server's callback gets a pseudo-call (id 0, opnum 0xfffffffd, slot 0: the status).
   * Throws an Error with `status` (RPC_S_OUT_OF_RESOURCES) when that thread cannot start.
   */
  closeServer(server: NativeHandle): void;
  /** After that pseudo-call: the server's ThreadSafeFunction goes. */
  releaseServer(server: NativeHandle): void;
  /** close()'s deadline passed: calls waiting for the implementation, and later ones, get `status`. */
  answerWaitingCalls(server: NativeHandle, status: number): void;
  /** A copy of request memory of call `id` (waiting); throws an Error with `status` 1783 when unreadable. */
  readServerMemory(server: NativeHandle, id: number, address: bigint, size: number): ArrayBuffer;
  /** The code units of a NUL-terminated string in call `id`'s request memory, without the NUL. */
  readServerUnits(server: NativeHandle, id: number, address: bigint, unit: 1 | 2): ArrayBuffer;
  /**
   * Answers call `id`: a status (non-zero: raised to the client), the return value, and
   * [out] data as an arena with relocations and (slot, offset, size) copies. False when
   * the call no longer waits.
   */
  answerServerCall(
    server: NativeHandle,
    id: number,
    status: number,
    value: bigint,
    arena: Uint8Array,
    relocations: Uint32Array,
    outs: Uint32Array,
  ): boolean;
  /** The server's process-wide key (high 32 bits of its context handles' server contexts). */
  serverKey(server: NativeHandle): number;
  /**
   * Test builds only (WINRPC_TEST_HOOKS), process-wide: the NDR engine's server-side
   * blocks not yet freed, the ones winrpc freed after a call because the engine left them
   * behind, dispatches that ended after their server had been destroyed, and servers
   * not yet destroyed.
   */
  testServerCounters?(): {
    engineBlocksLive: number;
    engineBlocksSwept: number;
    dispatchesOutlivingServer: number;
    serversLive: number;
  };
  /** Test builds only: the next closeServer fails to start its thread (std::system_error). */
  testFailNextCloseThread?(): void;
  /** Test builds only: RpcServerUnregisterIf behind the server's back; the status. */
  testUnregisterBehind?(server: NativeHandle): number;
}
