// Protocol towers ([C706] Appendix L, [MS-RPCE] 2.2.1.2.x) as the endpoint mapper's
// ept_map takes and returns them: a floor count, then per floor its left-hand side
// (protocol identifier and data) and right-hand side (address data), each with a
// 16-bit little-endian length. Built and read for the e2e tests of rpcss's ept_map.

const NDR_SYNTAX = { uuid: '8a885d04-1ceb-11c9-9fe8-08002b104860', major: 2, minor: 0 };

/** Protocol identifiers of the floors ([C706] Appendix I, [MS-RPCE] 2.2.2). */
export const FLOOR = {
  UUID: 0x0d,
  RPC_CO: 0x0b, // connection-oriented RPC (ncacn_*)
  LRPC: 0x0c, // ncalrpc
  PIPE: 0x0f, // named pipe name (ncacn_np)
  PORT_NAME: 0x10, // ncalrpc endpoint name
  NETBIOS: 0x11, // NetBIOS host name (ncacn_np)
  TCP: 0x07,
  IP: 0x09,
} as const;

function guidBytes(uuid: string): Uint8Array {
  const hex = uuid.replaceAll('-', '');
  const bytes = Uint8Array.from({ length: 16 }, (_, i) => Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16));
  bytes.subarray(0, 4).reverse();
  bytes.subarray(4, 6).reverse();
  bytes.subarray(6, 8).reverse();
  return bytes;
}

function u16(n: number): Uint8Array {
  return Uint8Array.of(n & 0xff, n >> 8);
}

function floor(lhs: Uint8Array, rhs: Uint8Array): Uint8Array {
  return Buffer.concat([u16(lhs.length), lhs, u16(rhs.length), rhs]);
}

function uuidFloor(uuid: string, major: number, minor: number): Uint8Array {
  return floor(Buffer.concat([Uint8Array.of(FLOOR.UUID), guidBytes(uuid), u16(major)]), u16(minor));
}

const text = (s: string) => Buffer.from(`${s}\0`, 'latin1');

/** The tower ept_map looks up: an interface over a protocol sequence, endpoint left empty. */
export function queryTower(
  iface: { uuid: string; version: { major: number; minor: number } },
  protseq: 'ncalrpc' | 'ncacn_np' | 'ncacn_ip_tcp',
): Uint8Array {
  const floors = [
    uuidFloor(iface.uuid, iface.version.major, iface.version.minor),
    uuidFloor(NDR_SYNTAX.uuid, NDR_SYNTAX.major, NDR_SYNTAX.minor),
  ];
  if (protseq === 'ncalrpc') {
    floors.push(floor(Uint8Array.of(FLOOR.LRPC), u16(0)), floor(Uint8Array.of(FLOOR.PORT_NAME), text('')));
  } else if (protseq === 'ncacn_np') {
    floors.push(
      floor(Uint8Array.of(FLOOR.RPC_CO), u16(0)),
      floor(Uint8Array.of(FLOOR.PIPE), text('')),
      floor(Uint8Array.of(FLOOR.NETBIOS), text('')),
    );
  } else {
    floors.push(
      floor(Uint8Array.of(FLOOR.RPC_CO), u16(0)),
      floor(Uint8Array.of(FLOOR.TCP), Uint8Array.of(0, 0)),
      floor(Uint8Array.of(FLOOR.IP), Uint8Array.of(0, 0, 0, 0)),
    );
  }
  return Buffer.concat([u16(floors.length), ...floors]);
}

export interface TowerFloor {
  protocol: number;
  lhs: Uint8Array;
  rhs: Uint8Array;
}

/** A tower's floors; throws on a tower that does not parse. */
export function readTower(tower: Uint8Array): TowerFloor[] {
  const data = new DataView(tower.buffer, tower.byteOffset, tower.byteLength);
  const count = data.getUint16(0, true);
  const floors: TowerFloor[] = [];
  let at = 2;
  // Wine's rpcss counts 5 floors in the ncalrpc towers it returns, which hold 4: floors
  // are read while bytes remain.
  for (let i = 0; i < count && at < tower.length; i++) {
    const lhsLength = data.getUint16(at, true);
    const lhs = tower.subarray(at + 2, at + 2 + lhsLength);
    at += 2 + lhsLength;
    const rhsLength = data.getUint16(at, true);
    const rhs = tower.subarray(at + 2, at + 2 + rhsLength);
    at += 2 + rhsLength;
    if (lhs.length === 0 || at > tower.length) throw new Error(`tower floor ${i + 1} does not parse`);
    floors.push({ protocol: lhs[0]!, lhs, rhs });
  }
  return floors;
}

/** The endpoint a tower names: the port name, pipe name or TCP port. */
export function towerEndpoint(floors: readonly TowerFloor[]): string | undefined {
  for (const f of floors) {
    if (f.protocol === FLOOR.PORT_NAME || f.protocol === FLOOR.PIPE) {
      return Buffer.from(f.rhs).toString('latin1').replace(/\0.*$/s, '');
    }
    if (f.protocol === FLOOR.TCP) return String((f.rhs[0]! << 8) | f.rhs[1]!);
  }
  return undefined;
}
