// The JS twins of the C test servers (test/servers/*.c): the same manager routines,
// implemented in JS and served by RpcInterface.createServer, so the end-to-end suites
// can run against either (WINRPC_TEST_SERVERS=js, see test/support/js-server.ts).
import type { CreateServerOptions, ListenOptions, ServerImplementation } from '../../../lib/index.js';

export interface JsTwin {
  impl: ServerImplementation;
  options?: CreateServerOptions;
  /** How its C twin registers authentication (default: none, as the suites' clients bind). */
  listen?: Pick<ListenOptions, 'auth' | 'allowInsecure'>;
}

/** What a twin can ask of the server running it (calc's Shutdown). */
export interface TwinControl {
  /** Stops the server once the current call has been answered. */
  shutdown(): void;
}

export type JsTwinFactory = (control: TwinControl) => JsTwin;

/** An error whose status the client receives, as RpcRaiseException(status) raises it. */
export function raise(status: number): never {
  throw Object.assign(new Error(`raised ${status}`), { status });
}
