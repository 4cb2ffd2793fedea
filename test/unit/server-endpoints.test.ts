// The endpoint and string-binding rules of the test-server fixture (test/support).
import { describe, expect, it } from 'vitest';
import {
  escapeEndpoint,
  freeTcpPort,
  makeEndpoint,
  PROTSEQS,
  uniqueEndpointName,
} from '../support/server-endpoints.js';

describe('test server endpoints', () => {
  it('names are unique, short and plain', () => {
    const names = new Set(Array.from({ length: 1000 }, () => uniqueEndpointName('calc')));
    expect(names.size).toBe(1000);
    for (const name of names) {
      expect(name).toMatch(/^wr_calc_\d+_\d+_[0-9a-f]{6}$/);
      expect(name.length).toBeLessThanOrEqual(40);
    }
    expect(uniqueEndpointName('a-b.c d', 7)).toMatch(/^wr_abcd_7_/);
  });

  it('differ between processes with the same sequence', () => {
    expect(uniqueEndpointName('x', 1)).not.toBe(uniqueEndpointName('x', 2));
  });

  it('escapes backslashes as RpcStringBindingCompose does', () => {
    expect(escapeEndpoint('\\pipe\\name')).toBe('\\\\pipe\\\\name');
  });

  it('writes each protocol sequence its binding', () => {
    expect(makeEndpoint('ncalrpc', 'wr_x')).toEqual({
      protseq: 'ncalrpc',
      endpoint: 'wr_x',
      binding: 'ncalrpc:[wr_x]',
    });
    expect(makeEndpoint('ncacn_np', 'wr_x')).toEqual({
      protseq: 'ncacn_np',
      endpoint: '\\pipe\\wr_x',
      binding: 'ncacn_np:[\\\\pipe\\\\wr_x]',
    });
    expect(makeEndpoint('ncacn_ip_tcp', '', 4321)).toEqual({
      protseq: 'ncacn_ip_tcp',
      endpoint: '4321',
      binding: 'ncacn_ip_tcp:127.0.0.1[4321]',
    });
    expect(PROTSEQS).toEqual(['ncalrpc', 'ncacn_ip_tcp', 'ncacn_np']);
  });

  it('refuses a TCP endpoint without a valid port', () => {
    expect(() => makeEndpoint('ncacn_ip_tcp', '')).toThrow(RangeError);
    expect(() => makeEndpoint('ncacn_ip_tcp', '', 70000)).toThrow(RangeError);
  });

  it('finds a free TCP port on 127.0.0.1', async () => {
    const port = await freeTcpPort();
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65536);
  });
});
