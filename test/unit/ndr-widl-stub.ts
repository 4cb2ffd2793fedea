// Reads the format strings out of a widl-generated server stub (x_s.c), for the
// differential tests. Only widl's *output* is read; no widl code is involved.
export interface WidlFormats {
  procFormat: number[];
  typeFormat: number[];
  /** Procedure name -> offset in procFormat, from the FormatStringOffsetTable. */
  procOffsets: Record<string, number>;
}

export function parseWidlStub(c: string): WidlFormats {
  return {
    procFormat: formatBytes(c, '__MIDL_ProcFormatString'),
    typeFormat: formatBytes(c, '__MIDL_TypeFormatString'),
    procOffsets: offsetTable(c),
  };
}

function formatBytes(c: string, name: string): number[] {
  const start = c.indexOf(`${name} =`);
  if (start < 0) throw new Error(`no ${name} in stub`);
  const body = c.slice(start, c.indexOf('};', start)).replace(/\/\*[\s\S]*?\*\//g, '');
  const inner = body.slice(body.indexOf('{', body.indexOf('{') + 1) + 1);
  const out: number[] = [];
  for (const m of inner.matchAll(
    /NdrFcShort\((0x[0-9a-fA-F]+|\d+)\)|NdrFcLong\((0x[0-9a-fA-F]+|\d+)\)|(0x[0-9a-fA-F]+|\d+)/g,
  )) {
    if (m[1]) {
      const v = Number(m[1]);
      out.push(v & 0xff, (v >> 8) & 0xff);
    } else if (m[2]) {
      const v = Number(m[2]);
      out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
    } else out.push(Number(m[3]) & 0xff);
  }
  return out;
}

function offsetTable(c: string): Record<string, number> {
  const m = /_FormatStringOffsetTable\[\] =\s*\{([\s\S]*?)\};/.exec(c);
  if (!m) throw new Error('no FormatStringOffsetTable in stub');
  const out: Record<string, number> = {};
  for (const e of (m[1] as string).matchAll(/(\d+),?\s*\/\*\s*(\w+)\s*\*\//g))
    out[e[2] as string] = Number(e[1]);
  return out;
}
