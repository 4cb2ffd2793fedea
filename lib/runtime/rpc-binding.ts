// A binding handle: which server a client talks to, and how (authentication, call
// ordering, a default timeout). The native handle is made on first use (so a binding
// can be described on any OS), or at once when explicit credentials must reach the
// runtime without staying in JS; it is freed by free() or, failing that, when the
// object is garbage-collected (the addon's finalizer).
import {
  type BindingOptions,
  checkBindingOptions,
  describeAuth,
  type NativeAuth,
  nativeAuth,
  protseqOf,
  RPC_C_OPT_BINDING_NONCAUSAL,
} from './binding-options.js';
import { loadAddon } from './load-addon.js';
import type { NativeHandle } from './native-addon.js';
import { RpcError } from './rpc-error.js';
import type { RpcInterface } from './rpc-interface.js';

const RPC_S_INVALID_BINDING = 1702;

/** The parts of a string binding, as RpcStringBindingCompose takes them. */
export interface BindingParts {
  protseq: string;
  /** Host name or address (`ncacn_ip_tcp`), server name (`ncacn_np`); empty for local. */
  networkAddress?: string;
  /** Port, pipe name (`\\pipe\\name` in JS source, i.e. `\pipe\name`) or local endpoint. */
  endpoint?: string;
  /** An object UUID. */
  objectUuid?: string;
  /** Network options, `name=value` pairs. */
  options?: Record<string, string>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class RpcBinding {
  /** The native handles, made on first use: one, or `pool` used in turn. */
  private natives: NativeHandle[] = [];
  private next = 0;
  private freed = false;
  /** Auth settings not yet given to the runtime; dropped (with any credentials) once given. */
  private pendingAuth: NativeAuth | null;
  private readonly poolSize: number;
  private authSummary: string;
  private readonly nonCausal: boolean;
  /** The timeout of calls on this binding that name none themselves. */
  readonly callTimeout: number | undefined;

  private constructor(
    private readonly stringBinding: string,
    options: BindingOptions,
  ) {
    const auth = nativeAuth(protseqOf(stringBinding), options.auth);
    this.authSummary = describeAuth(auth);
    this.nonCausal = options.nonCausal ?? true;
    this.callTimeout = options.timeout;
    this.poolSize = options.pool ?? 1;
    this.pendingAuth = auth;
    // Credentials go to the runtime now, so JS holds them no longer than this call.
    if (auth?.password !== undefined) this.handle();
  }

  /**
   * From a string binding: `ncalrpc:[endpoint]`, `ncacn_ip_tcp:host[port]`,
   * `ncacn_np:server[\\pipe\\name]` (backslashes escaped, as RpcStringBindingCompose
   * writes them).
   */
  static fromString(stringBinding: string, options?: BindingOptions): RpcBinding {
    if (typeof stringBinding !== 'string' || !/^([0-9a-f-]{36}@)?[a-z_]+:/i.test(stringBinding)) {
      throw new TypeError(
        'RpcBinding.fromString(stringBinding): expected a string binding such as ncalrpc:[endpoint]',
      );
    }
    return new RpcBinding(stringBinding, checkBindingOptions(options, 'RpcBinding.fromString'));
  }

  /** From its parts; backslashes are escaped as RpcStringBindingCompose escapes them. */
  static fromParts(parts: BindingParts, options?: BindingOptions): RpcBinding {
    if (typeof parts !== 'object' || parts === null)
      throw new TypeError('RpcBinding.fromParts(parts): expected an object');
    const field = (name: keyof BindingParts, value: unknown, forbidden: RegExp): string => {
      if (value === undefined) return '';
      if (typeof value !== 'string')
        throw new TypeError(`RpcBinding.fromParts(parts.${name}): expected a string`);
      if (forbidden.test(value))
        throw new TypeError(
          `RpcBinding.fromParts(parts.${name}): ${JSON.stringify(value)} has a reserved character`,
        );
      return value.replaceAll('\\', '\\\\');
    };
    if (typeof parts.protseq !== 'string' || !/^[a-z_]+$/.test(parts.protseq)) {
      throw new TypeError(
        'RpcBinding.fromParts(parts.protseq): expected a protocol sequence such as ncalrpc',
      );
    }
    if (parts.objectUuid !== undefined && !UUID.test(String(parts.objectUuid))) {
      throw new TypeError('RpcBinding.fromParts(parts.objectUuid): expected a UUID string');
    }
    const address = field('networkAddress', parts.networkAddress, /[[\]@,=]/);
    const endpoint = field('endpoint', parts.endpoint, /[[\]@,=]/);
    const networkOptions = Object.entries(parts.options ?? {}).map(([key, value]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) || typeof value !== 'string' || /[[\],=]/.test(value)) {
        throw new TypeError(`RpcBinding.fromParts(parts.options.${key}): expected a plain name=value option`);
      }
      return `${key}=${value}`;
    });
    const inside = [endpoint, ...networkOptions]
      .filter((item, index) => index === 0 || item !== '')
      .join(',');
    const uuid = parts.objectUuid ? `${parts.objectUuid}@` : '';
    const text = `${uuid}${parts.protseq}:${address}${inside ? `[${inside}]` : ''}`;
    return new RpcBinding(text, checkBindingOptions(options, 'RpcBinding.fromParts'));
  }

  /** The string binding; after resolve(), the runtime's, with the endpoint it found. */
  toString(): string {
    const first = this.natives[0];
    if (!first || this.freed) return this.stringBinding;
    try {
      return loadAddon().bindingToString(first);
    } catch {
      return this.stringBinding;
    }
  }

  /** For error messages: the binding and how it authenticates, never credentials. */
  describe(): string {
    return `binding ${this.toString()}, ${this.authSummary}`;
  }

  /** A native binding handle for the next call: made and configured on first use. */
  handle(): NativeHandle {
    if (this.freed) throw new RpcError(RPC_S_INVALID_BINDING, { detail: 'the binding was freed' });
    if (this.natives.length === 0) this.natives = this.createHandles();
    const handle = this.natives[this.next]!;
    this.next = (this.next + 1) % this.natives.length;
    return handle;
  }

  private createHandles(): NativeHandle[] {
    const addon = loadAddon();
    const made: NativeHandle[] = [];
    try {
      for (let i = 0; i < this.poolSize; i++) made.push(this.createHandle());
    } catch (error) {
      for (const handle of made) addon.freeBinding(handle);
      throw error;
    }
    this.pendingAuth = null;
    return made;
  }

  private createHandle(): NativeHandle {
    const addon = loadAddon();
    let native: NativeHandle;
    try {
      native = addon.createBinding(this.stringBinding);
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (typeof status !== 'number') throw error;
      throw new RpcError(status, { detail: this.describe() });
    }
    const auth = this.pendingAuth;
    const authStatus = auth ? addon.setBindingAuth(native, auth) : 0;
    if (authStatus !== 0) {
      // The settings stay pending: every call fails alike until the cause is fixed.
      addon.freeBinding(native);
      throw new RpcError(authStatus, { detail: `setting authentication on ${this.describe()}` });
    }
    // Best effort: a runtime without the option still calls correctly, only causally.
    if (this.nonCausal) addon.setBindingOption(native, RPC_C_OPT_BINDING_NONCAUSAL, 1);
    return native;
  }

  /** Resolves a partial binding's endpoint through the endpoint mapper for `iface`. */
  async resolve(iface: RpcInterface): Promise<void> {
    this.handle();
    const addon = loadAddon();
    const statuses = await Promise.all(
      this.natives.map((h) => addon.resolveBinding(h, iface.nativeHandle())),
    );
    const failed = statuses.find((status) => status !== 0);
    if (failed !== undefined) throw new RpcError(failed, { interface: iface.name, detail: this.describe() });
  }

  /** Handles of its own to the same server with the same settings (RpcBindingCopy). */
  copy(): RpcBinding {
    this.handle();
    const addon = loadAddon();
    const copy = new RpcBinding(this.stringBinding, {
      auth: 'none', // replaced below: RpcBindingCopy carries the original's authentication
      nonCausal: this.nonCausal,
      pool: this.poolSize,
      ...(this.callTimeout === undefined ? {} : { timeout: this.callTimeout }),
    });
    copy.pendingAuth = null;
    copy.authSummary = this.authSummary;
    copy.natives = this.natives.map((h) => addon.copyBinding(h));
    return copy;
  }

  /** What the runtime holds for this binding's authentication (RpcBindingInqAuthInfo). */
  authInfo(): { service: number; level: number; principal: string } {
    this.handle();
    return loadAddon().inquireBindingAuth(this.natives[0]!);
  }

  /** Frees the handles now (calls in flight keep theirs until they complete). */
  free(): void {
    if (this.freed) return;
    this.freed = true;
    for (const handle of this.natives) loadAddon().freeBinding(handle);
    this.natives = [];
  }

  [Symbol.dispose](): void {
    this.free();
  }
}
