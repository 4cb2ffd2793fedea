// A binding handle: which server a client talks to. The native handle is made on
// first use (so a binding can be described on any OS) and freed by free() or, failing
// that, when the object is garbage-collected (the addon's finalizer).
import { loadAddon } from './load-addon.js';
import type { NativeHandle } from './native-addon.js';
import { RpcError } from './rpc-error.js';

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
  private native: NativeHandle | undefined;
  private freed = false;

  private constructor(private readonly stringBinding: string) {}

  /**
   * From a string binding: `ncalrpc:[endpoint]`, `ncacn_ip_tcp:host[port]`,
   * `ncacn_np:server[\\pipe\\name]` (backslashes escaped, as RpcStringBindingCompose
   * writes them).
   */
  static fromString(stringBinding: string): RpcBinding {
    if (typeof stringBinding !== 'string' || stringBinding.length === 0) {
      throw new TypeError('RpcBinding.fromString(stringBinding): expected a non-empty string');
    }
    return new RpcBinding(stringBinding);
  }

  /** From its parts; backslashes are escaped as RpcStringBindingCompose escapes them. */
  static fromParts(parts: BindingParts): RpcBinding {
    if (typeof parts !== 'object' || parts === null) throw new TypeError('RpcBinding.fromParts(parts): expected an object');
    const field = (name: keyof BindingParts, value: unknown, forbidden: RegExp): string => {
      if (value === undefined) return '';
      if (typeof value !== 'string') throw new TypeError(`RpcBinding.fromParts(parts.${name}): expected a string`);
      if (forbidden.test(value)) throw new TypeError(`RpcBinding.fromParts(parts.${name}): ${JSON.stringify(value)} has a reserved character`);
      return value.replaceAll('\\', '\\\\');
    };
    if (typeof parts.protseq !== 'string' || !/^[a-z_]+$/.test(parts.protseq)) {
      throw new TypeError('RpcBinding.fromParts(parts.protseq): expected a protocol sequence such as ncalrpc');
    }
    if (parts.objectUuid !== undefined && !UUID.test(String(parts.objectUuid))) {
      throw new TypeError('RpcBinding.fromParts(parts.objectUuid): expected a UUID string');
    }
    const address = field('networkAddress', parts.networkAddress, /[[\]@,=]/);
    const endpoint = field('endpoint', parts.endpoint, /[[\]@,=]/);
    const options = Object.entries(parts.options ?? {}).map(([key, value]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) || typeof value !== 'string' || /[[\],=]/.test(value)) {
        throw new TypeError(`RpcBinding.fromParts(parts.options.${key}): expected a plain name=value option`);
      }
      return `${key}=${value}`;
    });
    const inside = [endpoint, ...options].filter((item, index) => index === 0 || item !== '').join(',');
    const uuid = parts.objectUuid ? `${parts.objectUuid}@` : '';
    return new RpcBinding(`${uuid}${parts.protseq}:${address}${inside ? `[${inside}]` : ''}`);
  }

  toString(): string {
    return this.stringBinding;
  }

  /** The native binding handle, made on first use. */
  handle(): NativeHandle {
    if (this.freed) throw new RpcError(RPC_S_INVALID_BINDING, { detail: 'the binding was freed' });
    if (!this.native) {
      try {
        this.native = loadAddon().createBinding(this.stringBinding);
      } catch (error) {
        const status = (error as { status?: unknown }).status;
        if (typeof status !== 'number') throw error;
        throw new RpcError(status, { detail: `binding ${this.stringBinding}` });
      }
    }
    return this.native;
  }

  /** Frees the handle now (calls in flight keep it until they complete). */
  free(): void {
    if (this.freed) return;
    this.freed = true;
    if (this.native) loadAddon().freeBinding(this.native);
    this.native = undefined;
  }

  [Symbol.dispose](): void {
    this.free();
  }
}
