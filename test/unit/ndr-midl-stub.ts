// Reads the NDR 2.0 format strings out of a MIDL-generated client stub (x_c.c), for the
// MIDL differential. Only MIDL's *output* is read. MIDL writes each string as a C array
// initialiser of raw bytes, NdrFcShort(x) and NdrFcLong(x), with comments; every
// procedure starts after a `/* Procedure Name */` comment, and each interface's
// X_FormatStringOffsetTable lists its procedures' offsets in opnum order.
export interface MidlStub {
  procFormat: number[];
  typeFormat: number[];
  /** Procedure offset -> the name in the `/* Procedure Name *\/` comment before it. */
  procNames: Map<number, string>;
  /** Interface name -> its procedures' offsets in procFormat, in opnum order. */
  offsetTables: Map<string, number[]>;
}

export function parseMidlStub(c: string): MidlStub {
  const proc = formatString(c, '__MIDL_ProcFormatString');
  return {
    procFormat: proc.bytes,
    typeFormat: formatString(c, '__MIDL_TypeFormatString').bytes,
    procNames: proc.procedures,
    offsetTables: offsetTables(c),
  };
}

// Comments first, so that the numbers inside them are skipped.
const TOKEN =
  /\/\*([\s\S]*?)\*\/|NdrFcShort\(\s*(0x[0-9a-fA-F]+|\d+)\s*\)|NdrFcLong\(\s*(0x[0-9a-fA-F]+|\d+)\s*\)|\b(0x[0-9a-fA-F]+|\d+)\b/g;

function formatString(c: string, suffix: string): { bytes: number[]; procedures: Map<number, string> } {
  // The definition, not the extern declaration: `static const X_MIDL_..._STRING x__MIDL_... =`.
  const def = new RegExp(`\\w*${suffix}\\s*=\\s*\\{\\s*0\\s*,\\s*\\{`).exec(c);
  if (!def) throw new Error(`no ${suffix} definition in the stub`);
  const start = def.index + def[0].length;
  const end = c.indexOf('}', start);
  const body = c.slice(start, end);
  const bytes: number[] = [];
  const procedures = new Map<number, string>();
  for (const m of body.matchAll(TOKEN)) {
    if (m[1] !== undefined) {
      const name = /^\s*Procedure\s+(\w+)\s*$/.exec(m[1]);
      if (name) procedures.set(bytes.length, name[1] as string);
    } else if (m[2] !== undefined) {
      const v = Number(m[2]);
      bytes.push(v & 0xff, (v >> 8) & 0xff);
    } else if (m[3] !== undefined) {
      const v = Number(m[3]);
      bytes.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
    } else bytes.push(Number(m[4]) & 0xff);
  }
  return { bytes, procedures };
}

function offsetTables(c: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const m of c.matchAll(/(\w+)_FormatStringOffsetTable\[\]\s*=\s*\{([^}]*)\}/g)) {
    const entries = (m[2] as string).replace(/\/\*[\s\S]*?\*\//g, '').split(',');
    out.set(
      m[1] as string,
      entries
        .map((e) => e.trim())
        .filter((e) => e !== '')
        .map(Number),
    );
  }
  return out;
}
