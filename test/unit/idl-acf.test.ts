// ACF attributes: applied ([strict_context_handle], [type_strict_context_handle]),
// recorded ([async], the binding-handle attributes) or refused with the ACF position.
import { describe, expect, it } from 'vitest';
import { IdlError, parseIdl } from '../../lib/idl/index.js';
import { compileIdl } from '../../lib/ndr/index.js';

const IDL = `[uuid(11111111-2222-3333-4444-555555555510), version(1.0), pointer_default(unique)]
interface T {
  typedef [context_handle] void *CTX;
  typedef [context_handle] void *OTHER;
  typedef struct S { long n; } S;
  void Open([out] CTX *h);
  long Use([in] CTX h, [in] OTHER o, [in] long n, [out] long *r);
  void Close([in, out] CTX *h);
}`;
const parse = (acf: string) => parseIdl(IDL, { file: 't.idl', acf, acfFile: 't.acf' }).interfaces[0];

describe('ACF', () => {
  it('records [async] per procedure (winrpc calls every procedure asynchronously anyway)', () => {
    const i = parse('interface T { [async] Use(); Close(); }');
    expect(i?.procedures.map((p) => [p.name, p.acfAsync])).toEqual([
      ['Open', false],
      ['Use', true],
      ['Close', false],
    ]);
  });

  it.each([
    ['[implicit_handle(handle_t hBinding)]', { kind: 'implicit_handle', name: 'hBinding' }],
    ['[auto_handle]', { kind: 'auto_handle' }],
    ['[explicit_handle]', { kind: 'explicit_handle' }],
  ])('records %s (winrpc always binds with an explicit handle)', (attr, expected) => {
    const i = parse(`${attr} interface T {}`);
    expect(i?.acfHandle).toEqual(expected);
    // The parameters and the binding slot do not change.
    expect(i?.procedures[1]?.params.map((p) => p.name)).toEqual(['h', 'o', 'n', 'r']);
  });

  it('[strict_context_handle] on the interface makes every context handle strict', () => {
    const i = parse('[strict_context_handle] interface T {}');
    expect(i?.procedures[0]?.params[0]?.type).toMatchObject({
      target: { kind: 'context_handle', strict: true },
    });
    expect(i?.procedures[1]?.params[1]?.type).toMatchObject({ kind: 'context_handle', strict: true });
  });

  it('[type_strict_context_handle] on an ACF typedef marks that type only', () => {
    const i = parse('typedef [type_strict_context_handle] CTX; interface T {}');
    expect(i?.procedures[0]?.params[0]?.type).toMatchObject({ target: { alias: 'CTX', typeStrict: true } });
    expect(i?.procedures[1]?.params[0]?.type).toMatchObject({ alias: 'CTX', typeStrict: true });
    expect(i?.procedures[1]?.params[1]?.type).not.toHaveProperty('typeStrict');
    // Inside the interface body too; serialization attributes are the server's business.
    const j = parse(
      'interface T { typedef [type_strict_context_handle, context_handle_noserialize] OTHER; }',
    );
    expect(j?.procedures[1]?.params[1]?.type).toMatchObject({ alias: 'OTHER', typeStrict: true });
  });

  it('accepts [represent_as]: the wire, and so the format strings, keep the transmitted type', () => {
    const idl = IDL.replace('void Open(', 'void Put([in] S *s, [out] S *t);\n  void Open(');
    const plain = compileIdl(idl, { file: 't.idl' })[0];
    const local = compileIdl(idl, {
      file: 't.idl',
      acf: 'typedef [represent_as(LOCAL_S)] S;',
      acfFile: 't.acf',
    })[0];
    expect(local?.procedures[0]?.name).toBe('Put');
    expect(local?.procFormat).toEqual(plain?.procFormat);
    expect(local?.typeFormat).toEqual(plain?.typeFormat);
  });

  it.each([
    [
      'represent_as without a local type',
      'typedef [represent_as] S;\ninterface T {}',
      't.acf:1:10',
      /\[represent_as\] takes one local type name/,
    ],
    [
      'allocate on a typedef',
      'typedef [allocate(all_nodes)] S;',
      't.acf:1:10',
      /\[allocate\] on type 'S' is not supported/,
    ],
    [
      'type_strict_context_handle on a struct',
      'typedef [type_strict_context_handle] S;',
      't.acf:1:10',
      /needs a context handle type/,
    ],
    [
      'a typedef of an unknown type',
      'typedef [context_handle_serialize] NOPE;',
      't.acf:1:36',
      /type 'NOPE', which the IDL does not define/,
    ],
    [
      'ignore on a parameter',
      'interface T {\n  Use([ignore] n);\n}',
      't.acf:2:8',
      /\[ignore\] on a parameter is not supported: it is an IDL attribute \(IDL: struct field\), not an ACF one/,
    ],
    [
      'comm_status on a parameter',
      'interface T { Use([comm_status] r); }',
      't.acf:1:20',
      /\[comm_status\] on a parameter is not supported: a communication failure rejects/,
    ],
    [
      'fault_status on a procedure',
      'interface T { [fault_status] Use(); }',
      't.acf:1:16',
      /\[fault_status\] on a procedure is not supported/,
    ],
    ['byte_count on a parameter', 'interface T { Use([byte_count(n)] r); }', 't.acf:1:20', /\[byte_count\]/],
    [
      'an unknown parameter',
      'interface T { Use(nope); }',
      't.acf:1:19',
      /parameter 'nope', which procedure 'Use' does not have/,
    ],
    [
      'encode on the interface',
      '[encode] interface T {}',
      't.acf:1:2',
      /\[encode\] on an interface is not supported: type\/procedure serialization/,
    ],
    [
      'enable_allocate on the interface',
      '[enable_allocate] interface T {}',
      't.acf:1:2',
      /\[enable_allocate\]/,
    ],
    ['an unknown procedure', 'interface T { Nope(); }', 't.acf:1:15', /procedure 'Nope'/],
  ])('refuses %s with the ACF position', (_what, acf, at, message) => {
    let err: unknown;
    try {
      parse(acf);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IdlError);
    expect((err as IdlError).message).toMatch(message);
    expect((err as IdlError).message.startsWith(`${at}:`)).toBe(true);
  });

  it('accepts code/nocode/optimize and named parameters without attributes', () => {
    expect(() => parse('[code, optimize("i")] interface T { [nocode] Open(); Use(h, n); }')).not.toThrow();
  });
});
