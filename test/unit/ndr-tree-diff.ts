// Lists every field where two decoded procedures (ndr-format-decode.ts) differ, with both
// values, so a known difference can be pinned exactly: the differential asserts the list
// itself, and any change to either side's bytes changes the list.
export interface FieldDiff {
  /** Where the field sits, e.g. `params[1].type.target.size.offset`. */
  path: string;
  /** winrpc's value (numbers as hex, absent fields as null). */
  ours: unknown;
  /** The other compiler's value. */
  theirs: unknown;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Numbers are format-string bytes and bit sets: hex reads as the bytes do. */
function show(v: unknown): unknown {
  if (typeof v === 'number') return `0x${v.toString(16)}`;
  if (v === undefined) return null;
  if (Array.isArray(v)) return v.map(show);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, show(x)]));
  return v;
}

export function diffTrees(ours: unknown, theirs: unknown, path = ''): FieldDiff[] {
  if (isObj(ours) && isObj(theirs)) {
    const keys = [...new Set([...Object.keys(ours), ...Object.keys(theirs)])];
    return keys.flatMap((k) => diffTrees(ours[k], theirs[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(ours) && Array.isArray(theirs)) {
    const out: FieldDiff[] = [];
    if (ours.length !== theirs.length)
      out.push({ path: `${path}.length`, ours: show(ours.length), theirs: show(theirs.length) });
    for (let i = 0; i < Math.min(ours.length, theirs.length); i++)
      out.push(...diffTrees(ours[i], theirs[i], `${path}[${i}]`));
    return out;
  }
  if (ours === theirs) return [];
  return [{ path, ours: show(ours), theirs: show(theirs) }];
}
