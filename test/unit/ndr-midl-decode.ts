// Decodes an Oicf procedure (and every type it reaches) into a plain tree in which each
// field of the format strings has its own name, so that two compilers' output can be
// compared field by field and each difference classified by the field it is in
// (ndr-midl-classify.ts). Nothing is folded or dropped here: offsets become the trees they
// point at, flags become named bits, and every hint stays, because deciding what may
// differ is the classifier's job. Layouts follow Microsoft's "RPC NDR Format Strings"
// (Oi/Oi2 headers, the Win64 extension, parameter descriptors and type descriptors).
// Its tables are its own, written from those pages, not lib/ndr/fc.ts: an oracle that
// shared the emitter's constants would share their mistakes.
export type Tree = number | string | boolean | null | Tree[] | { [key: string]: Tree };

/** Names of the base type format characters (rpcndr.h). */
export const BASE_FC = new Map<number, string>([
  [0x01, 'FC_BYTE'],
  [0x02, 'FC_CHAR'],
  [0x03, 'FC_SMALL'],
  [0x04, 'FC_USMALL'],
  [0x05, 'FC_WCHAR'],
  [0x06, 'FC_SHORT'],
  [0x07, 'FC_USHORT'],
  [0x08, 'FC_LONG'],
  [0x09, 'FC_ULONG'],
  [0x0a, 'FC_FLOAT'],
  [0x0b, 'FC_HYPER'],
  [0x0c, 'FC_DOUBLE'],
  [0x0d, 'FC_ENUM16'],
  [0x0e, 'FC_ENUM32'],
  [0x0f, 'FC_IGNORE'],
  [0x10, 'FC_ERROR_STATUS_T'],
  [0xb8, 'FC_INT3264'],
  [0xb9, 'FC_UINT3264'],
]);

const bits = (value: number, names: Record<string, number>): { [key: string]: Tree } => {
  const out: { [key: string]: Tree } = {};
  let known = 0;
  for (const [name, bit] of Object.entries(names)) {
    out[name] = (value & bit) !== 0;
    known |= bit;
  }
  if (value & ~known) out.otherBits = value & ~known;
  return out;
};

const OI_FLAG_BITS = {
  FullPtrUsed: 0x01,
  RpcSsAlloc: 0x02,
  ObjectProc: 0x04,
  HasRpcFlags: 0x08,
  IgnoreObjectException: 0x10,
  HasCommOrFault: 0x20,
  UseNewInitRoutines: 0x40,
};
const OI2_BITS = {
  ServerMustSize: 0x01,
  ClientMustSize: 0x02,
  HasReturn: 0x04,
  HasPipes: 0x08,
  HasAsyncUuid: 0x20,
  HasExtensions: 0x40,
  HasAsyncHandle: 0x80,
};
const EXT_BITS = {
  HasNewCorrDesc: 0x01,
  ClientCorrCheck: 0x02,
  ServerCorrCheck: 0x04,
  HasNotify: 0x08,
  HasNotify2: 0x10,
  HasComplexReturn: 0x20,
  HasRangeOnConformance: 0x40,
  HasBigByValueParam: 0x80,
};
const PARAM_BITS = {
  MustSize: 0x0001,
  MustFree: 0x0002,
  IsPipe: 0x0004,
  IsIn: 0x0008,
  IsOut: 0x0010,
  IsReturn: 0x0020,
  IsBasetype: 0x0040,
  IsByValue: 0x0080,
  IsSimpleRef: 0x0100,
  IsDontCallFreeInst: 0x0200,
  SaveForAsyncFinish: 0x0400,
};
const POINTER_BITS = {
  AllocateAllNodes: 0x01,
  DontFree: 0x02,
  AllocedOnStack: 0x04,
  SimplePointer: 0x08,
  PointerDeref: 0x10,
  MaybeNullSizeIs: 0x20,
};
const CONTEXT_BITS = {
  CannotBeNull: 0x01,
  Serialize: 0x02,
  NoSerialize: 0x04,
  Strict: 0x08,
  IsReturn: 0x10,
  IsOut: 0x20,
  IsIn: 0x40,
  ViaPtr: 0x80,
};
const POINTER_FC = new Map<number, string>([
  [0x11, 'FC_RP'],
  [0x12, 'FC_UP'],
  [0x13, 'FC_OP'],
  [0x14, 'FC_FP'],
]);
const STRUCT_FC = new Map<number, string>([
  [0x15, 'FC_STRUCT'],
  [0x16, 'FC_PSTRUCT'],
  [0x17, 'FC_CSTRUCT'],
  [0x18, 'FC_CPSTRUCT'],
  [0x19, 'FC_CVSTRUCT'],
  [0x1a, 'FC_BOGUS_STRUCT'],
  [0xb1, 'FC_FORCED_BOGUS_STRUCT'],
]);
const CORR_FLAG_BITS = { Early: 0x01, Split: 0x02, IsIidIs: 0x04, DontCheck: 0x08, Ranged: 0x10 };

export interface ProcTree {
  opnum: number;
  /** Where the procedure's descriptors end in the proc format string. */
  end: number;
  tree: { [key: string]: Tree };
}

class Reader {
  constructor(readonly a: ArrayLike<number>) {}
  u8(o: number): number {
    const v = this.a[o];
    if (v === undefined) throw new RangeError(`format string read past its end at ${o}`);
    return v;
  }
  u16(o: number): number {
    return this.u8(o) | (this.u8(o + 1) << 8);
  }
  s16(o: number): number {
    return (this.u16(o) << 16) >> 16;
  }
  u32(o: number): number {
    return (this.u16(o) | (this.u16(o + 2) << 16)) >>> 0;
  }
}

/**
 * One procedure at `at`. `robust`: correlation descriptors are 6 bytes (flags follow),
 * as the extension's HasNewCorrDesc says; the decoder reads it from the procedure itself.
 */
export function decodeMidlProc(proc: ArrayLike<number>, at: number, types: ArrayLike<number>): ProcTree {
  const p = new Reader(proc);
  let o = at;
  const handleType = p.u8(o);
  const oiFlags = p.u8(o + 1);
  o += 2;
  let rpcFlags = 0;
  if (oiFlags & OI_FLAG_BITS.HasRpcFlags) {
    rpcFlags = p.u32(o);
    o += 4;
  }
  const opnum = p.u16(o);
  const stackSize = p.u16(o + 2);
  o += 4;
  let handle: { [key: string]: Tree } = { kind: handleType === 0 ? 'explicit' : fcName(handleType) };
  if (handleType === 0) {
    const kind = p.u8(o);
    if (kind === 0x32) {
      handle = { kind: 'FC_BIND_PRIMITIVE', flags: p.u8(o + 1), stackOffset: p.u16(o + 2) };
      o += 4;
    } else if (kind === 0x30) {
      handle = {
        kind: 'FC_BIND_CONTEXT',
        flags: bits(p.u8(o + 1), CONTEXT_BITS),
        stackOffset: p.u16(o + 2),
        rundown: p.u8(o + 4),
        paramNum: p.u8(o + 5),
      };
      o += 6;
    } else if (kind === 0x31) {
      handle = {
        kind: 'FC_BIND_GENERIC',
        flagAndSize: p.u8(o + 1),
        stackOffset: p.u16(o + 2),
        routine: p.u8(o + 4),
      };
      o += 6;
    } else throw new Error(`unknown explicit handle kind 0x${kind.toString(16)} at ${o}`);
  }
  const clientBufferSize = p.u16(o);
  const serverBufferSize = p.u16(o + 2);
  const oi2 = p.u8(o + 4);
  const count = p.u8(o + 5);
  o += 6;
  let ext: { [key: string]: Tree } = {};
  let robust = false;
  let rangeOnConformance = false;
  if (oi2 & OI2_BITS.HasExtensions) {
    const size = p.u8(o);
    const flags2 = p.u8(o + 1);
    robust = (flags2 & EXT_BITS.HasNewCorrDesc) !== 0;
    rangeOnConformance = (flags2 & EXT_BITS.HasRangeOnConformance) !== 0;
    ext = {
      size,
      flags2: bits(flags2, EXT_BITS),
      clientCorrHint: p.u16(o + 2),
      serverCorrHint: p.u16(o + 4),
      notifyIndex: p.u16(o + 6),
      ...(size >= 10 ? { floatDoubleMask: p.u16(o + 8) } : {}),
    };
    o += size;
  }
  const typeDecoder = new TypeDecoder(types, robust, rangeOnConformance);
  const params: Tree[] = [];
  for (let i = 0; i < count; i++, o += 6) {
    const flags = p.u16(o);
    const type: Tree =
      flags & PARAM_BITS.IsBasetype ? { base: fcName(p.u8(o + 4)) } : typeDecoder.at(p.u16(o + 4));
    params.push({
      flags: { ...bits(flags & 0x1fff, PARAM_BITS), ServerAllocSize: flags >> 13 },
      stackOffset: p.u16(o + 2),
      type,
    });
  }
  return {
    opnum,
    end: o,
    tree: {
      handle,
      oiFlags: bits(oiFlags, OI_FLAG_BITS),
      rpcFlags,
      opnum,
      stackSize,
      clientBufferSize,
      serverBufferSize,
      oi2: bits(oi2, OI2_BITS),
      ext,
      params,
    },
  };
}

export function fcName(fc: number): string {
  return BASE_FC.get(fc) ?? `FC_0x${fc.toString(16).padStart(2, '0')}`;
}

class TypeDecoder {
  private readonly t: Reader;
  /** Offsets being decoded (a recursive type refers back to one of them). */
  private readonly stack: number[] = [];

  constructor(
    types: ArrayLike<number>,
    private readonly robust: boolean,
    /** MIDL's /target NT60 form: every descriptor carries a range slot (16 bytes). */
    private readonly rangeOnConformance = false,
  ) {
    this.t = new Reader(types);
  }

  at(offset: number): Tree {
    const back = this.stack.lastIndexOf(offset);
    if (back >= 0) return { recursiveRef: this.stack.length - back };
    this.stack.push(offset);
    try {
      return this.decode(offset);
    } finally {
      this.stack.pop();
    }
  }

  private rel(o: number): Tree {
    return this.at(o + this.t.s16(o));
  }

  /** A correlation descriptor: [type, operator, offset] (+ robust flags, + a range). */
  private corr(o: number): { tree: Tree; size: number } {
    const t = this.t;
    const type = t.u8(o);
    const tree: { [key: string]: Tree } = {
      corrKind: type & 0xf0,
      corrType: fcName(type & 0x0f),
      corrOp: t.u8(o + 1),
      corrOffset: t.s16(o + 2),
    };
    if (!this.robust) return { tree, size: 4 };
    const flags = t.u16(o + 4);
    tree.corrFlags = bits(flags, CORR_FLAG_BITS);
    // NT60: flags, a ranged byte and a pad byte, then min and max, ranged or not
    // (ms-drsr_c.c @42: 0100 | 00 00 00000000 00000000).
    if (flags & CORR_FLAG_BITS.Ranged) tree.corrRange = { min: t.u32(o + 8), max: t.u32(o + 12) };
    return { tree, size: this.rangeOnConformance ? 16 : 6 };
  }

  /** A pointer layout (FC_PP ... FC_END) and where what follows it starts. */
  private pointerLayout(o: number): { tree: Tree; next: number } {
    const t = this.t;
    const entries: Tree[] = [];
    let p = o + 2;
    const instances = (q: number, n: number) => {
      const list: Tree[] = [];
      for (let i = 0; i < n; i++, q += 8)
        list.push({ memOffset: t.s16(q), bufOffset: t.s16(q + 2), pointer: this.decode(q + 4) });
      return { list, next: q };
    };
    while (t.u8(p) !== 0x5b) {
      const kind = t.u8(p);
      if (kind === 0x46) {
        entries.push({ repeat: 'none', ...(instances(p + 2, 1).list[0] as object) });
        p += 10;
      } else if (kind === 0x47 || kind === 0x48) {
        const fixed = kind === 0x47;
        const head = {
          repeat: fixed ? 'fixed' : t.u8(p + 1) === 0x49 ? 'variable-fixed-offset' : 'variable-offset',
          ...(fixed ? { iterations: t.u16(p + 2) } : {}),
        };
        const q = fixed ? p + 4 : p + 2;
        const n = t.u16(q + 4);
        const inst = instances(q + 6, n);
        entries.push({ ...head, increment: t.u16(q), offsetToArray: t.u16(q + 2), pointers: inst.list });
        p = inst.next;
      } else throw new Error(`unknown pointer layout entry 0x${kind.toString(16)} at ${p}`);
    }
    return { tree: entries, next: p + 1 };
  }

  /** An array element: an embedded complex type, an inline pointer or a base type. */
  private element(o: number): Tree {
    const t = this.t;
    const fc = t.u8(o);
    if (fc === 0x4c) return this.rel(o + 2);
    if (fc >= 0x11 && fc <= 0x14) return this.decode(o);
    if (fc === 0xb7) return this.decode(o);
    return { base: fcName(fc) };
  }

  private arms(o: number): Tree {
    const t = this.t;
    const memorySize = t.u16(o);
    const info = t.u16(o + 2);
    const n = info & 0x0fff;
    const arm = (q: number): Tree => {
      const v = t.u16(q);
      if (v === 0) return 'empty';
      if (v === 0xffff) return 'no default';
      if ((v & 0xff00) === 0x8000) return { base: fcName(v & 0xff) };
      return this.rel(q);
    };
    const list: Tree[] = [];
    for (let i = 0; i < n; i++) list.push({ case: t.u32(o + 4 + i * 6), type: arm(o + 8 + i * 6) });
    return { memorySize, armAlignment: info >> 12, arms: list, default: arm(o + 4 + n * 6) };
  }

  private decode(at: number): Tree {
    const t = this.t;
    const fc = t.u8(at);
    switch (fc) {
      case 0x11:
      case 0x12:
      case 0x13:
      case 0x14: {
        const flags = t.u8(at + 1);
        const name = POINTER_FC.get(fc) as string;
        const pointerFlags = bits(flags, POINTER_BITS);
        if (flags & POINTER_BITS.SimplePointer) {
          const target = t.u8(at + 2);
          return {
            pointer: name,
            pointerFlags,
            target:
              target === 0x22 || target === 0x25 ? { string: fcName(target) } : { base: fcName(target) },
          };
        }
        return { pointer: name, pointerFlags, target: this.rel(at + 2) };
      }
      case 0x22:
      case 0x25: {
        const sized = t.u8(at + 1) === 0x44;
        return sized ? { string: fcName(fc), sizeIs: this.corr(at + 2).tree } : { string: fcName(fc) };
      }
      case 0x26:
      case 0x29:
        return { string: fcName(fc), fixedCount: t.u16(at + 2) };
      case 0x1b:
      case 0x1c: {
        const size = this.corr(at + 4);
        let o = at + 4 + size.size;
        const out: { [key: string]: Tree } = {
          array: fcName(fc),
          align: t.u8(at + 1),
          elementSize: t.u16(at + 2),
          sizeIs: size.tree,
        };
        if (fc === 0x1c) {
          const length = this.corr(o);
          out.lengthIs = length.tree;
          o += length.size;
        }
        if (t.u8(o) === 0x4b) {
          const pl = this.pointerLayout(o);
          out.pointerLayout = pl.tree;
          o = pl.next;
        }
        out.element = this.element(o);
        return out;
      }
      case 0x1d:
      case 0x1e: {
        const large = fc === 0x1e;
        let o = at + (large ? 6 : 4);
        const out: { [key: string]: Tree } = {
          array: fcName(fc),
          align: t.u8(at + 1),
          totalSize: large ? t.u32(at + 2) : t.u16(at + 2),
        };
        if (t.u8(o) === 0x4b) {
          const pl = this.pointerLayout(o);
          out.pointerLayout = pl.tree;
          o = pl.next;
        }
        out.element = this.element(o);
        return out;
      }
      case 0x1f:
      case 0x20: {
        const large = fc === 0x20;
        let o = at + 2;
        const totalSize = large ? t.u32(o) : t.u16(o);
        o += large ? 4 : 2;
        const elementCount = large ? t.u32(o) : t.u16(o);
        o += large ? 4 : 2;
        const elementSize = t.u16(o);
        o += 2;
        const length = this.corr(o);
        o += length.size;
        const out: { [key: string]: Tree } = {
          array: fcName(fc),
          align: t.u8(at + 1),
          totalSize,
          elementCount,
          elementSize,
          lengthIs: length.tree,
        };
        if (t.u8(o) === 0x4b) {
          const pl = this.pointerLayout(o);
          out.pointerLayout = pl.tree;
          o = pl.next;
        }
        out.element = this.element(o);
        return out;
      }
      case 0x21: {
        let o = at + 4;
        const none = t.u32(o) === 0xffffffff;
        const size = this.corr(o);
        const sizeIs = none ? null : size.tree;
        o += size.size;
        const noLength = t.u32(o) === 0xffffffff;
        const length = this.corr(o);
        o += length.size;
        return {
          array: 'FC_BOGUS_ARRAY',
          align: t.u8(at + 1),
          elementCount: t.u16(at + 2),
          sizeIs,
          lengthIs: noLength ? null : length.tree,
          element: this.element(o),
        };
      }
      case 0x15:
      case 0x16:
      case 0x17:
      case 0x18:
      case 0x19:
      case 0x1a:
      case 0xb1:
        return this.struct(at);
      case 0xb5:
        return {
          pipe: 'FC_PIPE',
          pipeFlags: t.u8(at + 1),
          element: this.rel(at + 2),
          memorySize: t.u16(at + 4),
          wireSize: t.u16(at + 6),
        };
      case 0x2a:
        return {
          union: 'FC_ENCAPSULATED_UNION',
          switchType: fcName(t.u8(at + 1) & 0x0f),
          memoryIncrement: t.u8(at + 1) >> 4,
          ...(this.arms(at + 2) as object),
        };
      case 0x2b: {
        const switchIs = this.corr(at + 2);
        const armsAt = at + 2 + switchIs.size;
        return {
          union: 'FC_NON_ENCAPSULATED_UNION',
          switchType: fcName(t.u8(at + 1)),
          switchIs: switchIs.tree,
          ...(this.arms(armsAt + t.s16(armsAt)) as object),
        };
      }
      case 0x30:
        return {
          context: 'FC_BIND_CONTEXT',
          contextFlags: bits(t.u8(at + 1), CONTEXT_BITS),
          rundown: t.u8(at + 2),
          paramNum: t.u8(at + 3),
        };
      case 0xb7:
        return { range: fcName(t.u8(at + 1) & 0x0f), rangeMin: t.u32(at + 2), rangeMax: t.u32(at + 6) };
      case 0xb4:
        return {
          userMarshal: t.u8(at + 1),
          routine: t.u16(at + 2),
          memorySize: t.u16(at + 4),
          wireSize: t.u16(at + 6),
          wire: this.rel(at + 8),
        };
      case 0x2f:
        return { interfacePointer: t.u8(at + 1), bytes: hex(t, at + 2, 16) };
      default:
        if (BASE_FC.has(fc)) return { base: fcName(fc) };
        // A form this decoder does not know: compare its first bytes as they are.
        return { undecoded: fcName(fc), bytes: hex(t, at, 8) };
    }
  }

  private struct(start: number): Tree {
    const t = this.t;
    const fc = t.u8(start);
    const out: { [key: string]: Tree } = {
      struct: STRUCT_FC.get(fc) as string,
      align: t.u8(start + 1),
      memorySize: t.u16(start + 2),
    };
    let o = start + 4;
    let pointerLayoutAt = -1;
    if (fc === 0x17 || fc === 0x18 || fc === 0x19) {
      out.conformantArray = this.rel(o);
      o += 2;
    }
    if (fc === 0x1a || fc === 0xb1) {
      if (t.s16(o) !== 0) out.conformantArray = this.rel(o);
      if (t.s16(o + 2) !== 0) pointerLayoutAt = o + 2 + t.s16(o + 2);
      o += 4;
    }
    if ((fc === 0x16 || fc === 0x18 || fc === 0x19) && t.u8(o) === 0x4b) {
      const pl = this.pointerLayout(o);
      out.pointerLayout = pl.tree;
      o = pl.next;
    }
    // Members with the memory offset each starts at, computed from the layout marks
    // (alignment and padding), which are then left out: two encodings of one layout agree.
    const members: Tree[] = [];
    let at: number | null = 0;
    const place = (size: number | null, align: number, member: Tree) => {
      if (at !== null) at = (at + align - 1) & ~(align - 1);
      members.push({ at, member });
      at = at === null || size === null ? null : at + size;
    };
    while (t.u8(o) !== 0x5b) {
      const m = t.u8(o);
      if (m === 0x4c) {
        if (at !== null) at += t.u8(o + 1);
        const embedded = this.rel(o + 2);
        const size = memorySizeOf(embedded);
        place(size, 1, { embedded });
        o += 4;
      } else if (m === 0x36 && pointerLayoutAt >= 0) {
        place(8, 8, this.decode(pointerLayoutAt));
        pointerLayoutAt += 4;
        o++;
      } else if (m === 0x5c) o++;
      else if (m >= 0x37 && m <= 0x39) {
        const align = 1 << (m - 0x36);
        if (at !== null) at = (at + align - 1) & ~(align - 1);
        o++;
      } else if (m >= 0x3d && m <= 0x43) {
        if (at !== null) at += m - 0x3c;
        o++;
      } else if (m === 0xb7) {
        const range = this.decode(o);
        place(BASE_MEMORY_SIZE.get(t.u8(o + 1) & 0x0f) ?? null, 1, range);
        o += 10;
      } else {
        place(BASE_MEMORY_SIZE.get(m) ?? null, 1, { base: fcName(m) });
        o++;
      }
    }
    out.members = members;
    return out;
  }
}

/** Memory size of a base type on x64 (an enum is an int in memory, whatever its wire size). */
const BASE_MEMORY_SIZE = new Map<number, number>([
  [0x01, 1],
  [0x02, 1],
  [0x03, 1],
  [0x04, 1],
  [0x05, 2],
  [0x06, 2],
  [0x07, 2],
  [0x08, 4],
  [0x09, 4],
  [0x0a, 4],
  [0x0b, 8],
  [0x0c, 8],
  [0x0d, 4],
  [0x0e, 4],
  [0x10, 4],
  [0xb8, 8],
  [0xb9, 8],
]);

/** The same sizes by the names the decoded trees carry (an FC_RANGE names its base type). */
const BASE_MEMORY_SIZE_BY_NAME = new Map([...BASE_MEMORY_SIZE].map(([fc, size]) => [fcName(fc), size]));

/** The memory size a decoded embedded type takes in its struct, when the tree says. */
function memorySizeOf(node: Tree): number | null {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return null;
  // An embedded FC_RANGE (ms-drsr_c.c @556: 4c 00 -> b7 08) is its base type in memory.
  if (typeof node.range === 'string') return BASE_MEMORY_SIZE_BY_NAME.get(node.range) ?? null;
  if (typeof node.memorySize === 'number' && 'struct' in node) return node.memorySize;
  if (typeof node.totalSize === 'number') return node.totalSize;
  return null;
}

function hex(t: Reader, at: number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    try {
      out.push(
        t
          .u8(at + i)
          .toString(16)
          .padStart(2, '0'),
      );
    } catch {
      break;
    }
  }
  return out.join('');
}
