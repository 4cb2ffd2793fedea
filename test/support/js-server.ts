// Runs the JS twin of a test server (test/servers/js/<name>.ts) in a Worker of its own,
// shaped as a RunningServer, so every end-to-end suite can run against the JS server
// path too: WINRPC_TEST_SERVERS=js makes startServer pick the twin where there is one.
// Not in the test's own thread: a client there can block its JS thread inside a call
// (Wine's client writes the request synchronously; cli.test.ts waits for a child with
// execFileSync) while the server's runtime thread waits for a JS thread to answer an
// earlier call; with both in one thread, neither ever moves (the twin pass hung so once).

import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RunningServer, StartOptions } from './rpc-server.js';
import { freshEndpoint, type Protseq } from './server-endpoints.js';

/** Whether the suites run against the JS twins (set in the environment). */
export const useJsTwins = process.env.WINRPC_TEST_SERVERS === 'js';

const twinFile = (name: string) => fileURLToPath(new URL(`../servers/js/${name}.ts`, import.meta.url));
const workerFile = fileURLToPath(new URL('./js-twin-worker.mjs', import.meta.url));
// What Workers load (the bundle `npm test` builds first), as the other Worker tests do.
const winrpcUrl = pathToFileURL(fileURLToPath(new URL('../../dist/esm/index.js', import.meta.url))).href;

export function hasJsTwin(name: string): boolean {
  return existsSync(twinFile(name));
}

const bundles = new Map<string, Promise<string>>();
const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The twin as one ES module (twin-bundle.mjs, shared with the successive-Worker fixture). */
function twinModule(name: string): Promise<string> {
  let bundle = bundles.get(name);
  if (!bundle) {
    bundle = import(new URL('./twin-bundle.mjs', import.meta.url).href).then(
      ({ bundleTwin }: { bundleTwin: (root: string, name: string) => Promise<string> }) =>
        bundleTwin(projectRoot, name),
    );
    bundles.set(name, bundle);
  }
  return bundle;
}

export async function startJsServer(
  name: string,
  protseq: Protseq,
  options: StartOptions = {},
): Promise<RunningServer> {
  const address = options.dynamic ? undefined : await freshEndpoint(protseq, name);
  const worker = new Worker(workerFile, {
    workerData: {
      winrpc: winrpcUrl,
      twin: await twinModule(name),
      idl: new URL(`../servers/${name}.idl`, import.meta.url).href,
      protseq,
      endpoint: address?.endpoint,
    },
  });
  let stopped = false;
  // As a C server's: the exit code, or null when the test stopped it.
  const exited = new Promise<number | null>((resolve) => {
    worker.once('exit', (code) => resolve(stopped ? null : code));
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the ${name} twin exited (${code}) before listening`)));
    worker.on('message', (message: { endpoint?: string; error?: string }) => {
      if (message.error !== undefined) reject(new Error(`the ${name} twin cannot listen: ${message.error}`));
      else if (message.endpoint !== undefined) resolve(message.endpoint);
    });
  });
  return runningTwin(protseq, address, endpoint, exited, async () => {
    stopped = true;
    worker.postMessage('stop');
    await exited;
  });
}

/** A listening twin as a RunningServer: its binding is the fixed or the dynamic endpoint's. */
function runningTwin(
  protseq: Protseq,
  address: { binding: string } | undefined,
  endpoint: string,
  exited: Promise<number | null>,
  stop: () => Promise<void>,
): RunningServer {
  const host = protseq === 'ncacn_ip_tcp' ? '127.0.0.1' : '';
  return {
    binding: address ? address.binding : `${protseq}:${host}`,
    endpoint,
    protseq,
    pid: process.pid,
    exited,
    stop,
  };
}

/**
 * The twin in the test's own thread, for suites whose clients are child processes the
 * test waits for asynchronously (c-clients.test.ts runs them against both kinds).
 */
export async function startJsServerInProcess(
  name: string,
  protseq: Protseq,
  options: StartOptions = {},
): Promise<RunningServer> {
  const { loadInterface } = await import('../../lib/index.js');
  const { default: factory } = (await import(`../servers/js/${name}.ts`)) as {
    default: import('../servers/js/twin.js').JsTwinFactory;
  };
  const iface = await loadInterface(new URL(`../servers/${name}.idl`, import.meta.url));
  let exit: (code: number | null) => void = () => {};
  const exited = new Promise<number | null>((resolve) => {
    exit = resolve;
  });
  let closing: Promise<void> | undefined;
  const close = (code: number | null) => {
    closing ??= server.close({ timeout: 10_000 }).then(() => exit(code));
    return closing;
  };
  const twin = factory({ shutdown: () => setImmediate(() => void close(0)) });
  const server = iface.createServer(twin.impl, twin.options);
  const address = options.dynamic ? undefined : await freshEndpoint(protseq, name);
  const { endpoint } = await server.listen({
    protseq,
    auth: 'none',
    ...twin.listen,
    ...(address ? { endpoint: address.endpoint } : {}),
  });
  return runningTwin(protseq, address, endpoint, exited, async () => {
    await close(null);
  });
}
