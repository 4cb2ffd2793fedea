// The completion path without RPC: packets posted to the env's I/O completion port,
// drained by its thread, delivered to JS in batches, in order.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { addonPath, loadAddon } from '../../lib/runtime/load-addon.js';
import { runNodeChild } from '../support/node-child.js';
import { testHook } from '../support/test-hooks.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const MILLION = 1_000_000;

// Posting is synchronous and, under Wine, ~40 µs a packet: post in chunks and let the
// event loop turn between them, so the test runner's own messages are not starved.
const CHUNK = 50_000;

async function receiveInOrder(count: number): Promise<{ received: number; inOrder: boolean }> {
  const addon = loadAddon();
  const received = new Promise<{ received: number; inOrder: boolean }>((resolve) => {
    let expected = 0;
    let inOrder = true;
    addon.setCompletionCallback((records) => {
      for (let i = 0; i < records.length; i += 2) {
        if (records[i] !== expected || records[i + 1] !== 0) inOrder = false;
        expected++;
      }
      if (expected === count) resolve({ received: expected, inOrder });
    });
  });
  for (let first = 0; first < count; first += CHUNK) {
    addon.postSynthetic(Math.min(CHUNK, count - first), first);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return received;
}

describe('completion port', () => {
  it('loads the addon, a PE image for x64, into this node.exe', () => {
    // The file the loader picked is a Windows DLL built for x64 (IMAGE_FILE_MACHINE_AMD64).
    const image = readFileSync(addonPath());
    expect(image.toString('latin1', 0, 2)).toBe('MZ');
    const pe = image.readUInt32LE(0x3c);
    expect(image.toString('latin1', pe, pe + 4)).toBe('PE\0\0');
    expect(image.readUInt16LE(pe + 4)).toBe(0x8664);
    expect(typeof loadAddon().postSynthetic).toBe('function');
  });

  it('turns an SEH exception into its code', () => {
    expect(testHook('sehSelfTest')(1722)).toBe(1722);
    expect(testHook('sehSelfTest')(0xc0000095)).toBe(0xc0000095); // STATUS_INTEGER_OVERFLOW
  });

  it('delivers 1,000,000 packets in order on the main thread', async () => {
    const result = await receiveInOrder(MILLION);
    expect(result).toEqual({ received: MILLION, inOrder: true });
    expect(loadAddon().diagnostics().inFlight).toBe(0);
  }, 300_000);

  it('delivers 1,000,000 packets in order in a Worker, which then exits by itself', async () => {
    const worker = new Worker(fixture('completion-worker.mjs'), {
      workerData: { addonPath: addonPath(), count: MILLION, chunk: CHUNK },
    });
    const exited = once(worker, 'exit');
    const done = new Promise<{ received: number; inOrder: boolean }>((resolve) => {
      worker.on('message', (message) => {
        if (message.done) resolve(message);
      });
    });
    expect(await done).toMatchObject({ received: MILLION, inOrder: true });
    // Idle once everything arrived, the Worker exits by itself.
    expect(await exited).toEqual([0]);
    expect(loadAddon().diagnostics().openPorts).toBe(1);
  }, 300_000);

  it('terminates a Worker cleanly with packets in flight; the one port serves on', async () => {
    const worker = new Worker(fixture('completion-worker.mjs'), {
      workerData: { addonPath: addonPath(), count: 100_000, chunk: 20_000 },
    });
    const [first] = await once(worker, 'message');
    // One port and thread for the whole process, never closed (calls may still post to it).
    expect(first.openPorts).toBe(1);
    await worker.terminate();
    expect(loadAddon().diagnostics().openPorts).toBe(1);
    // The Worker's packets still in the port go nowhere; this environment's arrive.
    expect(await receiveInOrder(1000)).toEqual({ received: 1000, inOrder: true });
    expect(loadAddon().diagnostics().inFlight).toBe(0);
  }, 120_000);

  it('lets an idle process exit by itself', async () => {
    const { code, output } = await runNodeChild([fixture('idle-exit.mjs'), addonPath()]);
    expect(output).toContain('received 10');
    expect(code).toBe(0);
  }, 60_000);
});
