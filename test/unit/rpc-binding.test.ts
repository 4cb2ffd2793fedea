import { describe, expect, it } from 'vitest';
import { RpcBinding } from '../../lib/runtime/rpc-binding.js';

describe('RpcBinding', () => {
  it('keeps a string binding as given', () => {
    expect(RpcBinding.fromString('ncalrpc:[calc]').toString()).toBe('ncalrpc:[calc]');
  });

  it('composes string bindings from parts, escaping backslashes', () => {
    expect(RpcBinding.fromParts({ protseq: 'ncalrpc', endpoint: 'calc' }).toString()).toBe('ncalrpc:[calc]');
    expect(
      RpcBinding.fromParts({
        protseq: 'ncacn_ip_tcp',
        networkAddress: '127.0.0.1',
        endpoint: '4747',
      }).toString(),
    ).toBe('ncacn_ip_tcp:127.0.0.1[4747]');
    expect(RpcBinding.fromParts({ protseq: 'ncacn_np', endpoint: '\\pipe\\calc' }).toString()).toBe(
      'ncacn_np:[\\\\pipe\\\\calc]',
    );
    expect(
      RpcBinding.fromParts({
        protseq: 'ncacn_np',
        networkAddress: '\\\\server',
        objectUuid: '6b29fc40-ca47-1067-b31d-00dd010662da',
        options: { Security: 'Impersonation' },
      }).toString(),
    ).toBe('6b29fc40-ca47-1067-b31d-00dd010662da@ncacn_np:\\\\\\\\server[,Security=Impersonation]');
    expect(RpcBinding.fromParts({ protseq: 'ncacn_ip_tcp', networkAddress: 'host' }).toString()).toBe(
      'ncacn_ip_tcp:host',
    );
  });

  it("rejects parts that would change the binding's structure, naming the part", () => {
    expect(() => RpcBinding.fromParts({ protseq: 'ncalrpc', endpoint: 'a]b' })).toThrowError(
      /parts\.endpoint/,
    );
    expect(() => RpcBinding.fromParts({ protseq: 'nc alrpc' })).toThrowError(TypeError);
    expect(() => RpcBinding.fromParts({ protseq: 'ncalrpc', objectUuid: 'nope' })).toThrowError(
      /parts\.objectUuid/,
    );
    expect(() => RpcBinding.fromParts({ protseq: 'ncalrpc', options: { 'a=b': 'c' } })).toThrowError(
      /parts\.options/,
    );
    expect(() => RpcBinding.fromString('')).toThrowError(TypeError);
  });
});
