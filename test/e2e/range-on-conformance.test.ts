// MIDL's /target NT60 format strings (CompileOptions.rangeOnConformance: 16-byte
// correlation descriptors, HasRangeOnConformance, FC_SUPPLEMENT for ranged strings)
// against the servers the default (NT51) forms are tested with. A [range] adds no wire
// bytes, so the client's IDL may carry one the widl-built server's lacks (widl 7
// rejects [range] on pointers). docs/internals.md, "MIDL's two targets".
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { interfaceFromSource, loadInterface } from '../../lib/index.js';
import { itUnlessWine } from '../support/lane.js';
import { PROTSEQS } from '../support/rpc-server.js';
import { useServedClient } from '../support/served-client.js';

describe.each(PROTSEQS)('MIDL /target NT60 forms over %s', (protseq) => {
  const arrays = useServedClient('arrays', protseq, () =>
    loadInterface(new URL('../servers/arrays.idl', import.meta.url), { rangeOnConformance: true }),
  );
  // inventory.idl with [range] on its strings: FC_SUPPLEMENT in both directions.
  const ranged = readFileSync(new URL('../servers/inventory.idl', import.meta.url), 'utf8')
    .replace('[string] wchar_t *name;', '[string, range(1, 64)] wchar_t *name;')
    .replace('[in, string] const wchar_t *name', '[in, string, range(1, 64)] const wchar_t *name');
  const inventory = useServedClient('inventory', protseq, async () =>
    interfaceFromSource(ranged, { file: 'inventory.idl', rangeOnConformance: true }),
  );

  it('sends and receives conformant-varying arrays (14-byte correlation descriptors)', async () => {
    expect(await arrays.client.SumWindow!(10, 3, [1, 2, 3])).toBe(6010n);
    expect(await arrays.client.GrowWindow!(4, 2, [5, 6])).toEqual({ len: 3, values: [10, 12, -1] });
  });

  itUnlessWine(
    "Wine's client engine raises RPC_X_BAD_STUB_DATA (1783) on FC_SUPPLEMENT, even for an [in] string",
    'sends and receives [string, range] pointers (FC_SUPPLEMENT)',
    async () => {
      expect(ranged).toContain('range(1, 64)] const wchar_t *name');
      const { info } = (await inventory.client.FindItem!('anvil')) as { info: { name: string; id: number } };
      expect(info).toMatchObject({ id: 1, name: 'anvil' });
      // Out of range: refused before anything is sent (the count includes the terminator).
      await expect(inventory.client.FindItem!('x'.repeat(64))).rejects.toThrow(RangeError);
    },
  );
});
