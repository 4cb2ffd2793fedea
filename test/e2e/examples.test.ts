// The README's demo and the typed-client example, run as a user runs them (a child
// node, `import 'winrpc'` through the package's own exports) against the inventory
// server (and, in the demo, a calc server in JS that a C client calls). The expected figures come from the server's stock table (test/servers/
// inventory.c), worked out by hand: 12 x 49.90 + 3 x 129.00 + 0 x 75.50 + 240 x 4.25
// = 2005.80 before any reservation.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runNodeChild } from '../support/node-child.js';

const example = (path: string) => fileURLToPath(new URL(`../../examples/${path}`, import.meta.url));

describe('examples', () => {
  it('the demo (`npm run demo`) makes its calls and reports each outcome', async () => {
    const { code, output } = await runNodeChild([example('demo.mjs')], 60_000);
    expect(code, output).toBe(0);
    const lines = output.split(/\r?\n/).map((line) => line.trim());
    expect(lines).toContain('CountItems, FindItem, Reserve, StockValue, Shutdown');
    expect(output).toMatch(/4 items, 4 looked up in \d+ ms/);
    expect(output).toMatch(/#1 anvil +49\.90 +x12 +stock ok/);
    expect(output).toMatch(/#2 rocket skates +129\.00 +x3 +stock low/);
    expect(output).toMatch(/#3 giant magnet +75\.50 +x0 +stock OUT/);
    expect(output).toMatch(/#4 bird seed \(édition spéciale\) +4\.25 +x240 +stock ok/);
    // 3 rocket skates: 2 reserved leave 1, 5 more are refused.
    expect(lines).toContain('left after the first reservation: 1');
    expect(lines).toContain('RpcError ERROR_NOT_ENOUGH_QUOTA (status 1816) from inventory.Reserve');
    expect(lines).toContain('RpcError RPC_S_OBJECT_NOT_FOUND (status 1710) from inventory.FindItem');
    expect(lines).toContain('RpcError RPC_S_TIMEOUT (status 1460) from inventory.StockValue');
    // 2005.80 - 2 x 129.00.
    expect(lines).toContain('without a timeout: stock is worth 1747.80');
    expect(lines).toContain('Server stopped with exit code 0.');
    // The other direction: calc served from JS, called by winrpc, then by the C client.
    expect(lines).toContain('Add(2, 3) = 5, Divide(7, 2) = 3 remainder 1');
    expect(lines).toContain('RpcError RPC_S_ZERO_DIVIDE (status 1767) from calc.Divide');
    for (const line of [
      'Add 2147483647 1 -> -2147483648',
      'Divide -17 5 -> -3 remainder -2',
      'Divide 1 0 -> status 1767',
      'Fail 1783 -> status 1783',
      'Delay 20 -> 20',
    ]) {
      expect(lines).toContain(line);
    }
    // 3 from winrpc's client, 8 from the C client.
    expect(lines).toContain('The JS server answered 11 calls and is closed.');
  }, 70_000);

  it('the typed-client example (`npm run example`) runs its generated client', async () => {
    const { code, output } = await runNodeChild([example('typed-client/main.ts')], 60_000);
    expect(code, output).toBe(0);
    expect(output.split(/\r?\n/).filter(Boolean)).toEqual([
      '4 items in stock',
      '#1 anvil: 12 at 49.90 (STOCK_OK)',
      'reserved one, 11 left',
      // 2005.80 - 49.90: a hyper (bigint) in cents.
      'stock value 1955.90',
      'a slow report: RPC_S_TIMEOUT',
      'unknown item: RPC_S_OBJECT_NOT_FOUND (1710)',
    ]);
  }, 70_000);
});
