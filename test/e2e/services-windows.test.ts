// Windows' Server and Workstation services against localhost: [MS-SRVS] NetrShareEnum
// on ncacn_np:[\pipe\srvsvc] and [MS-WKST] NetrWkstaGetInfo on ncacn_np:[\pipe\wkssvc],
// through the whole interfaces of test/fixtures/idl (the specifications' text), with
// the default authentication (Negotiate at packet privacy), as `net share` does.
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { loadInterface, RpcBinding, type RpcClient } from '../../lib/index.js';
import { itUnlessWine } from '../support/lane.js';

const NO_SERVER_SERVICES =
  'the Wine prefix runs no Server or Workstation service: \\pipe\\srvsvc and \\pipe\\wkssvc answer RPC_S_SERVER_UNAVAILABLE';

describe('Windows services of localhost', () => {
  let srvsvc: RpcClient;
  let wkssvc: RpcClient;
  const bindings: RpcBinding[] = [];
  beforeAll(async () => {
    const srvs = await loadInterface(new URL('../fixtures/idl/ms-srvs.idl', import.meta.url));
    const wkst = await loadInterface(new URL('../fixtures/idl/ms-wkst.idl', import.meta.url));
    bindings.push(RpcBinding.fromString('ncacn_np:localhost[\\\\pipe\\\\srvsvc]'));
    bindings.push(RpcBinding.fromString('ncacn_np:localhost[\\\\pipe\\\\wkssvc]'));
    srvsvc = srvs.createClient(bindings[0]!);
    wkssvc = wkst.createClient(bindings[1]!);
  });
  afterAll(() => {
    for (const b of bindings) b.free();
  });

  itUnlessWine(
    NO_SERVER_SERVICES,
    '[MS-SRVS] NetrShareEnum lists the shares at level 1, IPC$ among them',
    async () => {
      const result = (await srvsvc.NetrShareEnum!(
        '\\\\localhost',
        { Level: 1, ShareInfo: { Level1: { EntriesRead: 0, Buffer: null } } },
        0xffffffff,
        null,
      )) as {
        InfoStruct: {
          Level: number;
          ShareInfo: {
            case: number;
            Level1: { EntriesRead: number; Buffer: { shi1_netname: string; shi1_type: number }[] };
          };
        };
        TotalEntries: number;
        returnValue: number;
      };
      expect(result.returnValue).toBe(0);
      const shares = result.InfoStruct.ShareInfo.Level1.Buffer;
      expect(shares.length).toBe(result.InfoStruct.ShareInfo.Level1.EntriesRead);
      expect(result.TotalEntries).toBeGreaterThanOrEqual(shares.length);
      expect(shares.map((s) => s.shi1_netname)).toContain('IPC$');
    },
  );

  itUnlessWine(
    NO_SERVER_SERVICES,
    '[MS-WKST] NetrWkstaGetInfo answers level 100 with the computer name',
    async () => {
      const result = (await wkssvc.NetrWkstaGetInfo!('\\\\localhost', 100)) as {
        WkstaInfo: {
          case: number;
          WkstaInfo100: { wki100_computername: string; wki100_platform_id: number; wki100_ver_major: number };
        };
        returnValue: number;
      };
      expect(result.returnValue).toBe(0);
      expect(result.WkstaInfo.case).toBe(100);
      const info = result.WkstaInfo.WkstaInfo100;
      expect(info.wki100_computername.toUpperCase()).toBe((process.env.COMPUTERNAME ?? '').toUpperCase());
      expect(info.wki100_platform_id).toBe(500); // PLATFORM_ID_NT
      expect(info.wki100_ver_major).toBeGreaterThanOrEqual(6);
    },
  );
});
