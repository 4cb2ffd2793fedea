// The classifier's rules, checked on real MIDL output: a procedure MIDL wrote (decoded
// from a fixture stub) against copies of itself with one field changed, the way winrpc's
// output could differ. Each rule must call its own kind of change harmless or meaningful.
import { describe, expect, it } from 'vitest';
import { compareProcs } from './ndr-midl-classify.js';
import { decodeMidlProc, type Tree } from './ndr-midl-decode.js';
import { loadMidlFixture } from './ndr-midl-fixtures.js';
import { parseMidlStub } from './ndr-midl-stub.js';

type Obj = { [key: string]: Tree };

function midlProc(fixture: string, name: string): Obj {
  const stub = parseMidlStub(loadMidlFixture(fixture).stub);
  const at = [...stub.procNames].find(([, n]) => n === name)?.[0];
  if (at === undefined) throw new Error(`${fixture} has no procedure ${name}`);
  return decodeMidlProc(stub.procFormat, at, stub.typeFormat).tree;
}

/** The first object in the tree that has `key` (depth first), to change a field in. */
function find(tree: Tree, key: string): Obj {
  const stack: Tree[] = [tree];
  while (stack.length) {
    const n = stack.pop() as Tree;
    if (typeof n !== 'object' || n === null) continue;
    if (!Array.isArray(n) && key in n) return n;
    stack.push(...(Array.isArray(n) ? [...n] : Object.values(n)).reverse());
  }
  throw new Error(`no '${key}' in the tree`);
}

/** The first object in the tree (depth first) that `test` accepts. */
function findWhere(tree: Tree, test: (n: Obj) => boolean): Obj {
  const stack: Tree[] = [tree];
  while (stack.length) {
    const n = stack.pop() as Tree;
    if (typeof n !== 'object' || n === null) continue;
    if (!Array.isArray(n) && test(n)) return n;
    stack.push(...(Array.isArray(n) ? [...n] : Object.values(n)).reverse());
  }
  throw new Error('no such node in the tree');
}

const copy = (t: Obj): Obj => structuredClone(t);
const verdicts = (a: Obj, b: Obj, mode: 'shipped' | 'sync' = 'sync') =>
  compareProcs(a, b, [], mode).map((d) => `${d.verdict}: ${d.path.split('.').pop()}`);

describe('MIDL differential rules, on MIDL trees with one field changed', () => {
  // LsarQueryInformationPolicy: a context handle, an enum, and a non-encapsulated union
  // (the ms_union case the issue names).
  const lsar = midlProc('ms-lsar', 'LsarQueryInformationPolicy');

  it('a procedure equals itself', () => {
    expect(compareProcs(lsar, copy(lsar), [])).toEqual([]);
  });

  it("the union arm table's alignment nibble is meaningful", () => {
    const b = copy(lsar);
    const union = find(b, 'armAlignment');
    union.armAlignment = (union.armAlignment as number) === 0 ? 8 : 0;
    expect(verdicts(lsar, b)).toEqual(['meaningful: armAlignment']);
  });

  it("the union's switch type is meaningful (FC_ENUM16 vs FC_LONG)", () => {
    expect(find(lsar, 'switchType').switchType).toBe('FC_ENUM16');
    const b = copy(lsar);
    find(b, 'switchType').switchType = 'FC_LONG';
    expect(verdicts(lsar, b)).toEqual(['meaningful: switchType']);
  });

  it('buffer-size hints and server-only hints are harmless', () => {
    const b = copy(lsar);
    b.clientBufferSize = (b.clientBufferSize as number) + 8;
    b.serverBufferSize = (b.serverBufferSize as number) + 8;
    const flags = find(b, 'ServerAllocSize');
    flags.ServerAllocSize = (flags.ServerAllocSize as number) + 1;
    expect(verdicts(lsar, b)).toEqual([
      'harmless: clientBufferSize',
      'harmless: serverBufferSize',
      'harmless: ServerAllocSize',
    ]);
  });

  it('signedness of a same-size base type is harmless; FC_BYTE vs FC_CHAR is not', () => {
    const rprn = midlProc('ms-rprn', 'RpcOpenPrinter');
    const signed = copy(rprn);
    const element = find(signed, 'base');
    const wasByte = element.base === 'FC_BYTE';
    element.base = 'FC_SHORT';
    const unsigned = copy(signed);
    find(unsigned, 'base').base = 'FC_USHORT';
    expect(verdicts(signed, unsigned).map((v) => v.split(':')[0])).toEqual(['harmless']);
    const char = copy(rprn);
    find(char, 'base').base = wasByte ? 'FC_CHAR' : 'FC_BYTE';
    expect(verdicts(rprn, char).map((v) => v.split(':')[0])).toEqual(['meaningful']);
    expect(verdicts(signed, char).map((v) => v.split(':')[0])).toEqual(['meaningful']);
  });

  it("a pointer's kind, a correlation's operator and its robust flags are meaningful; Ranged is check data", () => {
    const b = copy(lsar);
    find(b, 'pointer').pointer = 'FC_FP';
    expect(verdicts(lsar, b)).toEqual(['meaningful: pointer']);
    const rprn = midlProc('ms-rprn', 'RpcOpenPrinter');
    const c = copy(rprn);
    const corr = find(c, 'corrOp');
    corr.corrOp = 0x57; // FC_ADD_1
    expect(verdicts(rprn, c)).toEqual(['meaningful: corrOp']);
    const d = copy(rprn);
    (find(d, 'corrFlags').corrFlags as Obj).Early = !(find(d, 'corrFlags').corrFlags as Obj).Early;
    expect(verdicts(rprn, d)).toEqual(['meaningful: Early']);
    const e = copy(rprn);
    (find(e, 'corrFlags').corrFlags as Obj).DontCheck = true;
    expect(verdicts(rprn, e)).toEqual(['meaningful: DontCheck']);
    const f = copy(rprn);
    (find(f, 'corrFlags').corrFlags as Obj).Ranged = true;
    expect(verdicts(rprn, f)).toEqual(['harmless: Ranged']);
  });

  it('Oi flags, rpc flags and the correlation-check extension flags are meaningful', () => {
    const rprn = midlProc('ms-rprn', 'RpcOpenPrinter');
    const a = copy(rprn);
    (a.oiFlags as Obj).FullPtrUsed = !(a.oiFlags as Obj).FullPtrUsed;
    const b = copy(rprn);
    b.rpcFlags = (b.rpcFlags as number) ^ 1;
    const c = copy(rprn);
    ((c.ext as Obj).flags2 as Obj).ServerCorrCheck = !((c.ext as Obj).flags2 as Obj).ServerCorrCheck;
    expect([a, b, c].map((x) => verdicts(rprn, x))).toEqual([
      ['meaningful: FullPtrUsed'],
      ['meaningful: rpcFlags'],
      ['meaningful: ServerCorrCheck'],
    ]);
  });

  it("winrpc's explicit handle slot is the documented call-site form, nothing else moves", () => {
    // MIDL's RpcServerInterface binds implicitly; winrpc passes a primitive handle in slot 0.
    const midl = midlProc('rpc-backdoor', 'ExecuteWithToken');
    const ours = copy(midl);
    ours.handle = { kind: 'FC_BIND_PRIMITIVE', flags: 0, stackOffset: 0 };
    ours.stackSize = (ours.stackSize as number) + 8;
    for (const p of ours.params as Obj[]) p.stackOffset = (p.stackOffset as number) + 8;
    expect(verdicts(midl, ours)).toEqual(['harmless: handle']);
    // ... but a parameter in the wrong slot is not.
    (ours.params as Obj[])[1] = { ...((ours.params as Obj[])[1] as Obj), stackOffset: 0 };
    expect(verdicts(midl, ours)).toContain('meaningful: stackOffset');
  });

  it('the shipped form: async slot 0 and the handle at 8; a handle elsewhere or a lost async bit is meaningful', () => {
    const midl = midlProc('rpc-backdoor', 'ExecuteWithToken');
    const shipped = (handleAt: number, async: boolean) => {
      const ours = copy(midl);
      ours.handle = { kind: 'FC_BIND_PRIMITIVE', flags: 0, stackOffset: handleAt };
      (ours.oi2 as Obj).HasAsyncHandle = async;
      ours.stackSize = (ours.stackSize as number) + 16;
      for (const p of ours.params as Obj[]) p.stackOffset = (p.stackOffset as number) + 16;
      return ours;
    };
    expect(verdicts(midl, shipped(8, true), 'shipped')).toEqual([
      'harmless: handle',
      'harmless: HasAsyncHandle',
    ]);
    expect(verdicts(midl, shipped(0, true), 'shipped')).toContain('meaningful: handle');
    expect(verdicts(midl, shipped(8, false), 'shipped')).toContain('meaningful: handle');
    expect(verdicts(midl, shipped(8, true), 'sync')).toContain('meaningful: handle');
  });

  it('a struct member at another memory offset is meaningful', () => {
    const shutdown = midlProc('windowsshutdown', 'WsdrAbortShutdown');
    const b = copy(shutdown);
    const member = find(b, 'at');
    member.at = (member.at as number) + 4;
    expect(verdicts(shutdown, b)).toEqual(['meaningful: at']);
  });

  // IDL_DRSGetNCChanges as MIDL 8.01 wrote it for [MS-DRSR]'s IDL (ms-drsr_c.c): a [range]
  // count as an embedded FC_RANGE in a forced-bogus conformant struct (@548/@502), a struct
  // with a padding hole forced bogus (@1242) and a FC_BOGUS_ARRAY of it (@1260).
  const drsr = midlProc('ms-drsr', 'IDL_DRSGetNCChanges');
  const isObj = (v: Tree | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

  it("a [range] struct member: MIDL's plain base type vs an embedded FC_RANGE is harmless, another size is not", () => {
    // DSInternals' and Improsec's MIDL output (drsr.cpp) write the count as FC_LONG in a FC_CSTRUCT.
    const ranged = (n: Obj) => isObj(n.member) && isObj(n.member.embedded) && 'range' in n.member.embedded;
    const plain = copy(drsr);
    const member = findWhere(plain, ranged);
    member.member = { base: 'FC_LONG' };
    expect(verdicts(plain, drsr)).toEqual(['harmless: member']);
    const short = copy(drsr);
    findWhere(short, ranged).member = { base: 'FC_SHORT' };
    expect(verdicts(short, drsr)).toEqual(['meaningful: member']);
  });

  it('MIDL FC_FORCED_BOGUS_STRUCT vs FC_STRUCT is harmless while the members agree', () => {
    const holed = (n: Obj) => n.struct === 'FC_FORCED_BOGUS_STRUCT' && !('conformantArray' in n);
    const ours = copy(drsr);
    const struct = findWhere(ours, holed);
    struct.struct = 'FC_STRUCT';
    expect(verdicts(drsr, ours)).toEqual(['harmless: struct']);
    // A member at another offset still counts.
    const moved = (struct.members as Obj[])[1] as Obj;
    moved.at = (moved.at as number) + 4;
    expect(verdicts(drsr, ours)).toEqual(['harmless: struct', 'meaningful: at']);
    // The other way round (MIDL block-copies, winrpc walks) is not an equivalence this rule knows.
    expect(verdicts(ours, drsr)).toContain('meaningful: struct');
  });

  it("MIDL FC_CSTRUCT vs winrpc's FC_BOGUS_STRUCT is harmless; FC_CSTRUCT vs FC_STRUCT is not", () => {
    const conformant = (n: Obj) => n.struct === 'FC_FORCED_BOGUS_STRUCT' && 'conformantArray' in n;
    const midl = copy(drsr);
    findWhere(midl, conformant).struct = 'FC_CSTRUCT';
    const ours = copy(drsr);
    findWhere(ours, conformant).struct = 'FC_BOGUS_STRUCT';
    expect(verdicts(midl, ours)).toEqual(['harmless: struct']);
    findWhere(ours, (n) => n.struct === 'FC_BOGUS_STRUCT' && 'conformantArray' in n).struct = 'FC_STRUCT';
    expect(verdicts(midl, ours)).toEqual(['meaningful: struct']);
  });

  it("MIDL's FC_BOGUS_ARRAY of forced-bogus structs vs FC_CARRAY is harmless only for the same count and element size", () => {
    const bogus = (n: Obj) =>
      n.array === 'FC_BOGUS_ARRAY' && isObj(n.element) && n.element.struct === 'FC_FORCED_BOGUS_STRUCT';
    const carray = (element: Obj, size: number): Obj => ({
      array: 'FC_0x1b',
      align: 7,
      elementSize: size,
      sizeIs: findWhere(drsr, bogus).sizeIs as Tree,
      element: { ...element, struct: 'FC_STRUCT' },
    });
    const replace = (size: number) => {
      const ours = copy(drsr);
      const node = findWhere(ours, bogus);
      const element = node.element as Obj;
      expect(node.align).toBe(7);
      for (const key of Object.keys(node)) delete node[key];
      Object.assign(node, carray(element, size));
      return ours;
    };
    const size = (findWhere(drsr, bogus).element as Obj).memorySize as number;
    expect(size).toBe(40); // PROPERTY_META_DATA_EXT
    expect(verdicts(drsr, replace(size))).toEqual(['harmless: conformantArray', 'harmless: struct']);
    expect(verdicts(drsr, replace(size + 8))).toEqual(['meaningful: conformantArray']);
    // A varying array (length_is) is not a FC_CARRAY.
    const varying = copy(drsr);
    findWhere(varying, bogus).lengthIs = findWhere(drsr, bogus).sizeIs as Tree;
    expect(verdicts(varying, replace(size))).toEqual(['meaningful: conformantArray']);
  });
});
