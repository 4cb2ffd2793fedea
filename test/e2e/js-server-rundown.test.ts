// Context handles a JS server hands out are run down when the client holding them goes
// away: a client process opens counters and is killed; rundown(typeName, state) runs
// for each, with the state the implementation returned.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { interfaceFromSource } from '../../lib/index.js';
import { freshEndpoint, PROTSEQS } from '../support/server-endpoints.js';

const sessionsIdl = readFileSync(new URL('../servers/sessions.idl', import.meta.url), 'utf8');
const bundledWinrpc = pathToFileURL(fileURLToPath(new URL('../../dist/esm/index.js', import.meta.url))).href;
const fixture = fileURLToPath(new URL('./fixtures/hold-handles.mjs', import.meta.url));

describe.each(PROTSEQS)('rundown over %s', (protseq) => {
  it('runs down every handle of a killed client, with its state', async () => {
    const sessions = interfaceFromSource(sessionsIdl, { file: 'sessions.idl' });
    const ranDown: { typeName: string; state: unknown }[] = [];
    let opened = 0;
    const server = sessions.createServer(
      {
        OpenCounter(start: number) {
          opened++;
          return { counter: { start } };
        },
      },
      { rundown: (typeName, state) => ranDown.push({ typeName, state }) },
    );
    const address = await freshEndpoint(protseq, 'jsrundown');
    await server.listen({ protseq, endpoint: address.endpoint, auth: 'none' });
    try {
      const child = spawn(process.execPath, [fixture, bundledWinrpc, address.binding, sessionsIdl, '3'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
      });
      child.stderr.on('data', (chunk) => {
        output += chunk;
      });
      const deadline = Date.now() + 30_000;
      while (!output.includes('open 3') && Date.now() < deadline && child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(output).toContain('open 3');
      expect(opened).toBe(3);
      expect(ranDown).toEqual([]);
      child.kill();
      while (ranDown.length < 3 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(ranDown).toHaveLength(3);
      expect(ranDown.map((r) => r.typeName)).toEqual(['COUNTER', 'COUNTER', 'COUNTER']);
      expect(ranDown.map((r) => (r.state as { start: number }).start).sort()).toEqual([100, 101, 102]);
    } finally {
      await server.close();
    }
  }, 60_000);
});
