// Runs the MIDL-style C test clients (build/clients/<name>_client.exe, built from
// test/clients/ by scripts/build-test-clients.mjs) against a server, for the tests that
// check winrpc's servers with a client winrpc had no hand in.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function clientExecutable(name: string): string {
  return fileURLToPath(new URL(`../../build/clients/${name}_client.exe`, import.meta.url));
}

export interface ClientRun {
  child: ChildProcess;
  /** Its stdout so far (LF line ends). */
  output(): string;
  /** Settles with the exit code (null when killed) and everything it printed. */
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts `<name>_client.exe <binding> <mode> [args]`; the caller waits or kills. */
export function startClient(name: string, binding: string, mode: string, ...args: string[]): ClientRun {
  const exe = clientExecutable(name);
  if (!existsSync(exe)) throw new Error(`${exe} is missing: run node scripts/build-test-clients.mjs`);
  const child = spawn(exe, [binding, mode, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, stdout, stderr: `${stderr}${error.message}` }));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, output: () => stdout, exited };
}

/** Runs a client to its end and returns its stdout's lines; fails on a non-zero exit. */
export async function runClient(name: string, binding: string, mode: string, ...args: string[]) {
  const { code, stdout, stderr } = await startClient(name, binding, mode, ...args).exited;
  if (code !== 0) throw new Error(`${name}_client ${mode} exited with ${code}\n${stdout}${stderr}`);
  return stdout.split('\n').filter((line) => line !== '');
}
