// winrpc ships every procedure in one form (async, an explicit primitive handle, robust
// correlation descriptors) because one generic call site drives them all. widl writes
// synchronous, implicitly bound, non-robust descriptors. To compare the shipped bytes with
// widl's, the call-site parts are taken out here, and each part is first checked against
// the rule it stands for, so nothing is dropped unchecked:
// - slot 0 is the PRPC_ASYNC_STATE: Oi2 HasAsyncHandle is set, no parameter uses the slot;
// - slot 1 is the binding: FC_BIND_PRIMITIVE, flags 0, stack offset 8;
// - robust descriptors (extension HasNewCorrDesc) carry correlation flags: a correlation on
//   a parameter is early exactly when its operand's slot comes before the parameter's
//   (the operand is unmarshalled first), a constant one is always early, and no other flag
//   (split, iid_is, don't check, ranged) is set; ClientCorrCheck/ServerCorrCheck and their
//   cache hints count the [out]/[in] parameters whose descriptors hold a correlation.
// Field correlations' early flags are checked against MIDL's bytes (ndr-midl-diff).
import type { DecodedParam, DecodedProc } from './ndr-format-decode.js';

interface Corr {
  type: number;
  op: number;
  offset: number;
  flags?: number;
}
const KIND = { TOP_LEVEL: 0x20, CONSTANT: 0x40 } as const;
const FC_CALLBACK = 0x59;
const CORR_EARLY = 0x01;
const OI2_HAS_ASYNC_HANDLE = 0x80;
const EXT_NEW_CORR_DESC = 0x01;
const EXT_CLIENT_CORR_CHECK = 0x02;
const EXT_SERVER_CORR_CHECK = 0x04;
const PARAM_IS_IN = 0x08;
const PARAM_IS_OUT = 0x10;

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCorr = (v: unknown): v is Corr =>
  isObj(v) && typeof v.type === 'number' && typeof v.op === 'number' && typeof v.offset === 'number';

/** Rebuilds a tree, applying `f` to every correlation descriptor in it. */
function mapCorrelations(node: unknown, f: (c: Corr) => Corr): unknown {
  if (Array.isArray(node)) return node.map((n) => mapCorrelations(n, f));
  if (!isObj(node)) return node;
  const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, mapCorrelations(v, f)]));
  return isCorr(out) ? f(out) : out;
}

function correlations(node: unknown): Corr[] {
  const found: Corr[] = [];
  mapCorrelations(node, (c) => {
    found.push(c);
    return c;
  });
  return found;
}

/** Takes an argument slot without a descriptor out of the offsets that name slots. */
export function removeSlot(d: DecodedProc, slot: number): DecodedProc {
  const index = slot / 8;
  const shift = (c: Corr): Corr =>
    (c.type & 0xf0) === KIND.TOP_LEVEL && c.op !== FC_CALLBACK && c.offset > slot
      ? { ...c, offset: c.offset - 8 }
      : c;
  const params: DecodedParam[] = d.params.map((p) => {
    if (p.stackOffset === slot) throw new Error(`slot ${slot} holds a parameter`);
    return {
      ...p,
      stackOffset: p.stackOffset > slot ? p.stackOffset - 8 : p.stackOffset,
      type: mapCorrelations(p.type, shift),
    };
  });
  const mask = d.ext.floatMask;
  const low = (1 << (index * 2)) - 1;
  return {
    ...d,
    stackSize: d.stackSize - 8,
    params,
    ext: { ...d.ext, floatMask: (mask & low) | ((mask >> ((index + 1) * 2)) << (index * 2)) },
  };
}

/** The handle description is compared in widl's own mode; here only the slot goes. */
function withoutHandle(d: DecodedProc): DecodedProc {
  const { handleType: _t, explicitHandle, ...rest } = d;
  const out = rest as DecodedProc;
  return explicitHandle?.kind === 0x32 ? removeSlot(out, explicitHandle.offset) : out;
}

/**
 * widl's procedure with its handle description and handle_t slot taken out. widl 7 also
 * lists an explicit handle_t as an [in] FC_LONG parameter on that slot (WINDOWS-LANE.md;
 * widl-differences.json pins it in widl's own mode); that descriptor goes with the slot.
 */
export function widlWithoutHandle(d: DecodedProc): DecodedProc {
  const h = d.explicitHandle;
  if (h?.kind !== 0x32) return withoutHandle(d);
  const onSlot = (p: DecodedParam) => p.stackOffset === h.offset && p.flags === 0x48 && p.type === 'fc:8';
  return withoutHandle({ ...d, params: d.params.filter((p) => !onSlot(p)) });
}

/** Checks the shipped call-site parts of `d` (throws naming the rule) and takes them out. */
export function shippedAsWidlMode(d: DecodedProc): DecodedProc {
  const fail = (what: string) => {
    throw new Error(`shipped form: ${what}`);
  };
  if (!(d.oi2 & OI2_HAS_ASYNC_HANDLE)) fail('Oi2 HasAsyncHandle is clear');
  const h = d.explicitHandle;
  if (d.handleType !== 0 || h?.kind !== 0x32 || h.flags !== 0 || h.offset !== 8)
    fail(`binding is not FC_BIND_PRIMITIVE at slot 1: ${JSON.stringify({ type: d.handleType, h })}`);
  if (!(d.ext.flags2 & EXT_NEW_CORR_DESC)) fail('extension HasNewCorrDesc is clear');

  let inCorrelated = 0;
  let outCorrelated = 0;
  for (const [i, p] of d.params.entries()) {
    const found = correlations(p.type);
    if (found.length > 0 && p.flags & PARAM_IS_IN) inCorrelated++;
    if (found.length > 0 && p.flags & PARAM_IS_OUT) outCorrelated++;
    for (const c of found) {
      const flags = c.flags;
      if (flags === undefined) fail(`parameter ${i}: a correlation without robust flags`);
      if ((flags as number) & ~CORR_EARLY) fail(`parameter ${i}: correlation flags 0x${flags?.toString(16)}`);
      const early = ((flags as number) & CORR_EARLY) !== 0;
      const kind = c.type & 0xf0;
      if (kind === KIND.CONSTANT && !early) fail(`parameter ${i}: a constant correlation is not early`);
      if (kind === KIND.TOP_LEVEL && c.op !== FC_CALLBACK && early !== c.offset < p.stackOffset)
        fail(
          `parameter ${i} at ${p.stackOffset}: early is ${early} for an operand at ${c.offset}` +
            ` (early exactly when the operand's slot comes first)`,
        );
    }
  }
  const checks = [
    [EXT_CLIENT_CORR_CHECK, outCorrelated, d.ext.clientCorrHint, 'ClientCorrCheck', '[out]'],
    [EXT_SERVER_CORR_CHECK, inCorrelated, d.ext.serverCorrHint, 'ServerCorrCheck', '[in]'],
  ] as const;
  for (const [bit, count, hint, name, dir] of checks) {
    if (((d.ext.flags2 & bit) !== 0) !== count > 0 || hint !== count)
      fail(
        `${name} 0x${(d.ext.flags2 & bit).toString(16)}, hint ${hint}: ${count} ${dir} parameters correlate`,
      );
  }

  const stripped: DecodedProc = {
    ...d,
    oi2: d.oi2 & ~OI2_HAS_ASYNC_HANDLE,
    ext: {
      ...d.ext,
      flags2: d.ext.flags2 & ~(EXT_NEW_CORR_DESC | EXT_CLIENT_CORR_CHECK | EXT_SERVER_CORR_CHECK),
      clientCorrHint: 0,
      serverCorrHint: 0,
    },
    params: d.params.map((p) => ({
      ...p,
      type: mapCorrelations(p.type, ({ flags: _f, ...c }) => c),
    })),
  };
  return removeSlot(withoutHandle(stripped), 0);
}
