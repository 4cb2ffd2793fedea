// Compares two decoded procedures (ndr-midl-decode.ts) field by field and classifies every
// difference with one table of rules. Harmless: what the client's NDR engine does not act
// on or what changes nothing it does (buffer-size hints, server-only hints, correlation
// and range check data, the signedness of a base type of the same size, equivalent array
// encodings, and winrpc's documented call-site form: an explicit primitive handle slot).
// Everything else is meaningful: it changes the wire bytes, the client memory layout or
// what the engine does. A field no rule names is meaningful.
import type { Tree } from './ndr-midl-decode.js';

export type Verdict = 'harmless' | 'meaningful';
export interface Difference {
  path: string;
  midl: Tree | undefined;
  ours: Tree | undefined;
  verdict: Verdict;
  reason: string;
}

type Obj = { [key: string]: Tree };
const isObj = (v: Tree | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Base types that differ only in signedness: same size on the wire and in memory. */
const SIGN_PAIRS = [
  ['FC_SMALL', 'FC_USMALL'],
  ['FC_SHORT', 'FC_USHORT'],
  ['FC_LONG', 'FC_ULONG'],
  ['FC_INT3264', 'FC_UINT3264'],
];
const sameSizeBase = (a: Tree | undefined, b: Tree | undefined) =>
  a === b || SIGN_PAIRS.some((p) => p.includes(a as string) && p.includes(b as string));

/**
 * Struct encodings that describe the same wire bytes and memory, as [MIDL's, winrpc's].
 * Only the code is judged here: the struct's other fields (members with their offsets,
 * memory size, conformant array, pointer layout) are still compared one by one, so a
 * pair is harmless only when the members agree.
 * - bogus and forced bogus: the engine walks both member by member.
 * - MIDL forces some flat structs with an inner padding hole bogus (ms-drsr_c.c @1242,
 *   PROPERTY_META_DATA_EXT: FC_LONG FC_STRUCTPAD4 FC_HYPER ...; and every struct embedding
 *   one, @1522) where winrpc writes FC_STRUCT. MIDL itself writes FC_STRUCT for such a
 *   struct elsewhere (ms-lsar_x64.c @2042: FC_LONG FC_STRUCTPAD4, then LARGE_INTEGERs),
 *   so the engine reads both forms from MIDL's own output. winrpc writes FC_STRUCT only
 *   when memory and wire layouts agree (lib/ndr/classify.ts), so block copy and the member
 *   walk put the same members at the same offsets; only the hole's bytes (NDR alignment
 *   padding, which the receiver skips) can differ.
 * - MIDL 8.x has two forms of a [range] count in a conformant struct: FC_CSTRUCT with the
 *   count a plain FC_LONG and its range in the conformance descriptor (drsr.cpp of both
 *   DSInternals and Improsec, UPTODATE_VECTOR_V1_EXT), or a bogus struct with an embedded
 *   FC_RANGE (ms-drsr_c.c @548, the same struct). winrpc writes the second. The conformance
 *   leads the struct on the wire in both; the range is check data.
 */
const EQUIVALENT_STRUCTS: readonly (readonly [string, string])[] = [
  ['FC_BOGUS_STRUCT', 'FC_FORCED_BOGUS_STRUCT'],
  ['FC_FORCED_BOGUS_STRUCT', 'FC_BOGUS_STRUCT'],
  ['FC_FORCED_BOGUS_STRUCT', 'FC_STRUCT'],
  ['FC_CSTRUCT', 'FC_BOGUS_STRUCT'],
];

/** Array encodings that describe the same wire bytes and memory (small/large forms). */
const EQUIVALENT_ARRAYS = [
  ['FC_SMFARRAY', 'FC_LGFARRAY'],
  ['FC_SMVARRAY', 'FC_LGVARRAY'],
];

interface LeafRule {
  verdict: Verdict | ((midl: Tree | undefined, ours: Tree | undefined) => Verdict);
  reason: string;
}
/** A bit MIDL sets that winrpc must set too; winrpc setting it where MIDL does not is harmless. */
const needed = (midl: Tree | undefined, ours: Tree | undefined): Verdict =>
  midl === true && ours !== true ? 'meaningful' : 'harmless';

/** The one table: a field's name (the last segment of its path) -> its verdict. */
const LEAF_RULES: Record<string, LeafRule> = {
  clientBufferSize: { verdict: 'harmless', reason: 'client buffer-size hint' },
  serverBufferSize: { verdict: 'harmless', reason: 'server buffer-size hint' },
  ServerMustSize: { verdict: 'harmless', reason: 'server-only hint' },
  ServerAllocSize: { verdict: 'harmless', reason: 'server-only hint (stack allocation size)' },
  IsDontCallFreeInst: { verdict: 'harmless', reason: 'server-only hint' },
  rundown: { verdict: 'harmless', reason: 'rundown routine index (server-only)' },
  paramNum: { verdict: 'harmless', reason: "context handle's parameter number (server stub bookkeeping)" },
  HasRangeOnConformance: { verdict: 'harmless', reason: 'range check data' },
  clientCorrHint: { verdict: 'harmless', reason: 'correlation cache size hint' },
  serverCorrHint: { verdict: 'harmless', reason: 'correlation cache size hint' },
  rangeMin: { verdict: 'harmless', reason: 'range check data' },
  rangeMax: { verdict: 'harmless', reason: 'range check data' },
  UseNewInitRoutines: { verdict: 'harmless', reason: 'stub initialisation style' },
  // NDR_STRICT_CONTEXT_HANDLE: the server runtime refuses handles another interface made;
  // a client sends the same 20 bytes either way (ms-frs2_c.c @804, from an ACF MIDL read).
  Strict: { verdict: 'harmless', reason: 'strict context handle: checked by the server' },
  // MIDL's /rpcss switch ("memory management on" in the stub's header), not the IDL: [out]
  // memory from RpcSmAllocate. winrpc's stub descriptor supplies its own allocator, which
  // the engine must keep using (windowsshutdown_c.c).
  RpcSsAlloc: { verdict: 'harmless', reason: 'client allocator choice (MIDL /rpcss), not the IDL' },
  // The shipped form's async slot; that winrpc's side is in the mode asked for is checked
  // by callSiteForm.
  HasAsyncHandle: { verdict: 'harmless', reason: 'documented call-site form (async slot)' },
  // The robust correlation flags are compared bit by bit (Early, Split, IsIidIs and DontCheck
  // change what the engine does); only Ranged is check data: MIDL /target NT60 output
  // (ms-drsr_c.c) carries the count's range in the descriptor, winrpc's default NT51 form
  // checks it in JS (docs/internals.md).
  Ranged: { verdict: 'harmless', reason: 'range check data (MIDL /target NT60 form)' },
  SaveForAsyncFinish: { verdict: 'harmless', reason: 'documented call-site form (async slot)' },
  ClientMustSize: { verdict: needed, reason: 'sizing pass on the client' },
  MustSize: { verdict: needed, reason: 'sizing pass for this parameter' },
  MustFree: { verdict: needed, reason: 'freeing pass for this parameter' },
  struct: {
    verdict: (a, b) => (EQUIVALENT_STRUCTS.some(([m, o]) => m === a && o === b) ? 'harmless' : 'meaningful'),
    reason: 'struct encoding',
  },
  MaybeNullSizeIs: { verdict: 'harmless', reason: 'robust check data (a NULL sized pointer is allowed)' },
};
/** Every field under one of these is classified by it. */
const SUBTREE_RULES: Record<string, LeafRule> = {
  corrRange: { verdict: 'harmless', reason: 'correlation range check data' },
  handle: { verdict: 'harmless', reason: 'documented call-site form (explicit primitive handle slot)' },
};

/**
 * `mode`: how winrpc's side was compiled. 'shipped': async (slot 0, Oi2 HasAsyncHandle)
 * with the primitive handle in slot 1; 'sync': no async slot, the handle in slot 0.
 */
export function compareProcs(
  midl: Obj,
  ours: Obj,
  paramNames: readonly string[],
  mode: 'shipped' | 'sync' = 'sync',
): Difference[] {
  const out: Difference[] = [];
  const form = callSiteForm(midl, ours, mode);
  if (form) {
    out.push({ path: '.handle', midl: midl.handle, ours: ours.handle, verdict: 'meaningful', reason: form });
    walk(
      removeCallSiteSlots(midl),
      removeCallSiteSlots({ ...ours, handle: midl.handle ?? null }),
      [],
      out,
      paramNames,
    );
  } else walk(removeCallSiteSlots(midl), removeCallSiteSlots(ours), [], out, paramNames);
  return out;
}

/**
 * winrpc's documented call-site form: HasAsyncHandle as the mode says, and where its handle
 * differs from MIDL's, one primitive handle with flags 0 in the slot after the async state
 * (8) when shipped, or first (0) when synchronous. A reason when not.
 */
function callSiteForm(midl: Obj, ours: Obj, mode: 'shipped' | 'sync'): string | undefined {
  const oi2 = ours.oi2;
  const async = isObj(oi2) && oi2.HasAsyncHandle === true;
  if (async !== (mode === 'shipped')) return `Oi2 HasAsyncHandle is ${async} in the ${mode} form`;
  if (JSON.stringify(midl.handle) === JSON.stringify(ours.handle)) return undefined;
  const h = ours.handle;
  const slot = async ? 8 : 0;
  if (isObj(h) && h.kind === 'FC_BIND_PRIMITIVE' && h.flags === 0 && h.stackOffset === slot) return undefined;
  return `not winrpc's call-site form (FC_BIND_PRIMITIVE, flags 0, at stack offset ${slot})`;
}

/**
 * Argument slots with no parameter descriptor are the call site's business: an explicit
 * primitive handle (winrpc always passes one, its documented call-site form, where MIDL
 * may bind implicitly or through a context handle) and the PRPC_ASYNC_STATE of an [async]
 * procedure. They are taken out of the stack offsets, the stack size and the float mask
 * (and out of parameter correlations, which name stack offsets) before comparing; the
 * handle description itself is compared under `handle`.
 */
function removeCallSiteSlots(proc: Obj): Obj {
  let out = proc;
  const handle = proc.handle;
  if (isObj(handle) && handle.kind === 'FC_BIND_PRIMITIVE')
    out = removeSlot(out, handle.stackOffset as number);
  const oi2 = proc.oi2;
  if (isObj(oi2) && oi2.HasAsyncHandle === true) out = removeSlot(out, 0);
  return out;
}

/** Correlation descriptor kinds whose offset is a stack offset (a parameter's slot). */
const PARAMETER_CORRELATION = 0x20;
/** A correlation computed by an expression routine: its offset is the routine's index. */
const FC_CALLBACK = 0x59;

function removeSlot(proc: Obj, slot: number): Obj {
  const params = (proc.params as Obj[]).map((p) => {
    const off = p.stackOffset as number;
    return shiftParameterCorrelations(off > slot ? { ...p, stackOffset: off - 8 } : p, slot) as Obj;
  });
  const ext = proc.ext as Obj;
  const mask = ext.floatDoubleMask;
  const index = slot / 8;
  const low = (1 << (index * 2)) - 1;
  return {
    ...proc,
    stackSize: (proc.stackSize as number) - 8,
    params,
    ext:
      typeof mask === 'number'
        ? { ...ext, floatDoubleMask: (mask & low) | ((mask >> ((index + 1) * 2)) << (index * 2)) }
        : ext,
  };
}

/** A parameter correlation names a stack offset, which moves with the slots around it. */
function shiftParameterCorrelations(node: Tree, slot: number): Tree {
  if (Array.isArray(node)) return node.map((n) => shiftParameterCorrelations(n, slot));
  if (!isObj(node)) return node;
  const out: Obj = {};
  for (const [key, value] of Object.entries(node)) out[key] = shiftParameterCorrelations(value, slot);
  if (
    out.corrKind === PARAMETER_CORRELATION &&
    out.corrOp !== FC_CALLBACK &&
    typeof out.corrOffset === 'number' &&
    out.corrOffset > slot
  )
    out.corrOffset -= 8;
  return out;
}

function walk(
  a: Tree | undefined,
  b: Tree | undefined,
  path: string[],
  out: Difference[],
  names: readonly string[],
) {
  const at = path.join('');
  const subtree = path.map((s) => s.replace(/^\./, '')).find((s) => SUBTREE_RULES[s]);
  if (subtree) {
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      const rule = SUBTREE_RULES[subtree] as LeafRule;
      out.push({ path: at, midl: a, ours: b, verdict: verdictOf(rule, a, b), reason: rule.reason });
    }
    return;
  }
  if (isObj(a) && isObj(b)) {
    if (nodeRule(a, b, path, out, names)) return;
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      walk(a[key], b[key], [...path, `.${key}`], out, names);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const isParams = path.length === 1 && path[0] === '.params';
    if (a.length !== b.length)
      out.push({
        path: `${at}.length`,
        midl: a.length,
        ours: b.length,
        verdict: 'meaningful',
        reason: isParams ? 'number of parameter descriptors' : 'number of entries',
      });
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const label = isParams ? `[${i} ${names[i] ?? 'return'}]` : `[${i}]`;
      walk(a[i], b[i], [...path, label], out, names);
    }
    return;
  }
  if (a === b) return;
  if (typeof a === 'string' && typeof b === 'string' && sameSizeBase(a, b)) {
    out.push({ path: at, midl: a, ours: b, verdict: 'harmless', reason: 'base type signedness (same size)' });
    return;
  }
  const key = (path[path.length - 1] ?? '').replace(/^\./, '');
  const rule = LEAF_RULES[key];
  out.push({
    path: at,
    midl: a,
    ours: b,
    verdict: rule ? verdictOf(rule, a, b) : 'meaningful',
    reason: rule?.reason ?? `'${key}' differs`,
  });
}

function verdictOf(rule: LeafRule, a: Tree | undefined, b: Tree | undefined): Verdict {
  return typeof rule.verdict === 'function' ? rule.verdict(a, b) : rule.verdict;
}

/** Whole-node rules: true when the node was classified here (its fields are not walked). */
function nodeRule(a: Obj, b: Obj, path: string[], out: Difference[], names: readonly string[]): boolean {
  const at = path.join('');
  const push = (verdict: Verdict, reason: string) =>
    out.push({ path: at, midl: a, ours: b, verdict, reason });
  // Base types of the same size that differ in signedness only.
  if ('base' in a && 'base' in b && Object.keys(a).length === 1 && Object.keys(b).length === 1) {
    if (a.base !== b.base)
      push(sameSizeBase(a.base, b.base) ? 'harmless' : 'meaningful', 'base type (FC code) differs');
    return true;
  }
  // A [range] struct member: MIDL's plain base type (the range checked through the
  // conformance it sizes, drsr.cpp) vs an embedded FC_RANGE (ms-drsr_c.c @556, winrpc's
  // form). The same bytes on the wire and in memory; the base type must still agree.
  const rangeMember = (x: Obj, y: Obj) =>
    Object.keys(x).length === 1 &&
    'base' in x &&
    Object.keys(y).length === 1 &&
    isObj(y.embedded) &&
    'range' in y.embedded;
  if (rangeMember(a, b) || rangeMember(b, a)) {
    const base = (n: Obj) => (isObj(n.embedded) ? n.embedded.range : n.base) as Tree;
    push(
      sameSizeBase(base(a), base(b)) ? 'harmless' : 'meaningful',
      '[range] struct member: base type vs embedded FC_RANGE (check data)',
    );
    return true;
  }
  // [range] on one side only: the range is check data, the base type must still agree.
  if (('range' in a && 'base' in b) || ('base' in a && 'range' in b)) {
    const base = (n: Obj) => (n.range ?? n.base) as Tree;
    push(
      sameSizeBase(base(a), base(b)) ? 'harmless' : 'meaningful',
      'FC_RANGE (check data) on one side only',
    );
    return true;
  }
  // A conformant array of elements MIDL forces bogus (FC_BOGUS_ARRAY) vs winrpc's
  // FC_CARRAY of block-copyable ones (ms-drsr_c.c @1260, of PROPERTY_META_DATA_EXT).
  // Both are the count, then the elements one after another at the element's size;
  // the sizing, alignment and elements themselves are still compared.
  if (a.array === 'FC_BOGUS_ARRAY' && b.array === CARRAY && bogusAsConformant(a, b)) {
    push('harmless', 'equivalent conformant array encoding (FC_BOGUS_ARRAY vs FC_CARRAY)');
    for (const key of ['align', 'sizeIs', 'element']) walk(a[key], b[key], [...path, `.${key}`], out, names);
    return true;
  }
  // Equivalent array encodings: compare what they describe.
  if ('array' in a && 'array' in b && a.array !== b.array) {
    const pair = EQUIVALENT_ARRAYS.find(
      (p) => p.includes(a.array as string) && p.includes(b.array as string),
    );
    if (!pair) {
      push('meaningful', 'array encoding differs');
      return true;
    }
    push('harmless', 'equivalent array encoding');
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      if (key !== 'array') walk(a[key], b[key], [...path, `.${key}`], out, names);
    return true;
  }
  // Both computed by expression routines: MIDL's are C code in its stub (not comparable
  // here), so only the routine's index differs, and that is a table position.
  if (a.corrOp === FC_CALLBACK && b.corrOp === FC_CALLBACK && a.corrOffset !== b.corrOffset) {
    out.push({
      path: `${at}.corrOffset`,
      midl: a.corrOffset,
      ours: b.corrOffset,
      verdict: 'harmless',
      reason: 'expression routine index',
    });
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      if (key !== 'corrOffset') walk(a[key], b[key], [...path, `.${key}`], out, names);
    return true;
  }
  // A different kind of descriptor altogether (pointer vs struct, struct kinds, ...).
  for (const kind of [
    'pointer',
    'struct',
    'union',
    'string',
    'context',
    'undecoded',
    'userMarshal',
    'pipe',
  ]) {
    if (kind in a !== kind in b) {
      push('meaningful', 'a different kind of type descriptor');
      return true;
    }
  }
  return false;
}

/** The decoder's name for FC_CARRAY (it names base types only). */
const CARRAY = 'FC_0x1b';

/**
 * MIDL's FC_BOGUS_ARRAY describes what winrpc's FC_CARRAY does: conformant only (no
 * fixed count, no length_is), nothing but the element after the sizing on either side,
 * and winrpc's element size is the memory size of MIDL's element.
 */
function bogusAsConformant(midl: Obj, ours: Obj): boolean {
  const keys = (n: Obj, expected: string[]) =>
    Object.keys(n).every((k) => expected.includes(k)) && expected.every((k) => k in n);
  const element = midl.element;
  return (
    keys(midl, ['array', 'align', 'elementCount', 'sizeIs', 'lengthIs', 'element']) &&
    keys(ours, ['array', 'align', 'elementSize', 'sizeIs', 'element']) &&
    midl.elementCount === 0 &&
    midl.lengthIs === null &&
    midl.sizeIs !== null &&
    isObj(element) &&
    'struct' in element &&
    element.memorySize === ours.elementSize
  );
}

/** One line per difference, for test failure messages and the report. */
export function formatDifference(proc: string, d: Difference): string {
  const show = (v: Tree | undefined) => (v === undefined ? '(absent)' : JSON.stringify(v));
  const cut = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}…` : s);
  return `${proc}${d.path}: ${d.reason} — MIDL ${cut(show(d.midl))} vs winrpc ${cut(show(d.ours))}`;
}
