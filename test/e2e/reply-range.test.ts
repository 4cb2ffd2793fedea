// winrpc's own [range] check on reply data: an element count or string length outside
// the client's [range] is refused with 1734 (RPC_X_INVALID_BOUND = RPC_S_INVALID_BOUND), before any value reaches the
// caller. A [range] adds no wire bytes, so the client's IDL narrows a field the
// inventory server (built from the IDL without it) fills freely.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { interfaceFromSource, RpcError } from '../../lib/index.js';
import { PROTSEQS } from '../support/rpc-server.js';
import { useServedClient } from '../support/served-client.js';

const inventoryIdl = readFileSync(new URL('../servers/inventory.idl', import.meta.url), 'utf8');
// ItemInfo.name: at most 8 UTF-16 units, terminator included.
const narrowed = inventoryIdl.replace('[string] wchar_t *name;', '[string, range(1, 8)] wchar_t *name;');

describe.each(PROTSEQS)('a [range] on reply data over %s', (protseq) => {
  const inventory = useServedClient('inventory', protseq, async () =>
    interfaceFromSource(narrowed, { file: 'inventory.idl' }),
  );

  it('lets a string within the range through and refuses a longer one with RPC_S_INVALID_BOUND', async () => {
    expect(narrowed).not.toBe(inventoryIdl);
    // "anvil" and its terminator: 6 units.
    const { info } = (await inventory.client.FindItem!('anvil')) as { info: { id: number; name: string } };
    expect(info).toMatchObject({ id: 1, name: 'anvil' });
    // "rocket skates": 14 units. The server replied; the client refuses the reply.
    const refused = await inventory.client.FindItem!('rocket skates').then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(RpcError);
    expect(refused).toMatchObject({ code: 'RPC_S_INVALID_BOUND', status: 1734, procedure: 'FindItem' });
    // The connection is fine afterwards.
    expect(await inventory.client.CountItems!()).toBe(4);
  });
});
