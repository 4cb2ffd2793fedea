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

const copy = (t: Obj): Obj => structuredClone(t);
const verdicts = (a: Obj, b: Obj) =>
  compareProcs(a, b, []).map((d) => `${d.verdict}: ${d.path.split('.').pop()}`);

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

  it("a pointer's kind and a correlation's operator are meaningful; robust corr flags are not", () => {
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
    expect(verdicts(rprn, d)).toEqual(['harmless: corrFlags']);
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

  it('a struct member at another memory offset is meaningful', () => {
    const shutdown = midlProc('windowsshutdown', 'WsdrAbortShutdown');
    const b = copy(shutdown);
    const member = find(b, 'at');
    member.at = (member.at as number) + 4;
    expect(verdicts(shutdown, b)).toEqual(['meaningful: at']);
  });
});
