// Runs the JS twin of a test server (test/servers/js/<name>.ts) in this process,
// shaped as a RunningServer, so every end-to-end suite can run against the JS server
// path too: WINRPC_TEST_SERVERS=js makes startServer pick the twin where there is one.
// A suite whose client runs in a child process the test waits for synchronously
// (cli.test.ts's execFileSync) cannot use an in-process twin: the JS thread that would
// answer is blocked waiting for the child.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadInterface } from '../../lib/index.js';
import type { JsTwinFactory } from '../servers/js/twin.js';
import type { RunningServer, StartOptions } from './rpc-server.js';
import { freshEndpoint, type Protseq } from './server-endpoints.js';

/** Whether the suites run against the JS twins (set in the environment). */
export const useJsTwins = process.env.WINRPC_TEST_SERVERS === 'js';

export function hasJsTwin(name: string): boolean {
  return existsSync(fileURLToPath(new URL(`../servers/js/${name}.ts`, import.meta.url)));
}

export async function startJsServer(
  name: string,
  protseq: Protseq,
  options: StartOptions = {},
): Promise<RunningServer> {
  const { default: factory } = (await import(`../servers/js/${name}.ts`)) as { default: JsTwinFactory };
  const iface = await loadInterface(new URL(`../servers/${name}.idl`, import.meta.url));
  let exit: (code: number | null) => void = () => {};
  const exited = new Promise<number | null>((resolve) => {
    exit = resolve;
  });
  let closing: Promise<void> | undefined;
  const close = (code: number | null) => {
    closing ??= server.close().then(() => exit(code));
    return closing;
  };
  const twin = factory({ shutdown: () => setImmediate(() => void close(0)) });
  const server = iface.createServer(twin.impl, twin.options);
  const address = options.dynamic ? undefined : await freshEndpoint(protseq, name);
  const { endpoint } = await server.listen({
    protseq,
    // As TEST_BINDING_OPTIONS: the suites' clients do not authenticate.
    auth: 'none',
    ...twin.listen,
    ...(address ? { endpoint: address.endpoint } : {}),
  });
  const host = protseq === 'ncacn_ip_tcp' ? '127.0.0.1' : '';
  return {
    binding: address ? address.binding : `${protseq}:${host}`,
    endpoint,
    protseq,
    pid: process.pid,
    exited,
    stop: () => close(null),
  };
}
