// A stand-in for the native addon, for unit tests of lib/runtime's call engine on any
// OS (as protobuf-ts tests its clients over a TestTransport): it records what the
// runtime asks of the addon, and the test decides when and how each call completes.
// RpcInterface takes the engine built over it through its internal constructor seam
// (`new RpcInterface(compiled, { engine })`), so the public call path runs unchanged.
import { readFileSync } from 'node:fs';
import type { AsyncCall } from '../../lib/runtime/async-call.js';
import { CallEngine } from '../../lib/runtime/call-engine.js';
import type {
  NativeAddon,
  NativeCallResult,
  NativeDiagnostics,
  NativeHandle,
} from '../../lib/runtime/native-addon.js';
import type { RpcBinding } from '../../lib/runtime/rpc-binding.js';
import { interfaceFromSource, type RpcClient, RpcInterface } from '../../lib/runtime/rpc-interface.js';

interface FakeCall {
  id: number;
  abandoned: boolean;
  /** Abandoned, but left for takeCall after its completion. */
  kept: boolean;
  done: boolean;
  reply: bigint;
  /** The call's [in] memory as the runtime got it, and as the "engine" left it. */
  arena: Uint8Array;
}

const handle = {} as NativeHandle;

export class FakeAddon implements NativeAddon {
  /** Calls by id while the fake "runtime" or JS holds them. */
  readonly calls = new Map<number, FakeCall>();
  /** Every cancelCall, in order. */
  readonly cancels: { id: number; abortive: boolean }[] = [];
  /** What cancelCall answers (1914 is Wine's stub). */
  cancelStatus = 0;
  callbackSets = 0;
  private callback: ((records: Uint32Array) => void) | undefined;

  setCompletionCallback(callback: (records: Uint32Array) => void): void {
    this.callbackSets++;
    this.callback = callback;
  }

  startCall(
    id: number,
    _iface?: NativeHandle,
    _binding?: NativeHandle,
    _offset?: number,
    arena?: Uint8Array,
    _relocations?: Uint32Array,
    _slots?: BigUint64Array,
    _pointerSlots?: Uint32Array,
    arenaSize?: number,
  ): number {
    if (this.calls.has(id)) return 87;
    // The whole arena, as native code allocates it (reserved [out] space included).
    const memory = new Uint8Array(Math.max(arenaSize ?? 0, arena?.length ?? 0));
    memory.set(arena ?? []);
    this.calls.set(id, {
      id,
      abandoned: false,
      kept: false,
      done: false,
      reply: 0n,
      arena: memory,
    });
    return 0;
  }

  /**
   * The runtime completes call `id` with `status` (any status: a server may fail a call
   * with 997 too) and `reply`; `unmarshal` changes the call's memory as the engine
   * would (an [in, out] context handle freed: its 8 bytes set to 0).
   */
  complete(id: number, status = 0, reply = 0n, unmarshal?: (memory: DataView) => void): void {
    const call = this.calls.get(id);
    if (call) {
      call.done = true;
      call.reply = reply;
      unmarshal?.(new DataView(call.arena.buffer, call.arena.byteOffset, call.arena.byteLength));
      if (call.abandoned && !call.kept) this.calls.delete(id); // as native code frees it on delivery
    }
    this.callback?.(Uint32Array.of(id, status));
  }

  takeCall(id: number): NativeCallResult {
    const arena = this.calls.get(id)?.arena.slice().buffer ?? new ArrayBuffer(0);
    return { reply: this.take(id), arenaAddress: 0x1000n, arena, blocks: [] };
  }

  takeReply(id: number): bigint {
    return this.take(id);
  }

  private take(id: number): bigint {
    const call = this.calls.get(id);
    if (!call?.done || (call.abandoned && !call.kept))
      throw new Error('winrpc: no completed call with that id');
    this.calls.delete(id);
    return call.reply;
  }

  cancelCall(id: number, abortive: boolean): number {
    this.cancels.push({ id, abortive });
    return this.calls.get(id)?.done === false ? this.cancelStatus : 0;
  }

  abandonCall(id: number, keep = false): void {
    const call = this.calls.get(id);
    if (call) {
      call.abandoned = true;
      call.kept = keep;
    }
  }

  callStatus(id: number): number {
    return this.calls.get(id)?.done === false ? 997 : 0;
  }

  diagnostics(): NativeDiagnostics {
    const live = [...this.calls.values()];
    return {
      openPorts: 1,
      inFlight: live.filter((c) => !c.done && !c.abandoned).length,
      liveCalls: live.length,
      abandonedCalls: live.filter((c) => c.abandoned).length,
      arenaBytes: 0,
      takenArenaBytes: 0,
      bindingHandles: 0,
    };
  }

  registerInterface(): NativeHandle {
    return handle;
  }

  /** Every destroyContextHandle, in order. */
  readonly destroyed: bigint[] = [];
  destroyContextHandle(value: bigint): number {
    this.destroyed.push(value);
    return 0;
  }

  postSynthetic(): void {
    throw new Error('not in the fake');
  }
  benchDeliver(): void {
    throw new Error('not in the fake');
  }
  sehSelfTest(): number {
    throw new Error('not in the fake');
  }
  exprSelfTest(): { status: number; offset: number; maxCount: number } {
    throw new Error('not in the fake');
  }
  createBinding(): NativeHandle {
    return handle;
  }
  freeBinding(): void {}
  setBindingAuth(): number {
    return 0;
  }
  inquireBindingAuth(): { service: number; level: number; principal: string } {
    return { service: 0, level: 0, principal: '' };
  }
  setBindingOption(): number {
    return 0;
  }
  resolveBinding(): Promise<number> {
    return Promise.resolve(0);
  }
  bindingToString(): string {
    return 'ncalrpc:[fake]';
  }
  copyBinding(): NativeHandle {
    return handle;
  }
}

const calcCompiled = interfaceFromSource(
  readFileSync(new URL('../servers/calc.idl', import.meta.url), 'utf8'),
  { file: 'calc.idl' },
).compiled;

const sessionsCompiled = interfaceFromSource(
  readFileSync(new URL('../servers/sessions.idl', import.meta.url), 'utf8'),
  { file: 'sessions.idl' },
).compiled;

/** A client of test/servers/sessions.idl (context handles) over the fake addon's engine. */
export function fakeSessionsClient(engine: CallEngine, binding = fakeBinding()): RpcClient {
  return new RpcInterface(sessionsCompiled, { engine }).createClient(binding);
}

/**
 * A binding as RpcInterface uses one (its native handle and its description), with no
 * addon behind it: RpcBinding itself loads the real addon.
 */
export function fakeBinding(callTimeout?: number): RpcBinding {
  return {
    handle: () => handle,
    describe: () => 'ncalrpc:[fake]',
    callTimeout,
  } as unknown as RpcBinding;
}

/** test/servers/calc.idl as an RpcInterface calling through `engine` (the internal seam). */
export function fakeCalc(engine: CallEngine): RpcInterface {
  return new RpcInterface(calcCompiled, { engine });
}

/** A client of calc over the fake addon's engine: the public call path, timeouts and signals included. */
export function fakeCalcClient(engine: CallEngine, binding = fakeBinding()): RpcClient {
  return fakeCalc(engine).createClient(binding);
}

/** A call of calc's procedure over the fake addon's engine, as RpcInterface.begin issues one. */
export function fakeCall(engine: CallEngine, procedure: 'Add' | 'Delay', args: unknown[]): AsyncCall {
  return fakeCalc(engine).begin(fakeBinding(), procedure, args);
}

/** The id the engine gave a call (private to AsyncCall). */
export function callId(call: AsyncCall): number {
  return (call as unknown as { id: number }).id;
}

/** The ids of the calls the fake runtime still holds, in the order they were started. */
export function heldIds(addon: FakeAddon): number[] {
  return [...addon.calls.keys()];
}

export { CallEngine };
