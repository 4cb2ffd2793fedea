// Generic binding handles ([handle] typedefs) end to end: winrpc binds with its own
// handle and sends the [handle] parameter as its value, as a MIDL client does.
import { describe, expect, it } from 'vitest';
import { PROTSEQS } from '../support/rpc-server.js';
import { useServedClient } from '../support/served-client.js';

describe.each(PROTSEQS)('generic handles over %s', (protseq) => {
  const served = useServedClient('generic', protseq);

  it('sends a first [handle] parameter as its string, or NULL', async () => {
    expect(await served.client.NameLength!('\\\\server-𝄞', 5)).toEqual({ length: 11, returnValue: 6 });
    expect(await served.client.NameLength!(null, 5)).toEqual({ length: -1, returnValue: 6 });
  });

  it('sends a [handle] parameter that is not the first', async () => {
    expect(await served.client.LateName!(7, 'Z')).toBe(90 * 1000 + 7);
  });
});
