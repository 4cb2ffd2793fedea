// What listen() asks the runtime for: the authentication service it registers and the
// interface flags, by protocol sequence and options (lib/server/rpc-server.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listenSecurity } from '../../lib/server/rpc-server.js';

const SECURE_ONLY = 0x0008; // RPC_IF_ALLOW_SECURE_ONLY
const NEGOTIATE = 9;
const CALLBACKS_WITH_NO_AUTH = 0x0010; // RPC_IF_ALLOW_CALLBACKS_WITH_NO_AUTH
const SEC_NO_CACHE = 0x0040; // RPC_IF_SEC_NO_CACHE (0x0020 is RPC_IF_ALLOW_LOCAL_ONLY)

describe('listenSecurity', () => {
  it('registers Negotiate and refuses insecure calls by default on remote protocol sequences', () => {
    for (const protseq of ['ncacn_ip_tcp', 'ncacn_np'] as const) {
      expect(listenSecurity({ protseq })).toEqual({ service: NEGOTIATE, ifFlags: SECURE_ONLY });
    }
  });

  it('asks nothing on ncalrpc unless told', () => {
    expect(listenSecurity({ protseq: 'ncalrpc' })).toEqual({ service: 0, ifFlags: 0 });
    expect(listenSecurity({ protseq: 'ncalrpc', auth: { service: 'ntlm' } })).toEqual({
      service: 10,
      ifFlags: 0,
    });
  });

  it("opts out with allowInsecure, or entirely with auth 'none'", () => {
    expect(listenSecurity({ protseq: 'ncacn_ip_tcp', allowInsecure: true })).toEqual({
      service: NEGOTIATE,
      ifFlags: 0,
    });
    expect(listenSecurity({ protseq: 'ncacn_np', auth: 'none' })).toEqual({ service: 0, ifFlags: 0 });
  });

  it('passes a principal and a chosen service', () => {
    expect(
      listenSecurity({ protseq: 'ncacn_ip_tcp', auth: { service: 'kerberos', principal: 'host/x' } }),
    ).toEqual({ service: 16, principal: 'host/x', ifFlags: SECURE_ONLY });
  });

  it('refuses what it does not know, naming the option', () => {
    expect(() => listenSecurity({ protseq: 'ncacn_np', auth: 'basic' as never })).toThrow(/auth must be/);
    expect(() => listenSecurity({ protseq: 'ncacn_np', auth: { service: 'digest' as never } })).toThrow(
      /auth.service/,
    );
    expect(() => listenSecurity({ protseq: 'ncacn_np', auth: { principal: 5 as never } })).toThrow(
      /auth.principal/,
    );
  });

  it('with a security callback: asked for every call (no cache), and about unauthenticated callers unless secure-only', () => {
    expect(listenSecurity({ protseq: 'ncacn_ip_tcp' }, true)).toEqual({
      service: NEGOTIATE,
      ifFlags: SECURE_ONLY | SEC_NO_CACHE,
    });
    expect(listenSecurity({ protseq: 'ncacn_np', auth: 'none' }, true)).toEqual({
      service: 0,
      ifFlags: SEC_NO_CACHE | CALLBACKS_WITH_NO_AUTH,
    });
    expect(listenSecurity({ protseq: 'ncacn_ip_tcp', allowInsecure: true }, true)).toEqual({
      service: NEGOTIATE,
      ifFlags: SEC_NO_CACHE | CALLBACKS_WITH_NO_AUTH,
    });
    expect(listenSecurity({ protseq: 'ncalrpc' }, true)).toEqual({
      service: 0,
      ifFlags: SEC_NO_CACHE | CALLBACKS_WITH_NO_AUTH,
    });
    expect(listenSecurity({ protseq: 'ncalrpc' }, false)).toEqual({ service: 0, ifFlags: 0 });
  });

  // The flag values above against the SDK's (mingw-w64's rpcdce.h, where installed).
  const include = [
    process.env.WINRPC_MINGW_INCLUDE,
    '/usr/x86_64-w64-mingw32/include',
    '/usr/share/mingw-w64/include',
  ].find((dir): dir is string => dir !== undefined && existsSync(join(dir, 'rpcdce.h')));
  const why =
    include === undefined
      ? " (skipped inside Windows node.exe: mingw-w64's rpcdce.h lives on the Linux side, whose lane checks it; or set WINRPC_MINGW_INCLUDE)"
      : '';
  it.skipIf(include === undefined)(`uses rpcdce.h's interface flag values${why}`, () => {
    const header = readFileSync(join(include as string, 'rpcdce.h'), 'latin1');
    const value = (name: string) => Number(new RegExp(`#define ${name} (0x[0-9a-fA-F]+)`).exec(header)?.[1]);
    expect([SECURE_ONLY, CALLBACKS_WITH_NO_AUTH, SEC_NO_CACHE]).toEqual([
      value('RPC_IF_ALLOW_SECURE_ONLY'),
      value('RPC_IF_ALLOW_CALLBACKS_WITH_NO_AUTH'),
      value('RPC_IF_SEC_NO_CACHE'),
    ]);
  });
});
