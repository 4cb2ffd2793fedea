// Decodes Oicf proc/type format strings into plain trees, so two compilers' output can
// be compared by meaning (where descriptors sit and unreferenced extras do not matter).
// Signed/unsigned base types are folded together: widl emits FC_LONG for `unsigned long`.
// widl also emits FC_INT3264 for `unsigned __int3264`.
const SIGNLESS: Record<number, number> = { 4: 0x03, 7: 0x06, 9: 0x08, 185: 0xb8 };

export interface DecodedParam {
  flags: number;
  stackOffset: number;
  type: unknown;
}
export interface DecodedProc {
  handleType: number;
  /** Oi flags (full pointers, rpc flags present, new init routines, ...). */
  oiFlags: number;
  /** The Oi header's rpc flags (call semantics), 0 when Oi_HAS_RPCFLAGS is clear. */
  rpcFlags: number;
  explicitHandle?: { kind: number; flags: number; offset: number; rundown?: number; routine?: number };
  opnum: number;
  stackSize: number;
  clientBuffer: number;
  serverBuffer: number;
  oi2: number;
  ext: {
    size: number;
    flags2: number;
    clientCorrHint: number;
    serverCorrHint: number;
    notifyIndex: number;
    floatMask: number;
  };
  params: DecodedParam[];
}

export function decodeProc(
  proc: ArrayLike<number>,
  at: number,
  types: ArrayLike<number>,
  robust: boolean,
): DecodedProc {
  const u16 = (a: ArrayLike<number>, o: number) => (a[o] as number) | ((a[o + 1] as number) << 8);
  let o = at;
  const handleType = proc[o] as number;
  // Handle type and Oi flags; the 4-byte rpc flags follow only when Oi_HAS_RPCFLAGS (0x08)
  // says so (winrpc and widl always set it; MIDL leaves it out for some procedures).
  const oiFlags = proc[o + 1] as number;
  const rpcFlags = oiFlags & 0x08 ? u16(proc, o + 2) | (u16(proc, o + 4) << 16) : 0;
  o += oiFlags & 0x08 ? 6 : 2;
  const opnum = u16(proc, o);
  const stackSize = u16(proc, o + 2);
  o += 4;
  let explicitHandle: DecodedProc['explicitHandle'];
  if (handleType === 0) {
    explicitHandle = { kind: proc[o] as number, flags: proc[o + 1] as number, offset: u16(proc, o + 2) };
    o += 4;
    // FC_BIND_CONTEXT: rundown index and parameter number follow (widl always writes param 0).
    if (explicitHandle.kind === 0x30) {
      explicitHandle.rundown = proc[o] as number;
      o += 2;
    }
    // FC_BIND_GENERIC: the binding routine pair's index and FC_PAD follow.
    if (explicitHandle.kind === 0x31) {
      explicitHandle.routine = proc[o] as number;
      o += 2;
    }
  }
  const clientBuffer = u16(proc, o);
  const serverBuffer = u16(proc, o + 2);
  const oi2 = proc[o + 4] as number;
  const count = proc[o + 5] as number;
  o += 6;
  const extSize = proc[o] as number;
  const ext = {
    size: extSize,
    flags2: proc[o + 1] as number,
    clientCorrHint: u16(proc, o + 2),
    serverCorrHint: u16(proc, o + 4),
    notifyIndex: u16(proc, o + 6),
    floatMask: extSize >= 10 ? u16(proc, o + 8) : 0,
  };
  o += extSize;
  // The extension says whether correlation descriptors carry robust flags; a caller that
  // expects otherwise would read every descriptor after the first at the wrong offset.
  if (robust !== ((ext.flags2 & 0x01) !== 0))
    throw new Error(`procedure at ${at}: HasNewCorrDesc is ${!robust}, the caller expected ${robust}`);
  const params: DecodedParam[] = [];
  for (let i = 0; i < count; i++, o += 6) {
    const flags = u16(proc, o);
    const stackOffset = u16(proc, o + 2);
    const type = flags & 0x40 ? base(proc[o + 4] as number) : decodeType(types, u16(proc, o + 4), robust);
    params.push({ flags, stackOffset, type });
  }
  return {
    handleType,
    oiFlags,
    rpcFlags,
    ...(explicitHandle ? { explicitHandle } : {}),
    opnum,
    stackSize,
    clientBuffer,
    serverBuffer,
    oi2,
    ext,
    params,
  };
}

function base(fc: number): string {
  return `fc:${(SIGNLESS[fc] ?? fc).toString(16)}`;
}

export function decodeType(t: ArrayLike<number>, at: number, robust: boolean, depth = 0): unknown {
  if (depth > 20) return 'too deep';
  const b = (o: number) => t[o] as number;
  const s16 = (o: number) => ((b(o) | (b(o + 1) << 8)) << 16) >> 16;
  const u16 = (o: number) => b(o) | (b(o + 1) << 8);
  const rel = (o: number) => decodeType(t, o + s16(o), robust, depth + 1);
  const corrSize = robust ? 6 : 4;
  // Robust descriptors add the correlation flags (early, split, iid_is, don't check).
  const corr = (o: number) => ({
    type: (b(o) & 0xf0) | (SIGNLESS[b(o) & 0x0f] ?? b(o) & 0x0f),
    op: b(o + 1),
    offset: s16(o + 2),
    ...(robust ? { flags: u16(o + 4) } : {}),
  });
  const u32 = (o: number) => (u16(o) | (u16(o + 2) << 16)) >>> 0;
  const fc = b(at);
  const element = (o: number) => {
    if (b(o) === 0x4c) return rel(o + 2);
    if (b(o) >= 0x11 && b(o) <= 0x14) return decodeType(t, o, robust, depth + 1); // an inline pointer
    return base(b(o));
  };
  const armType = (o: number) => {
    const v = u16(o);
    if (v === 0) return 'empty';
    if (v === 0xffff) return 'none';
    if ((v & 0xff00) === 0x8000) return base(v & 0xff);
    return rel(o);
  };
  const arms = (o: number) => {
    const n = u16(o + 2) & 0x0fff; // the high nibble is [ms_union]'s arm alignment
    const list: unknown[] = [];
    for (let i = 0; i < n; i++) list.push({ case: u32(o + 4 + i * 6), type: armType(o + 8 + i * 6) });
    return { memorySize: u16(o), list, default: armType(o + 4 + n * 6) };
  };
  switch (fc) {
    case 0x11:
    case 0x12:
    case 0x13:
    case 0x14: {
      const flags = b(at + 1);
      if (flags & 0x08)
        return {
          ptr: fc,
          flags,
          target: b(at + 2) === 0x22 || b(at + 2) === 0x25 ? { string: b(at + 2) } : base(b(at + 2)),
        };
      return { ptr: fc, flags, target: rel(at + 2) };
    }
    case 0x22:
    case 0x25:
      return b(at + 1) === 0x44 ? { string: fc, size: corr(at + 2) } : { string: fc };
    case 0x26:
    case 0x29:
      return { string: fc, count: u16(at + 2) };
    case 0x1b:
    case 0x1c: {
      const out: Record<string, unknown> = {
        array: fc,
        align: b(at + 1),
        elementSize: u16(at + 2),
        size: corr(at + 4),
      };
      let o = at + 4 + corrSize;
      if (fc === 0x1c) {
        out.length = corr(o);
        o += corrSize;
      }
      out.element = element(o);
      return out;
    }
    case 0x1d:
      return { array: fc, align: b(at + 1), total: u16(at + 2), element: element(at + 4) };
    case 0x1f:
      return {
        array: fc,
        align: b(at + 1),
        total: u16(at + 2),
        count: u16(at + 4),
        elementSize: u16(at + 6),
        length: corr(at + 8),
        element: element(at + 8 + corrSize),
      };
    case 0x30:
      // The parameter number is left out: widl always writes 0.
      return { context: fc, flags: b(at + 1), rundown: b(at + 2) };
    case 0xb7:
      return { range: base(b(at + 1)), min: u32(at + 2), max: u32(at + 6) };
    case 0x2a:
    case 0x2b: {
      if (fc === 0x2a) return { union: fc, switch: b(at + 1), arms: arms(at + 2) };
      return {
        union: fc,
        switch: base(b(at + 1)),
        switchIs: corr(at + 2),
        arms: arms(at + 2 + corrSize + s16(at + 2 + corrSize)),
      };
    }
    case 0x21: {
      const c = u16(at + 4) === 0xffff ? null : corr(at + 4);
      const v = u16(at + 4 + corrSize) === 0xffff ? null : corr(at + 4 + corrSize);
      return {
        array: fc,
        align: b(at + 1),
        count: u16(at + 2),
        size: c,
        length: v,
        element: element(at + 4 + 2 * corrSize),
      };
    }
    case 0x15:
    case 0x17:
    case 0x19:
    case 0x1a: {
      const out: Record<string, unknown> = { struct: fc, align: b(at + 1), memorySize: u16(at + 2) };
      let o = at + 4;
      if (fc === 0x17 || fc === 0x19) {
        out.conformant = rel(o);
        o += 2;
      }
      let pointerLayout = -1;
      if (fc === 0x1a) {
        if (s16(o) !== 0) out.conformant = rel(o);
        if (s16(o + 2) !== 0) pointerLayout = o + 2 + s16(o + 2);
        o += 4;
      }
      const members: unknown[] = [];
      while (b(o) !== 0x5b) {
        if (b(o) === 0x4c) {
          members.push({ embedded: rel(o + 2) });
          o += 4;
        } else if (b(o) === 0x36) {
          members.push({ pointer: decodeType(t, pointerLayout, robust, depth + 1) });
          pointerLayout += 4;
          o++;
        } else if (b(o) === 0x5c) o++;
        else members.push(base(b(o++)));
      }
      out.members = members;
      return out;
    }
    default:
      return base(fc);
  }
}
