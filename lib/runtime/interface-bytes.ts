// The byte forms the addon takes an interface's identity and expression programs in;
// shared by clients (rpc-interface.ts) and servers (lib/server).

/** A GUID's memory layout: Data1..Data3 little-endian, Data4 as written. */
export function guidBytes(uuid: string): Uint8Array {
  const hex = uuid.replaceAll('-', '');
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  bytes.subarray(0, 4).reverse();
  bytes.subarray(4, 6).reverse();
  bytes.subarray(6, 8).reverse();
  return bytes;
}

/** Expression programs as the addon takes them: each as a u32 length and its bytes. */
export function packPrograms(programs: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(programs.reduce((n, p) => n + 4 + p.length, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const p of programs) {
    view.setUint32(at, p.length, true);
    out.set(p, at + 4);
    at += 4 + p.length;
  }
  return out;
}
