// Runs the test RPC servers (build/servers/<name>.exe, from test/servers/) for the
// end-to-end tests: a fresh endpoint per server, wait for its LISTENING line, and no
// server outlives the test file or the process.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { hasJsTwin, startJsServer, useJsTwins } from './js-server.js';
import { freshEndpoint, type Protseq, type ServerEndpoint } from './server-endpoints.js';

export { PROTSEQS, type Protseq } from './server-endpoints.js';

/**
 * Options for bindings to the test servers: they accept unauthenticated calls, and a
 * Wine server cannot complete authenticated ones (WINDOWS-LANE.md), so the tests opt
 * out of winrpc's default of Negotiate at packet privacy on remote protocol sequences.
 */
export const TEST_BINDING_OPTIONS = { auth: 'none' } as const;

export interface RunningServer {
  /** String binding for the client, e.g. `ncacn_np:[\\pipe\\wr_calc_…]`. */
  binding: string;
  /** The endpoint as the server was given it (`\pipe\…`, a port, a local name). */
  endpoint: string;
  protseq: Protseq;
  pid: number;
  /** Settles with the exit code (null when killed) whenever the server exits. */
  exited: Promise<number | null>;
  /** Kills the server unless it has exited, and waits until it has. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /**
   * Let the runtime pick the endpoint and register it with the endpoint mapper; the
   * binding is then partial (`ncalrpc:`), resolved by the client's runtime.
   */
  dynamic?: boolean;
  /** How long to wait for the LISTENING line; Wine's first start in a prefix is slow. */
  timeoutMs?: number;
}

// Exit codes of test/servers/server-main.h.
const EXIT_ENDPOINT_IN_USE = 3;
const START_ATTEMPTS = 3;
const STOP_TIMEOUT_MS = 10_000;

const running = new Set<ChildProcess>();

export function serverExecutable(name: string): string {
  return fileURLToPath(new URL(`../../build/servers/${name}.exe`, import.meta.url));
}

/** Starts build/servers/<name>.exe listening on a fresh endpoint of protseq. */
export async function startServer(
  name: string,
  protseq: Protseq,
  options: StartOptions = {},
): Promise<RunningServer> {
  if (useJsTwins && hasJsTwin(name)) return startJsServer(name, protseq, options);
  const exe = serverExecutable(name);
  if (!existsSync(exe)) {
    throw new Error(`${exe} is missing: run node scripts/build-test-servers.mjs`);
  }
  // Only a TCP port can be taken between choosing it and binding it; names are unique.
  for (let attempt = 1; ; attempt++) {
    const address = options.dynamic ? dynamicEndpoint(protseq) : await freshEndpoint(protseq, name);
    try {
      return await launch(exe, name, address, options.timeoutMs ?? 30_000);
    } catch (error) {
      const inUse = error instanceof ServerStartError && error.exitCode === EXIT_ENDPOINT_IN_USE;
      if (!inUse || attempt >= START_ATTEMPTS) throw error;
    }
  }
}

function dynamicEndpoint(protseq: Protseq): ServerEndpoint {
  const host = protseq === 'ncacn_ip_tcp' ? '127.0.0.1' : '';
  return { protseq, endpoint: 'dynamic', binding: `${protseq}:${host}` };
}

/** Kills every server still running; registered as an afterAll hook of each test file. */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...running].map((child) => killAndWait(child)));
}

class ServerStartError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
  ) {
    super(message);
    this.name = 'ServerStartError';
  }
}

function launch(
  exe: string,
  name: string,
  address: ServerEndpoint,
  timeoutMs: number,
): Promise<RunningServer> {
  const child = spawn(exe, [address.protseq, address.endpoint], {
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  running.add(child);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    });
    // A spawn failure emits 'error' and may never emit 'exit'.
    child.once('error', () => {
      running.delete(child);
      resolve(null);
    });
  });

  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const expected = `LISTENING ${address.protseq} ${address.endpoint}`;
  const what = `${name} (${address.protseq} ${address.endpoint})`;
  const outputSoFar = () =>
    [stderr.trim() && `stderr: ${stderr.trim()}`, stdout.trim() && `stdout: ${stdout.trim()}`]
      .filter(Boolean)
      .join('\n') || '(no output)';

  return new Promise<RunningServer>((resolve, reject) => {
    let settled = false;
    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        // A server that failed to start must not linger either.
        killAndWait(child).finally(() => reject(error));
        return;
      }
      resolve({
        binding: address.binding,
        endpoint: address.endpoint,
        protseq: address.protseq,
        pid: child.pid ?? -1,
        exited,
        stop: () => killAndWait(child),
      });
    };
    const timer = setTimeout(() => {
      settle(
        new ServerStartError(
          `${what} did not print "${expected}" within ${timeoutMs} ms\n${outputSoFar()}`,
          null,
        ),
      );
    }, timeoutMs);
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.split('\n').some((line) => line.trimEnd() === expected)) settle(null);
    });
    child.once('error', (error) => {
      settle(new ServerStartError(`${what} could not be started: ${error.message}`, null));
    });
    // 'close' rather than 'exit': by then all of its output has been read.
    child.once('close', (code: number | null) => {
      settle(
        new ServerStartError(`${what} exited with code ${code} before listening\n${outputSoFar()}`, code),
      );
    });
  });
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill();
  }
  if (!running.has(child)) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`test server pid ${child.pid} did not exit within ${STOP_TIMEOUT_MS} ms`));
    }, STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('error', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

// Last resort for an aborted run: 'exit' handlers run synchronously, and kill() is.
process.once('exit', () => {
  for (const child of running) child.kill();
});

// Each test file that uses servers gets its own module instance and so its own hook.
// Outside a vitest run (a plain script) there is nothing to register with.
try {
  afterAll(stopAllServers);
} catch {
  // not collecting tests
}
