// A procedure that uses a type winrpc cannot marshal yet (here a pipe) keeps its opnum;
// the rest of the interface works, and a call to it is refused with the reason.
import { describe, expect, it } from 'vitest';
import { generateClient, interfaceFromSource, RpcBinding, RpcError } from '../../lib/index.js';

const IDL = `[uuid(2f6a1c3e-7b8d-4e9f-a0b1-c2d3e4f5a6b7), version(1.0)]
interface streams
{
    typedef pipe byte BYTE_PIPE;
    long Open([in] long mode);
    long Pull([in] long id, [out] BYTE_PIPE *data);
    long Close([in] long id);
}
`;

describe('a procedure winrpc cannot call yet', () => {
  const iface = interfaceFromSource(IDL, { file: 'streams.idl' });

  it('keeps its opnum, so the procedures after it keep theirs', () => {
    expect(iface.procedures.map((p) => [p.name, p.opnum])).toEqual([
      ['Open', 0],
      ['Close', 2],
    ]);
    expect(iface.compiled.unavailable).toEqual([
      {
        name: 'Pull',
        opnum: 1,
        reason: expect.stringMatching(/^streams\.idl:6:\d+: 'BYTE_PIPE' cannot be used: pipe/),
      },
    ]);
  });

  it('rejects a call to it with RPC_S_CANNOT_SUPPORT naming the reason, before anything is sent', async () => {
    const error = await iface.invoke(RpcBinding.fromString('ncalrpc:[x]'), 'Pull', [1]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: 'RPC_S_CANNOT_SUPPORT', procedure: 'Pull', interface: 'streams' });
    expect((error as RpcError).message).toContain('streams.idl:6');
  });

  it('is left out of the generated client, which says so', () => {
    const module = generateClient(IDL, { file: 'streams.idl' });
    expect(module).toContain('- Pull (opnum 1): streams.idl:6:');
    expect(module).not.toMatch(/\bPull\(/);
    expect(module).toMatch(/\bClose\(/);
  });
});
