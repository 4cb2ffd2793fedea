// A compiled RPC interface, registered with the runtime on first use, and the clients
// made from it: one async method per procedure.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ParseIdlOptions } from '../idl/parse-idl.js';
import { compileIdl } from '../ndr/compile.js';
import type { CompiledInterface, CompiledProcedure } from '../ndr/compiled.js';
import { type CreateServerOptions, RpcServer, type ServerImplementation } from '../server/rpc-server.js';
import { AsyncCall } from './async-call.js';
import { type CallEngine, callEngine } from './call-engine.js';
import { applyCallOptions, type CallOptions, checkCallOptions, isCallOptions } from './call-options.js';
import { traceCall, tracing } from './debug-trace.js';
import { encodeCall } from './encode-call.js';
import { guidBytes, packPrograms } from './interface-bytes.js';
import { linkRecursion } from './link-recursion.js';
import { requireWindows } from './load-addon.js';
import type { NativeHandle } from './native-addon.js';
import type { RpcBinding } from './rpc-binding.js';
import { RpcError } from './rpc-error.js';

/** What a call needs of its procedure, worked out once rather than on every call. */
interface ProcedureEntry {
  proc: CompiledProcedure;
  /** How many positional arguments it takes ([in] and [in, out]). */
  inCount: number;
  /** Whether its reply can hold context handles (then each needs tracking and a closer). */
  opensHandles: boolean;
}

/** No call options: shared, never written to. */
const NO_OPTIONS: CallOptions = Object.freeze({});

/** A procedure of the IDL that winrpc cannot marshal yet (CompiledInterface.unavailable). */
const RPC_S_CANNOT_SUPPORT = 1764;

/** A client: one method per procedure, each returning a promise. */
export type RpcClient = Record<string, (...args: unknown[]) => Promise<unknown>>;

/**
 * Internal: the engine an interface calls through. By default this environment's own
 * (over the real addon, made on first call); unit tests pass one over a FakeAddon
 * (test/support/fake-addon.ts), which also lets them run off Windows.
 * @internal
 */
export interface RpcInterfaceInternals {
  engine?: CallEngine;
}

export class RpcInterface {
  private native: NativeHandle | undefined;
  /** The call engine, looked up once (it is per environment, as this object is). */
  private engineOf: CallEngine | undefined;
  /** Given by a test: then no "needs Windows" check, and no real addon is loaded. */
  private readonly injected: boolean;
  private readonly byName = new Map<string, ProcedureEntry>();
  /** Each binding's describe(), for error messages: one function per binding, not per call. */
  private readonly describers = new WeakMap<RpcBinding, () => string>();
  /** Per context handle type, the procedure that closes it (for Symbol.asyncDispose). */
  private readonly closers = new Map<string, string>();

  readonly compiled: CompiledInterface;

  /** `internals` is not part of the public API (tests inject a fake engine through it). */
  constructor(compiled: CompiledInterface, /** @internal */ internals?: RpcInterfaceInternals) {
    this.engineOf = internals?.engine;
    this.injected = this.engineOf !== undefined;
    // A recursive struct's layout links back to itself for the converters.
    this.compiled = linkRecursion(compiled);
    for (const proc of this.compiled.procedures) {
      if (proc.asyncStackOffset !== 0 || proc.bindingStackOffset !== 8) {
        throw new Error(`winrpc: ${compiled.name}.${proc.name} was not compiled for asynchronous calls`);
      }
      this.byName.set(proc.name, {
        proc,
        inCount: proc.params.filter((p) => p.direction !== 'out').length,
        opensHandles:
          proc.returnType?.kind === 'context_handle' || proc.params.some((p) => p.direction !== 'in'),
      });
    }
    for (const proc of this.compiled.procedures) {
      const closes = closedHandleType(proc);
      if (closes !== undefined && !this.closers.has(closes)) this.closers.set(closes, proc.name);
    }
  }

  get name(): string {
    return this.compiled.name;
  }

  get procedures(): readonly CompiledProcedure[] {
    return this.compiled.procedures;
  }

  /** A client whose methods call over `binding`. Off Windows: the "needs Windows" RpcError. */
  createClient(binding: RpcBinding): RpcClient {
    if (!this.injected) requireWindows();
    const client: RpcClient = {};
    for (const { name } of [...this.compiled.procedures, ...(this.compiled.unavailable ?? [])]) {
      const entry = this.byName.get(name);
      const method = (...args: unknown[]) => this.call(binding, name, entry, args);
      Object.defineProperty(method, 'name', { value: name });
      client[name] = method;
    }
    return Object.freeze(client);
  }

  /**
   * A server for this interface with `impl` as its manager routines: each method gets
   * the [in] and [in, out] arguments as a client passes them, then a ServerCallInfo, and
   * returns (or resolves to) what a client call resolves to. Call listen() to serve.
   */
  createServer(impl: ServerImplementation, options: CreateServerOptions = {}): RpcServer {
    return new RpcServer(this.compiled, impl, options);
  }

  /**
   * Starts a call and returns its AsyncCall (the low-level flow: complete(),
   * tryComplete(), cancel()). Arguments are checked before anything is sent.
   */
  begin(binding: RpcBinding, procedure: string, args: readonly unknown[]): AsyncCall {
    return this.start(binding, procedure, this.byName.get(procedure), args);
  }

  /**
   * Calls a procedure with its [in] / [in, out] arguments and explicit options: what
   * generated clients call. Same path as createClient's methods (one runtime, same
   * checks, same results), without guessing whether a trailing argument is options.
   */
  invoke(
    binding: RpcBinding,
    procedure: string,
    args: readonly unknown[],
    options: CallOptions = NO_OPTIONS,
  ): Promise<unknown> {
    try {
      if (options !== NO_OPTIONS) checkCallOptions(options, `${this.name}.${procedure}`);
      return applyCallOptions(
        this.start(binding, procedure, this.byName.get(procedure), args),
        withBindingDefaults(options, binding),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private start(
    binding: RpcBinding,
    procedure: string,
    entry: ProcedureEntry | undefined,
    args: readonly unknown[],
  ): AsyncCall {
    if (!entry) {
      const unavailable = this.compiled.unavailable?.find((u) => u.name === procedure);
      if (unavailable) {
        throw new RpcError(RPC_S_CANNOT_SUPPORT, {
          interface: this.name,
          procedure,
          detail: `winrpc cannot call it yet: ${unavailable.reason}`,
        });
      }
      throw new TypeError(`${this.name} has no procedure ${procedure}`);
    }
    const proc = entry.proc;
    const plan = encodeCall(proc, args, this.compiled.uuid);
    const engine = this.engine();
    if (entry.opensHandles) {
      plan.adoptHandle = (handle) => {
        handle.track(engine.contextHandles);
        const closer = this.closers.get(handle.typeName ?? '');
        if (closer) handle.setCloser((h) => this.invoke(binding, closer, [h]));
      };
    }
    let describeBinding = this.describers.get(binding);
    if (describeBinding === undefined) {
      describeBinding = () => binding.describe();
      this.describers.set(binding, describeBinding);
    }
    const call = new AsyncCall(
      {
        engine,
        iface: this.nativeHandle(),
        describeBinding,
        binding: binding.handle(),
        interfaceName: this.name,
        procedure: proc,
      },
      plan,
    );
    if (tracing) traceCall(call, describeBinding); // NODE_DEBUG=winrpc (debug-trace.ts)
    return call;
  }

  // Not async: an async function adds promise hops to every call. A throw (bad
  // arguments) still becomes the returned promise's rejection. Options are looked for
  // only in an argument beyond the procedure's own.
  private call(
    binding: RpcBinding,
    procedure: string,
    entry: ProcedureEntry | undefined,
    args: unknown[],
  ): Promise<unknown> {
    try {
      let options = NO_OPTIONS;
      if (args.length > (entry?.inCount ?? 0)) {
        const last = args[args.length - 1];
        if (last === undefined || isCallOptions(last)) {
          options = last ?? NO_OPTIONS;
          args = args.slice(0, -1);
          checkCallOptions(options, `${this.name}.${procedure}`);
        }
      }
      return applyCallOptions(
        this.start(binding, procedure, entry, args),
        withBindingDefaults(options, binding),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** This environment's call engine, or the one a test gave. */
  private engine(): CallEngine {
    this.engineOf ??= callEngine();
    return this.engineOf;
  }

  /** The interface registered with the addon (made on first use). @internal */
  nativeHandle(): NativeHandle {
    if (!this.native) {
      const { uuid, version, procFormat, typeFormat, exprPrograms } = this.compiled;
      this.native = this.engine().addon.registerInterface(
        guidBytes(uuid),
        version.major,
        version.minor,
        procFormat,
        typeFormat,
        exprPrograms && packPrograms(exprPrograms),
      );
    }
    return this.native;
  }
}

/**
 * The context handle type a procedure closes: its one parameter is an [in, out]
 * pointer to that handle type (`void Close([in, out] CTX *c)`), as close procedures
 * are written.
 */
function closedHandleType(proc: CompiledProcedure): string | undefined {
  const [only, ...rest] = proc.params;
  if (!only || rest.length > 0 || only.direction !== 'inout' || only.type.kind !== 'pointer')
    return undefined;
  const target = only.type.target;
  return target.kind === 'context_handle' ? (target.typeName ?? '') : undefined;
}

/** A binding's default timeout applies to calls that name none. */
function withBindingDefaults(options: CallOptions, binding: RpcBinding): CallOptions {
  return options.timeout === undefined && binding.callTimeout !== undefined
    ? { ...options, timeout: binding.callTimeout }
    : options;
}

export interface LoadInterfaceOptions extends Omit<ParseIdlOptions, 'file'> {
  /** Which interface of the IDL (default: the only one, or the first). */
  name?: string;
  /**
   * MIDL's /target NT60 format strings, which carry every [range] on an element count or
   * string for the Windows engine to check as well (default false: the NT51 forms, which
   * every engine reads; Wine's cannot read the NT60 FC_SUPPLEMENT; winrpc checks those
   * bounds itself either way).
   */
  rangeOnConformance?: boolean;
}

/** Reads an IDL file (and its ACF, if given) and compiles it. */
export async function loadInterface(
  file: string | URL,
  options: LoadInterfaceOptions = {},
): Promise<RpcInterface> {
  const path = file instanceof URL ? fileURLToPath(file) : file;
  const text = await readFile(path, 'utf8');
  return interfaceFromSource(text, { ...options, file: path });
}

/** Compiles IDL source text; `file` names it in error messages. */
export function interfaceFromSource(
  source: string,
  options: LoadInterfaceOptions & { file?: string } = {},
): RpcInterface {
  const { name, ...parse } = options;
  const compiled = compileIdl(source, { ...parse, file: parse.file ?? 'input.idl' });
  const chosen = name === undefined ? compiled[0] : compiled.find((c) => c.name === name);
  if (!chosen) {
    const names = compiled.map((c) => c.name).join(', ') || 'none';
    throw new TypeError(`${parse.file ?? 'input.idl'}: no interface ${name ?? ''} (found: ${names})`);
  }
  return new RpcInterface(chosen);
}
