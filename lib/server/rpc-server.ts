// A JS implementation of an RPC interface, served by the real runtime: calls arrive on
// runtime threads, reach JS with their decoded [in] arguments, and block until the
// implementation answers (RpcInterface.createServer makes these).
import { EventEmitter } from 'node:events';
import type { CompiledInterface, CompiledProcedure } from '../ndr/compiled.js';
import { serverProcFormat } from '../ndr/server-format.js';
import { SERVICES } from '../runtime/binding-options.js';
import { guidBytes, packPrograms } from '../runtime/interface-bytes.js';
import { loadAddon, requireWindows } from '../runtime/load-addon.js';
import type { NativeHandle, NativeServerAddon, NativeServerCallAttributes } from '../runtime/native-addon.js';
import { RpcError } from '../runtime/rpc-error.js';
import { normalizeStatus } from '../runtime/status-codes.js';
import { ContextStates } from './context-states.js';
import { decodeArguments } from './decode-arguments.js';
import { encodeResults } from './encode-results.js';
import { ReplyRefused } from './inout-string-bounds.js';
import { RequestMemory } from './request-memory.js';

/**
 * The status a client sees when an implementation throws something without a numeric
 * `status` (the error is also reported through the server's 'error' event):
 * RPC_S_CALL_FAILED, "The remote procedure call failed".
 */
export const DEFAULT_FAILURE_STATUS = 1726;
/**
 * The status a client sees when close()'s `timeout` passes before its call was answered
 * (the implementation's later answer is dropped): RPC_S_CALL_FAILED, "The remote procedure
 * call failed" (it may have run in part).
 */
export const CLOSE_TIMEOUT_STATUS = 1726;
/** An implementation without the procedure: RPC_S_CANNOT_SUPPORT. */
const RPC_S_CANNOT_SUPPORT = 1764;
/** listen() of a second server of an interface this process already serves. */
const RPC_S_TYPE_ALREADY_REGISTERED = 1712;
/** What a refused caller gets (RPC_IF_CALLBACK_FN: any other answer than RPC_S_OK). */
export const RPC_S_ACCESS_DENIED = 5;
/** The pseudo-call opnum of a security-callback question (native/win/rpc_server.h). */
const SECURITY_OPNUM = 0xfffffffe;
/**
 * close()'s rejection when RpcServerUnregisterIf failed (RPC_S_UNKNOWN_IF: something else
 * unregistered the interface). The server is closed all the same: it takes no more calls
 * from winrpc, its context handles have run down, and the interface may be served again.
 */
const CLOSE_FAILED = 'close: RpcServerUnregisterIf failed; the server is closed all the same';

/** The pseudo-call that says closeServer has finished (slot 0: RpcServerUnregisterIf's status). */
const CLOSED_OPNUM = 0xfffffffd;

/** What every implementation method gets as its last argument. */
export interface ServerCallInfo {
  /** The procedure's name in the IDL. */
  procedure: string;
  /** 'ncalrpc', 'ncacn_ip_tcp', 'ncacn_np', or undefined when the runtime did not say. */
  protseq: string | undefined;
  /** RPC_C_AUTHN_LEVEL_* of the call (0 when the runtime did not say). */
  authLevel: number;
  /** RPC_C_AUTHN_* service of the call. */
  authService: number;
  /** The client's principal name, when the call is authenticated. */
  clientPrincipal: string | undefined;
  /** The client's process id (local calls; 0 when unknown). */
  clientPid: number;
}

/**
 * An implementation: one method per procedure, by IDL name (missing ones fail with
 * RPC_S_CANNOT_SUPPORT). `winrpc gen` types it per interface (`ICalcServer`).
 */
export type ServerImplementation = object;

export interface CreateServerOptions {
  /** Runs when a client holding a context handle goes away, with the handle's type and state. */
  rundown?(typeName: string, state: unknown): void;
  /** Calls handed to the implementation at once (default 64); later ones wait on their runtime thread. */
  maxConcurrentCalls?: number;
  /**
   * Asked before each call reaches the implementation (RpcServerRegisterIf3's IfCallback,
   * run on the runtime thread, which waits): true (or a promise of a truthy value) admits
   * the caller; false, or a throw (also reported through 'error'), refuses it and the
   * client gets RPC_S_ACCESS_DENIED (5). `call` is what the implementation would get,
   * without `procedure` (the runtime asks about the caller, not the call). Registered
   * with RPC_IF_SEC_NO_CACHE (asked for every call, not once per connection) and, unless
   * the interface is secure-only, RPC_IF_ALLOW_CALLBACKS_WITH_NO_AUTH (unauthenticated
   * callers are asked too rather than refused by the runtime). Fixed by the first listen().
   */
  securityCallback?(call: SecurityCallInfo): boolean | PromiseLike<boolean>;
}

/** What a security callback gets: a ServerCallInfo without the procedure. */
export type SecurityCallInfo = Omit<ServerCallInfo, 'procedure'>;

export type ServerProtseq = 'ncalrpc' | 'ncacn_ip_tcp' | 'ncacn_np';

export interface ListenOptions {
  protseq: ServerProtseq;
  /** Left out: a dynamic endpoint, registered with the endpoint mapper. */
  endpoint?: string;
  /** Largest request accepted, in bytes (RpcServerRegisterIf3's MaxRpcSize; not applied to ncalrpc). */
  maxRpcSize?: number;
  /**
   * The authentication service registered for the server (RpcServerRegisterAuthInfo).
   * Default: Negotiate on ncacn_ip_tcp and ncacn_np (ncalrpc authenticates by itself).
   * 'none' registers nothing and accepts unauthenticated calls.
   */
  auth?: 'none' | { service?: 'negotiate' | 'ntlm' | 'kerberos'; principal?: string };
  /**
   * Accept unauthenticated calls on ncacn_ip_tcp and ncacn_np. By default the interface is
   * registered with RPC_IF_ALLOW_SECURE_ONLY there (unless auth is 'none'). The flags are
   * fixed by the first listen() of a server.
   */
  allowInsecure?: boolean;
}

export interface CloseOptions {
  /**
   * Milliseconds to wait for the calls in flight. When it passes, every call still waiting
   * for the implementation (and any that arrives before the interface is unregistered) is
   * answered with CLOSE_TIMEOUT_STATUS (1726); its implementation's answer is dropped.
   * Default: no deadline (close() waits for every call, as net.Server's close() does).
   */
  timeout?: number;
}

/** RPC_IF_ALLOW_SECURE_ONLY (Interface Registration Flags): unauthenticated calls are refused. */
const RPC_IF_ALLOW_SECURE_ONLY = 0x0008;

/** RPC_IF_ALLOW_CALLBACKS_WITH_NO_AUTH: unauthenticated callers reach the security callback. */
const RPC_IF_ALLOW_CALLBACKS_WITH_NO_AUTH = 0x0010;
/** RPC_IF_SEC_NO_CACHE: the security callback runs for every call, its answer is not cached. */
const RPC_IF_SEC_NO_CACHE = 0x0040;

/**
 * The authentication service and interface flags a listen() asks for; `securityCallback`:
 * the server registers one (the flags then make the runtime ask it about every call the
 * interface would otherwise accept).
 */
export function listenSecurity(
  options: ListenOptions,
  securityCallback = false,
): {
  service: number;
  principal?: string;
  ifFlags: number;
} {
  const security = authAndFlags(options);
  if (!securityCallback) return security;
  const secureOnly = (security.ifFlags & RPC_IF_ALLOW_SECURE_ONLY) !== 0;
  return {
    ...security,
    ifFlags: security.ifFlags | RPC_IF_SEC_NO_CACHE | (secureOnly ? 0 : RPC_IF_ALLOW_CALLBACKS_WITH_NO_AUTH),
  };
}

function authAndFlags(options: ListenOptions): {
  service: number;
  principal?: string;
  ifFlags: number;
} {
  const remote = options.protseq !== 'ncalrpc';
  const auth = options.auth;
  if (auth !== undefined && auth !== 'none' && (typeof auth !== 'object' || auth === null)) {
    throw new TypeError("listen: auth must be 'none' or { service?, principal? }");
  }
  if (auth === 'none') return { service: 0, ifFlags: 0 };
  const name = auth?.service ?? 'negotiate';
  if (!['negotiate', 'ntlm', 'kerberos'].includes(name)) {
    throw new TypeError('listen: auth.service must be one of negotiate, ntlm, kerberos');
  }
  if (auth?.principal !== undefined && typeof auth.principal !== 'string') {
    throw new TypeError('listen: auth.principal must be a string');
  }
  if (!remote && auth === undefined) return { service: 0, ifFlags: 0 };
  return {
    service: SERVICES[name as 'negotiate'],
    ...(auth?.principal !== undefined ? { principal: auth.principal } : {}),
    ifFlags: remote && options.allowInsecure !== true ? RPC_IF_ALLOW_SECURE_ONLY : 0,
  };
}

const PROTSEQ_NAMES: Record<number, string> = { 1: 'ncacn_ip_tcp', 2: 'ncacn_np', 3: 'ncalrpc' };
const PROTSEQS: readonly string[] = ['ncalrpc', 'ncacn_ip_tcp', 'ncacn_np'];
const NO_LIMIT = 0xffffffff;

export interface RpcServerEvents {
  /** An implementation threw (or rejected with) something without a numeric `status`. */
  error: [error: unknown, call: ServerCallInfo];
}

export class RpcServer extends EventEmitter<RpcServerEvents> {
  private native: NativeHandle | undefined;
  private readonly addon: NativeServerAddon;
  private readonly contexts: ContextStates;
  private closing: Promise<void> | undefined;
  private closed = false;
  private onClosed: ((status: number) => void) | undefined;

  constructor(
    private readonly compiled: CompiledInterface,
    private readonly impl: ServerImplementation,
    private readonly options: CreateServerOptions = {},
  ) {
    super();
    if (typeof impl !== 'object' || impl === null) {
      throw new TypeError(`${compiled.name}.createServer: the implementation must be an object`);
    }
    if (options.securityCallback !== undefined && typeof options.securityCallback !== 'function') {
      throw new TypeError(`${compiled.name}.createServer: securityCallback must be a function`);
    }
    const max = options.maxConcurrentCalls ?? 64;
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`${compiled.name}.createServer: maxConcurrentCalls must be a positive integer`);
    }
    requireWindows();
    this.addon = loadAddon();
    this.contexts = new ContextStates(
      () => this.addon.serverKey(this.nativeServer()),
      (typeName, state) => this.runDown(typeName, state),
    );
  }

  /** Starts accepting calls; resolves with the endpoint once they are accepted. */
  async listen(options: ListenOptions): Promise<{ endpoint: string }> {
    if (!PROTSEQS.includes(options?.protseq)) {
      throw new TypeError(`listen: protseq must be one of ${PROTSEQS.join(', ')}`);
    }
    if (options.endpoint !== undefined && (typeof options.endpoint !== 'string' || options.endpoint === '')) {
      throw new TypeError('listen: endpoint must be a non-empty string');
    }
    const maxRpcSize = options.maxRpcSize ?? NO_LIMIT;
    if (!Number.isInteger(maxRpcSize) || maxRpcSize < 1 || maxRpcSize > NO_LIMIT) {
      throw new RangeError('listen: maxRpcSize must be a positive integer');
    }
    const security = listenSecurity(options, this.options.securityCallback !== undefined);
    if (this.closing) throw new Error(`${this.compiled.name}: the server is closed`);
    try {
      const endpoint = await this.addon.listenServer(
        this.nativeServer(),
        options.protseq,
        options.endpoint,
        security.ifFlags,
        maxRpcSize,
        security.service,
        security.principal,
      );
      return { endpoint };
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (typeof status !== 'number') throw error;
      throw new RpcError(status, {
        interface: this.compiled.name,
        detail:
          status === RPC_S_TYPE_ALREADY_REGISTERED
            ? 'another server of this process serves this interface: close it first; the runtime keys servers by interface and its endpoints are process-wide'
            : `listen on ${options.protseq}`,
        cause: error,
      });
    }
  }

  /**
   * Stops accepting calls, waits for the calls in flight (up to `timeout`), and unregisters
   * the interface. Then every context handle the server handed out is over: its client can
   * no longer reach the server, so `rundown(typeName, state)` runs once for each state still
   * held, and a rundown the runtime reports later for one of them is ignored.
   * Rejects with an RpcError when RpcServerUnregisterIf fails (closed all the same), or
   * with RPC_S_OUT_OF_RESOURCES when no thread can start to close on (still serving).
   */
  close(options: CloseOptions = {}): Promise<void> {
    const timeout = options?.timeout;
    if (timeout !== undefined && (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout < 0)) {
      throw new RangeError('close: timeout must be a non-negative number of milliseconds');
    }
    const native = this.native;
    if (!this.closing) {
      if (native) {
        try {
          this.addon.closeServer(native);
        } catch (error) {
          // Nothing started (no thread to close on): the server still serves; try again later.
          return Promise.reject(this.statusError(error, 'close: the server still serves'));
        }
        this.closing = new Promise<void>((resolve, reject) => {
          this.onClosed = (status) => {
            this.closed = true;
            try {
              this.addon.releaseServer(native);
              this.contexts.runDownAll(); // runs users' rundowns, whose 'error' listeners may throw
            } finally {
              if (status === 0) resolve();
              else reject(new RpcError(status, { interface: this.compiled.name, detail: CLOSE_FAILED }));
            }
          };
        });
      } else {
        this.closing = Promise.resolve();
      }
    }
    if (native && timeout !== undefined && Number.isFinite(timeout) && !this.closed) {
      const timer = setTimeout(() => this.addon.answerWaitingCalls(native, CLOSE_TIMEOUT_STATUS), timeout);
      const clear = () => clearTimeout(timer);
      this.closing.then(clear, clear);
    }
    return this.closing;
  }

  /** A native failure with a numeric `status` as an RpcError of this interface; others as they are. */
  private statusError(error: unknown, detail: string): unknown {
    const status = (error as { status?: unknown }).status;
    if (typeof status !== 'number') return error;
    return new RpcError(status, { interface: this.compiled.name, detail, cause: error });
  }

  private nativeServer(): NativeHandle {
    if (!this.native) {
      const { uuid, version, typeFormat, exprPrograms, procedures } = this.compiled;
      const count = procedures.reduce((n, p) => Math.max(n, p.opnum + 1), 0);
      const offsets = new Uint32Array(count);
      const slots = new Uint32Array(count);
      const returns = new Uint32Array(count);
      for (const p of procedures) {
        offsets[p.opnum] = p.procFormatOffset;
        slots[p.opnum] = p.stackSize / 8;
        const primitive = p.returnType?.kind === 'primitive' ? p.returnType.primitive : undefined;
        returns[p.opnum] = primitive === 'float' ? 1 : primitive === 'double' ? 2 : 0;
      }
      this.native = this.addon.createServer(
        guidBytes(uuid),
        version.major,
        version.minor,
        serverProcFormat(this.compiled),
        typeFormat,
        exprPrograms && packPrograms(exprPrograms),
        offsets,
        slots,
        returns,
        this.options.maxConcurrentCalls ?? 64,
        (id, opnum, argSlots, attributes) => this.onCall(id, opnum, argSlots, attributes),
        this.options.securityCallback !== undefined,
      );
    }
    return this.native;
  }

  private onCall(id: number, opnum: number, slots: BigUint64Array, attributes: NativeServerCallAttributes) {
    if (id === 0) {
      if (opnum === CLOSED_OPNUM) this.onClosed?.(Number(slots[0] ?? 0n));
      else this.contexts.runDown(slots[0] ?? 0n);
      return;
    }
    const native = this.native as NativeHandle;
    if (opnum === SECURITY_OPNUM) return this.checkCaller(native, id, attributes);
    const answer = (
      status: number,
      bits = 0n,
      arena = EMPTY_BYTES,
      relocations = EMPTY_U32,
      outs = EMPTY_U32,
    ) => {
      try {
        this.addon.answerServerCall(native, id, status, bits, arena, relocations, outs);
      } catch {
        // The call went away meanwhile (the environment is closing): nothing is waiting.
      }
    };
    const proc = this.compiled.procedures.find((p) => p.opnum === opnum);
    if (!proc) return answer(RPC_S_CANNOT_SUPPORT);
    const call = callInfo(proc, attributes);
    const method = (this.impl as Record<string, unknown>)[proc.name];
    if (typeof method !== 'function') return answer(RPC_S_CANNOT_SUPPORT);
    let inputs: Map<string, unknown>;
    let args: unknown[];
    // The server contexts of the handles passed in, by parameter ([in, out] ones stay or close).
    const given = new Map<string, bigint>();
    try {
      const memory = new RequestMemory({
        read: (address, size) => this.addon.readServerMemory(native, id, address, size),
        readUnits: (address, unit) => this.addon.readServerUnits(native, id, address, unit),
      });
      ({ args, inputs } = decodeArguments(proc, slots, memory, (bits, _type, param) => {
        given.set(param, bits);
        return this.contexts.state(bits);
      }));
    } catch (error) {
      // The request itself is wrong (the engine accepted it, winrpc cannot read it).
      return answer(statusOf(error) ?? DEFAULT_FAILURE_STATUS);
    }
    const reply = (result: unknown) => {
      try {
        const encoded = encodeResults(proc, inputs, result, (state, type, param) =>
          this.contexts.keep(state, type.typeName ?? '', param === undefined ? undefined : given.get(param)),
        );
        answer(0, encoded.returnBits, encoded.arena, encoded.relocations, encoded.outs);
      } catch (error) {
        fail(error);
      }
    };
    const fail = (error: unknown) => {
      const status = statusOf(error);
      // A reply winrpc refuses to send carries its status, and is the implementation's
      // mistake all the same: reported.
      if (status === undefined || error instanceof ReplyRefused) this.report(error, call);
      answer(status ?? DEFAULT_FAILURE_STATUS);
    };
    let result: unknown;
    try {
      result = (method as (...a: unknown[]) => unknown).apply(this.impl, [...args, call]);
    } catch (error) {
      return fail(error);
    }
    if (isThenable(result)) result.then(reply, fail);
    else reply(result);
  }

  /** Asks securityCallback about a caller; the runtime thread waits for the answer. */
  private checkCaller(native: NativeHandle, id: number, attributes: NativeServerCallAttributes): void {
    const { procedure: _, ...call } = callInfo(SECURITY_PROCEDURE, attributes);
    const answer = (admit: boolean) => {
      try {
        this.addon.answerServerCall(
          native,
          id,
          admit ? 0 : RPC_S_ACCESS_DENIED,
          0n,
          EMPTY_BYTES,
          EMPTY_U32,
          EMPTY_U32,
        );
      } catch {
        // The question went away meanwhile (the environment is closing): nobody waits.
      }
    };
    // Answered first: an 'error' listener that throws must not leave the runtime thread
    // waiting, nor (from a rejection handler) end the process as an unhandled rejection.
    const refuse = (error: unknown) => {
      answer(false);
      try {
        this.report(error, { procedure: SECURITY_PROCEDURE.name, ...call });
      } catch (listenerError) {
        process.emitWarning(
          `winrpc: ${this.compiled.name}: an 'error' listener threw: ${listenerError instanceof Error ? listenerError.message : String(listenerError)}`,
          'WinrpcServerWarning',
        );
      }
    };
    let verdict: unknown;
    try {
      verdict = (this.options.securityCallback as (c: SecurityCallInfo) => unknown).call(this.options, call);
    } catch (error) {
      refuse(error);
      return;
    }
    if (isThenable(verdict)) verdict.then((v) => answer(Boolean(v)), refuse);
    else answer(Boolean(verdict));
  }

  /** 'error' to its listeners; without one, a process warning (an 'error' event would throw). */
  private report(error: unknown, call: ServerCallInfo): void {
    if (this.listenerCount('error') > 0) this.emit('error', error, call);
    else
      process.emitWarning(
        `winrpc: ${this.compiled.name}.${call.procedure} failed: ${error instanceof Error ? error.message : String(error)}`,
        'WinrpcServerWarning',
      );
  }

  private runDown(typeName: string, state: unknown): void {
    try {
      this.options.rundown?.(typeName, state);
    } catch (error) {
      this.report(error, {
        procedure: `rundown(${typeName})`,
        protseq: undefined,
        authLevel: 0,
        authService: 0,
        clientPrincipal: undefined,
        clientPid: 0,
      });
    }
  }
}

const EMPTY_BYTES: Uint8Array = new Uint8Array(0);
/** The name a security callback's failure is reported under (its 'error' event's call.procedure). */
const SECURITY_PROCEDURE = { name: 'securityCallback' } as CompiledProcedure;
const EMPTY_U32: Uint32Array = new Uint32Array(0);

function callInfo(proc: CompiledProcedure, a: NativeServerCallAttributes): ServerCallInfo {
  const known = a.status === 0;
  return {
    procedure: proc.name,
    protseq: known ? PROTSEQ_NAMES[a.protseq] : undefined,
    authLevel: known ? a.authLevel : 0,
    authService: known ? a.authService : 0,
    clientPrincipal: known && a.clientPrincipal !== '' ? a.clientPrincipal : undefined,
    clientPid: known ? a.clientPid : 0,
  };
}

/** A thrown value's numeric `status` (an RpcError's, or any error that carries one). */
function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null | undefined)?.status;
  if (typeof status !== 'number' || !Number.isInteger(status) || status === 0) return undefined;
  return normalizeStatus(status);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
