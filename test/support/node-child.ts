// Runs a script in a child node process (the same node.exe), for tests of process
// lifetime: its exit code and everything it printed; killed if it outlives the limit.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export async function runNodeChild(
  args: readonly string[],
  limitMs = 30_000,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const killer = setTimeout(() => child.kill(), limitMs);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(killer);
  return { code, output };
}
