// A binding handle: which server a client talks to. The native handle is made on
// first use (so a binding can be described on any OS) and freed by free() or, failing
// that, when the object is garbage-collected (the addon's finalizer).
import { loadAddon } from './load-addon.js';
import type { NativeHandle } from './native-addon.js';
import { RpcError } from './rpc-error.js';

const RPC_S_INVALID_BINDING = 1702;

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
