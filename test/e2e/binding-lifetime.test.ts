// The README's promise on RpcBinding: handles not freed are freed when the binding is
// garbage-collected, and calls in flight keep theirs until they complete.
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNodeChild } from '../support/node-child.js';
import { type RunningServer, startServer } from '../support/rpc-server.js';

const calcIdl = readFileSync(new URL('../servers/calc.idl', import.meta.url), 'utf8');
const fixture = fileURLToPath(new URL('./fixtures/dropped-bindings.mjs', import.meta.url));
const bundledWinrpc = pathToFileURL(fileURLToPath(new URL('../../dist/esm/index.js', import.meta.url))).href;

describe('bindings dropped without free()', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer('calc', 'ncalrpc');
  });
  afterAll(async () => {
    await server.stop();
  });

  it('are freed once collected, but not while a call of theirs is in flight', async () => {
    const { code, output } = await runNodeChild(
      ['--expose-gc', fixture, bundledWinrpc, server.binding, calcIdl],
      60_000,
    );
    expect(code, output).toBe(0);
    const lines = output.split(/\r?\n/).filter(Boolean);
    // Ten bindings made and used; none reachable afterwards. Collection is up to V8:
    // some may already be gone, so only the upper bound is known here.
    const used = Number(lines[0]?.match(/^used (\d+)$/)?.[1]);
    expect(used, output).toBeGreaterThan(0);
    expect(used).toBeLessThanOrEqual(10);
    expect(lines.slice(1), output).toEqual([
      'after collection 0',
      'in flight 1',
      'delayed call gave 300',
      'after the call 0',
    ]);
  }, 70_000);
});
