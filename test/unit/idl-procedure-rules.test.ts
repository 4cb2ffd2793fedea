// lib/idl/resolve-procedure.ts: the rules of MIDL procedures and their parameters, each
// expectation worked out by hand from Microsoft's documentation:
// - "Out-Only Unique or Full Pointer Parameters Not Accepted" (Microsoft RPC docs): an
//   [out]-only parameter is a [ref] pointer; [out, unique] and [out, ptr] are errors,
//   [in, out, unique] and [in, out, ptr] are fine;
// - the [in]/[out] pages: a parameter without a direction is [in]; [out] needs a pointer;
// - MIDL2003 "redefinition": a parameter of the same name already exists in the prototype;
// - handle_t ("explicit binding handle"): the first parameter, [in] only;
// - "Function return values ... can return any valid data type except ref pointers and
//   nonencapsulated unions" (memory management, MIDL): what winrpc cannot return yet is
//   'unsupported', not a syntax error;
// - [callback] and [local] procedures take no opnum ([MS-RPCE] 2.2.4.2);
// - [idempotent], [maybe], [broadcast]: the call semantics MIDL writes in the rpc flags.
// Positions are file:line:column, counted by hand (the body's first line is line 2); a
// parameter's is where its type starts, after its attributes.
import { describe, expect, it } from 'vitest';
import { parseIdl } from '../../lib/idl/index.js';
import { refusalOf } from '../support/idl-refusal.js';
import { HEAD, headWith, inInterfaceT, TEST_UUID } from './idl-body.js';

const parse = (body: string, head = HEAD) => {
  const m = parseIdl(inInterfaceT(body, head), { file: 'p.idl' });
  const iface = m.interfaces[0];
  if (!iface) throw new Error('no interface');
  return { iface, warnings: m.warnings };
};
const proc = (body: string, name = 'F') => {
  const p = parse(body).iface.procedures.find((x) => x.name === name);
  if (!p) throw new Error(`no procedure ${name}`);
  return p;
};
/** The refusal: thrown, or the one procedure it leaves unavailable. */
const errorOf = (body: string, head = HEAD) =>
  refusalOf(() => parseIdl(inInterfaceT(body, head), { file: 'p.idl' }));
const CTX = 'typedef [context_handle] void *CTX;';

describe('directions', () => {
  it('no direction is [in]; [out] alone is out; both are inout', () => {
    const p = proc('void F(long a, [in] long b, [out] long *c, [in, out] long *d, [out, in] long *e);');
    expect(p.params.map((x) => [x.name, x.direction])).toEqual([
      ['a', 'in'],
      ['b', 'in'],
      ['c', 'out'],
      ['d', 'inout'],
      ['e', 'inout'],
    ]);
  });

  it('[out] needs a pointer, [in, out] too; a context handle by value is no pointer', () => {
    expect(errorOf('void F([in, out] long n);').message).toBe(
      "p.idl:2:18: [out] parameter 'n' must be a pointer",
    );
    expect(errorOf(`${CTX}\nvoid F([out] CTX h);`).message).toBe(
      "p.idl:3:14: [out] parameter 'h' must be a pointer",
    );
  });
});

describe('[out]-only pointers are [ref] (Out-Only Unique or Full Pointer Parameters Not Accepted)', () => {
  it.each([
    ['[out, unique]', 'void F([out, unique] long *p);', "p.idl:2:22: [out] parameter 'p' cannot be [unique]"],
    ['[out, ptr]', 'void F([out, ptr] long *p);', "p.idl:2:19: [out] parameter 'p' cannot be [ptr]"],
    [
      '[out, ptr] on a sized pointer',
      'void F([in] long n, [out, ptr, size_is(n)] long *p);',
      "p.idl:2:44: [out] parameter 'p' cannot be [ptr]",
    ],
    [
      '[out] through a [unique] typedef',
      'typedef [unique] long *PUL;\nvoid F([out] PUL p);',
      "p.idl:3:14: [out] parameter 'p' cannot be [unique]",
    ],
    [
      '[out] through a [ptr] typedef',
      'typedef [ptr] long *PFL;\nvoid F([out] PFL p);',
      "p.idl:3:14: [out] parameter 'p' cannot be [ptr]",
    ],
  ])('%s is an error', (_what, body, message) => {
    expect(errorOf(body).message).toBe(message);
  });

  it('[in, out, unique], [in, out, ptr] and a plain typedef pointer under pointer_default(ptr) are fine', () => {
    const p = proc('void F([in, out, unique] long *u, [in, out, ptr] long *f);');
    expect(p.params.map((x) => x.type.kind === 'pointer' && x.type.pointer)).toEqual(['unique', 'ptr']);
    // A top-level pointer without an attribute is [ref], whatever pointer_default says.
    const head = headWith(`uuid(${TEST_UUID}), version(1.0), pointer_default(ptr)`);
    const q = parse('typedef long *PL;\nvoid F([out] PL p);', head).iface.procedures[0];
    expect(q?.params[0]?.type).toMatchObject({ kind: 'pointer', pointer: 'ref', alias: 'PL' });
  });
});

describe('parameter names', () => {
  it('a name used twice is an error (MIDL2003), at the second one', () => {
    expect(errorOf('void F([in] long a, [in] short a);').message).toBe(
      "p.idl:2:32: parameter 'a' of 'F' is declared twice",
    );
  });

  it('size_is and switch_is must name parameters', () => {
    expect(errorOf('void F([in, size_is(n)] long *p);').message).toBe(
      "p.idl:2:31: 'n' in a size/length attribute is not a parameter of 'F'",
    );
    expect(
      errorOf('typedef [switch_type(long)] union { [case(1)] long a; } U;\nvoid F([in, switch_is(k)] U *u);')
        .message,
    ).toBe("p.idl:3:30: 'k' in a size/length attribute is not a parameter of 'F'");
  });
});

describe('binding handles', () => {
  it('handle_t first is the binding handle and not a parameter', () => {
    const p = proc('void F([in] handle_t h, [in] long x);');
    expect(p.bindingHandle).toEqual({ name: 'h', index: 0 });
    expect(p.params.map((x) => x.name)).toEqual(['x']);
    expect(proc('void F([in] long x);').bindingHandle).toBeUndefined();
  });

  it.each([
    [
      'handle_t after the first parameter',
      'void F([in] long x, [in] handle_t h);',
      "p.idl:2:26: handle_t parameter 'h' that is not the first parameter is not supported yet",
      'unsupported',
    ],
    [
      'an [out] handle_t',
      'void F([out] handle_t h);',
      "p.idl:2:14: binding handle 'h' cannot be [out]",
      'syntax',
    ],
    [
      'an [in, out] handle_t',
      'void F([in, out] handle_t h);',
      "p.idl:2:18: binding handle 'h' cannot be [out]",
      'syntax',
    ],
    [
      'a pointer to handle_t',
      'void F([in] handle_t *h);',
      "p.idl:2:13: handle_t inside parameter 'h' is not supported yet",
      'unsupported',
    ],
    [
      'an array of handle_t',
      'void F([in] handle_t hs[2]);',
      "p.idl:2:13: handle_t inside parameter 'hs' is not supported yet",
      'unsupported',
    ],
    ['a void parameter', 'void F([in] void v);', "p.idl:2:13: parameter 'v' has type void", 'syntax'],
  ])('%s', (_what, body, message, kind) => {
    const e = errorOf(body);
    expect([e.message, e.kind]).toEqual([message, kind]);
  });

  it('the leftmost [in] parameter of a [handle] type binds (by value or through one pointer)', () => {
    const body = (params: string) => `typedef [handle] wchar_t *H;\nvoid F(${params});`;
    expect(proc(body('[out] H *o, [in] long x, [in] H *h, [in] H g')).genericBinding).toEqual({
      name: 'h',
      index: 2,
      typeName: 'H',
      viaPointer: true,
    });
    expect(
      proc(body('[out] H *o, [in] long x, [in] H *h, [in] H g')).params.map((x) => x.genericHandle),
    ).toEqual(['H', undefined, 'H', 'H']);
    // Two pointers deep it is data, not a handle; a handle_t binds instead of it.
    const deep = proc(body('[in] H **pp'));
    expect(deep.genericBinding).toBeUndefined();
    expect(deep.params[0]).not.toHaveProperty('genericHandle');
    expect(proc(body('[in] handle_t b, [in] H h')).genericBinding).toBeUndefined();
  });
});

describe('[strict_context_handle] on a parameter', () => {
  it('marks the context handle, through its pointer; anything else is an error', () => {
    const p = proc(
      `${CTX}\nvoid F([in, strict_context_handle] CTX h, [in, out, strict_context_handle] CTX *ph, [in] CTX n);`,
    );
    expect(p.params.map((x) => x.type)).toEqual([
      { kind: 'context_handle', alias: 'CTX', strict: true },
      { kind: 'pointer', pointer: 'ref', target: { kind: 'context_handle', alias: 'CTX', strict: true } },
      { kind: 'context_handle', alias: 'CTX' },
    ]);
    expect(errorOf('void F([in, strict_context_handle] long n);').message).toBe(
      'p.idl:2:36: [strict_context_handle] needs a context handle',
    );
  });
});

describe('return values', () => {
  it.each([
    ['a handle_t', 'handle_t F(void);', 'p.idl:2:10: handle_t return value is not supported yet'],
    [
      'an encapsulated union',
      'typedef union U switch (long k) { case 1: long a; } U;\nU F(void);',
      'p.idl:3:3: union return value is not supported yet',
    ],
    [
      'a pointer typedef',
      'typedef long *PL;\nPL F(void);',
      'p.idl:3:4: pointer return value is not supported yet',
    ],
    ['a pointer', 'long *F(void);', 'p.idl:2:7: pointer return value is not supported yet'],
    [
      'a struct',
      'typedef struct { long a; } S;\nS F(void);',
      'p.idl:3:3: struct return value is not supported yet',
    ],
  ])('%s is not supported yet (MIDL returns it)', (_what, body, message) => {
    const e = errorOf(body);
    expect([e.message, e.kind]).toEqual([message, 'unsupported']);
  });

  it('a struct or union declared but never defined is reported as such, not as a return rule', () => {
    expect(errorOf('struct N F(void);').message).toBe("p.idl:2:10: struct 'N' is declared but never defined");
  });

  it('a context handle, an enum and error_status_t are returned', () => {
    const { iface } = parse(
      `${CTX}\ntypedef enum { A } E;\nCTX Open(void);\nE Kind(void);\nerror_status_t Status(void);`,
    );
    expect(iface.procedures.map((p) => p.returnType)).toEqual([
      { kind: 'context_handle', alias: 'CTX' },
      { kind: 'named', name: 'E' },
      { kind: 'primitive', name: 'error_status_t' },
    ]);
  });
});

describe('procedures', () => {
  it('is resolved whole: name, opnum, return type, parameters with their positions, no ACF [async]', () => {
    // toStrictEqual: no key may be there with an undefined value (bindingHandle, rpcFlags...).
    expect(parse('void A(void);\nlong F([in] short a, [out] long *b);').iface.procedures[1]).toStrictEqual({
      name: 'F',
      opnum: 1,
      returnType: { kind: 'primitive', name: 'long' },
      params: [
        {
          name: 'a',
          direction: 'in',
          type: { kind: 'primitive', name: 'short' },
          loc: { file: 'p.idl', line: 3, column: 19 },
        },
        {
          name: 'b',
          direction: 'out',
          type: { kind: 'pointer', pointer: 'ref', target: { kind: 'primitive', name: 'long' } },
          loc: { file: 'p.idl', line: 3, column: 34 },
        },
      ],
      acfAsync: false,
      loc: { file: 'p.idl', line: 3, column: 6 },
    });
  });

  it('unknown attributes on a procedure or a parameter are errors', () => {
    expect(errorOf('[frobnicate] void F(void);').message).toBe(
      'p.idl:2:2: unknown attribute [frobnicate] on a procedure',
    );
    expect(errorOf('void F([frobnicate] long x);').message).toBe(
      'p.idl:2:9: unknown attribute [frobnicate] on a parameter',
    );
  });

  it('a struct defined in a parameter is named after the procedure and the parameter', () => {
    const { iface } = parse('void F([in] struct { long a; } *s);');
    expect(iface.types.F_s).toMatchObject({ kind: 'struct', fields: [{ name: 'a' }] });
    expect(iface.procedures[0]?.params[0]?.type).toEqual({
      kind: 'pointer',
      pointer: 'ref',
      target: { kind: 'named', name: 'F_s' },
    });
  });

  it('[strict_context_handle] on the interface marks every context handle, returned or passed', () => {
    const head = headWith(`uuid(${TEST_UUID}), version(1.0), strict_context_handle`);
    const { iface } = parse(`${CTX}\nCTX Open(void);\nvoid Use([in] CTX h, [in] long n);`, head);
    expect(iface.procedures.map((p) => [p.returnType, p.params[0]?.type])).toEqual([
      [{ kind: 'context_handle', alias: 'CTX', strict: true }, undefined],
      [{ kind: 'void' }, { kind: 'context_handle', alias: 'CTX', strict: true }],
    ]);
  });

  it('[callback] and [local] procedures are skipped with a warning and take no opnum', () => {
    const { iface, warnings } = parse(
      'void A(void);\n[callback] void B(void);\n[local] void C(void);\nvoid D(void);',
    );
    expect(iface.procedures.map((p) => [p.name, p.opnum])).toEqual([
      ['A', 0],
      ['D', 1],
    ]);
    expect(warnings.map((w) => [w.message, w.loc.line])).toEqual([
      ["skipped procedure 'B': a [callback] runs in the client", 3],
      ["skipped procedure 'C': a [local] procedure has no stubs", 4],
    ]);
  });

  it('call semantics: [idempotent], [maybe] and [broadcast] are recorded, none leaves no flags', () => {
    const { iface } = parse(
      '[idempotent] void A(void);\n[maybe] void B([in] long n);\n[broadcast, idempotent] void C(void);\nvoid D(void);',
    );
    expect(iface.procedures.map((p) => p.rpcFlags)).toEqual([
      { idempotent: true },
      { maybe: true },
      { idempotent: true, broadcast: true },
      undefined,
    ]);
    expect(iface.procedures[3]).not.toHaveProperty('rpcFlags');
  });

  it('a procedure defined twice is an error (MIDL2003)', () => {
    expect(errorOf('void F(void);\nvoid F([in] long n);').message).toBe(
      "p.idl:3:6: procedure 'F' is defined twice",
    );
  });
});

describe('a parameter without a name', () => {
  it('is valid MIDL ("the parameter-name identifier ... is optional"): only its procedure is refused', () => {
    const { iface, warnings } = parse('void F([in] long, [in] short b);\nvoid G([in] long a);');
    expect(iface.unavailable).toEqual([
      {
        name: 'F',
        opnum: 0,
        reason: "p.idl:2:13: a parameter without a name (1 of 'F') is not supported yet",
      },
    ]);
    expect(iface.procedures.map((p) => [p.name, p.opnum])).toEqual([['G', 1]]);
    expect(warnings.map((w) => w.message)).toEqual([
      "procedure 'F' (opnum 0) cannot be called: a parameter without a name (1 of 'F') is not supported yet",
    ]);
  });
});
