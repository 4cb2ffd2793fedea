// The endpoint mapper that rpcss serves ([MS-RPCE] ept_map, test/fixtures/idl/
// ms-rpce-epm.idl) over every transport it listens on: ncalrpc:[epmapper] and
// ncacn_np:[\pipe\epmapper] (Wine and Windows), ncacn_ip_tcp port 135 (Windows only).
// A calc server registers a dynamic endpoint; ept_map finds it from a tower, with a
// NULL [in, out] lookup handle on the first call (as [MS-RPCE] says a client starts),
// towers travelling as Uint8Arrays; the endpoint found then serves a call.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  interfaceFromSource,
  loadInterface,
  RpcBinding,
  type RpcClient,
  type RpcInterface,
} from '../../lib/index.js';
import { FLOOR, queryTower, readTower, towerEndpoint } from '../support/epm-towers.js';
import { itUnlessWine, lane } from '../support/lane.js';
import {
  type Protseq,
  type RunningServer,
  startServer,
  TEST_BINDING_OPTIONS,
} from '../support/rpc-server.js';

const EPMAPPER_BINDINGS: [string, string][] = [
  ['ncalrpc', 'ncalrpc:[epmapper]'],
  ['ncacn_np', 'ncacn_np:[\\\\pipe\\\\epmapper]'],
  ...(lane === 'wine' ? [] : ([['ncacn_ip_tcp', 'ncacn_ip_tcp:127.0.0.1[135]']] as [string, string][])),
];
// The towers a dynamic calc server registers, by protocol sequence.
const REGISTERED: Protseq[] = ['ncalrpc', 'ncacn_np'];

let epm: RpcInterface;
let calc: RpcInterface;
const servers = new Map<Protseq, RunningServer>();
beforeAll(async () => {
  // ITowers is [ref], as [C706] declares it: [MS-RPCE]'s text adds [ptr], which MIDL
  // refuses on an [out]-only parameter and winrpc now does too (the fixture's header).
  const spec = readFileSync(new URL('../fixtures/idl/ms-rpce-epm.idl', import.meta.url), 'utf8');
  epm = interfaceFromSource(spec, { file: 'ms-rpce-epm.idl' });
  calc = await loadInterface(new URL('../servers/calc.idl', import.meta.url));
  for (const protseq of REGISTERED)
    servers.set(protseq, await startServer('calc', protseq, { dynamic: true }));
});
afterAll(async () => {
  for (const server of servers.values()) await server.stop();
});

interface MapResult {
  entry_handle: unknown;
  num_towers: number;
  ITowers: ({ tower_length: number; tower_octet_string: Uint8Array } | null)[] | null;
  status: number;
}

describe.each(EPMAPPER_BINDINGS)('ept_map over %s', (_name, stringBinding) => {
  let binding: RpcBinding;
  let client: RpcClient;
  beforeAll(() => {
    binding = RpcBinding.fromString(stringBinding, TEST_BINDING_OPTIONS);
    client = epm.createClient(binding);
  });
  afterAll(() => binding.free());

  it.each(REGISTERED)('maps calc over %s to the endpoint its server registered', async (protseq) => {
    const tower = queryTower(calc.compiled, protseq);
    const result = (await client.ept_map!(null, { tower_octet_string: tower }, null, 4)) as MapResult;
    expect(result.status).toBe(0);
    expect(result.num_towers).toBeGreaterThanOrEqual(1);
    const found = result.ITowers?.[0];
    expect(found?.tower_octet_string).toBeInstanceOf(Uint8Array);
    expect(found?.tower_length).toBe(found?.tower_octet_string.length);
    const floors = readTower(found!.tower_octet_string);
    expect(floors[0]?.protocol).toBe(FLOOR.UUID);
    expect(floors.map((f) => f.protocol)).toContain(protseq === 'ncalrpc' ? FLOOR.PORT_NAME : FLOOR.PIPE);
    const endpoint = towerEndpoint(floors);
    expect(endpoint).toBeTruthy();

    // The endpoint found serves calls.
    const escaped = endpoint!.replaceAll('\\', '\\\\');
    const direct = RpcBinding.fromString(`${protseq}:[${escaped}]`, TEST_BINDING_OPTIONS);
    try {
      expect(await calc.createClient(direct).Add!(40, 2)).toBe(42);
    } finally {
      direct.free();
    }
  });

  const stranger = { uuid: '0badf00d-1234-4321-8765-0123456789ab', version: { major: 1, minor: 0 } };
  const lookUpStranger = async () =>
    (await client.ept_map!(
      null,
      { tower_octet_string: queryTower(stranger, 'ncalrpc') },
      null,
      4,
    )) as MapResult;

  it('finds no tower for an interface nobody registered', async () => {
    const result = await lookUpStranger();
    expect(result.num_towers).toBe(0);
    expect(result.ITowers).toEqual([]);
  });

  itUnlessWine(
    "Wine's rpcss answers status 0 with no towers",
    'answers EPT_S_NOT_REGISTERED (0x16c9a0d6) for an interface nobody registered',
    async () => {
      expect((await lookUpStranger()).status).toBe(0x16c9a0d6);
    },
  );
});
