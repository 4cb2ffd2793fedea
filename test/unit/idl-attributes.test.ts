// The attribute table (lib/idl/attributes.ts) as the IDL and ACF readers apply it.
import { describe, expect, it } from 'vitest';
import { ATTRIBUTES, type AttrPlace } from '../../lib/idl/attributes.js';
import { parseIdl } from '../../lib/idl/index.js';
import { type Refusal, refusalOf } from '../support/idl-refusal.js';
import { headWith, inInterfaceT, TEST_UUID } from './idl-body.js';

const wrap = (body: string, attrs = `uuid(${TEST_UUID})`) => inInterfaceT(body, headWith(attrs));

/** The refusal: thrown, or the one procedure it leaves unavailable. */
function errorOf(text: string, acf?: string): Refusal {
  return refusalOf(() =>
    parseIdl(text, { file: 'x.idl', ...(acf !== undefined ? { acf, acfFile: 'x.acf' } : {}) }),
  );
}

describe('the attribute table', () => {
  it('gives every attribute a place and a reason for what winrpc does not read', () => {
    for (const [name, rule] of Object.entries(ATTRIBUTES)) {
      const supports = [...Object.values(rule.idl ?? {}), ...Object.values(rule.acf ?? {})];
      expect([name, supports.length > 0]).toEqual([name, true]);
      for (const s of supports) if (s.kind === 'ignored' || s.kind === 'skips') expect(s.why).not.toBe('');
    }
    // Skipping is something the resolver does to interfaces and procedures only.
    const skipPlaces = new Set<AttrPlace>();
    for (const rule of Object.values(ATTRIBUTES))
      for (const [place, s] of Object.entries(rule.idl ?? {}))
        if (s.kind === 'skips') skipPlaces.add(place as AttrPlace);
    expect([...skipPlaces].sort()).toEqual(['interface', 'procedure']);
  });

  it.each([
    [
      'an unknown attribute',
      wrap('typedef [frobnicate] long L;'),
      /x\.idl:2:10: unknown attribute \[frobnicate\] on a typedef/,
      'syntax',
    ],
    [
      'a misplaced one',
      wrap('typedef struct S { [in] long a; } S;'),
      /x\.idl:2:21: attribute \[in\] does not belong on a struct field \(IDL: parameter\)/,
      'syntax',
    ],
    [
      'one MIDL allows there that winrpc does not read',
      wrap('void F([in, iid_is(r)] long *p, [in] long r);'),
      /x\.idl:2:13: attribute \[iid_is\] on a parameter is not supported: interface pointers/,
      'unsupported',
    ],
    [
      'a pointer attribute on a procedure (its return value)',
      wrap('[unique] long F(void);'),
      /x\.idl:2:2: attribute \[unique\] on a procedure is not supported: a procedure cannot return a pointer in winrpc/,
      'unsupported',
    ],
  ])('refuses %s at its position', (_what, text, message, kind) => {
    const e = errorOf(text);
    expect(e.message).toMatch(message);
    expect(e.kind).toBe(kind);
  });

  it('accepts type library and no-wire-effect attributes without changing the interface', () => {
    const plain = parseIdl(wrap('typedef struct S { long a; } S;\nlong F([in] S *s);'));
    const noted = parseIdl(
      wrap(
        'typedef [public, helpstring("s")] struct S { [annotation("x")] long a; } S;\n[helpstring("f"), id(3), disable_consistency_check] long F([in, annotation("_In_")] S *s);',
        'uuid(12345678-1234-1234-1234-123456789abc), helpstring("t"),',
      ),
    );
    const strip = (m: typeof plain) =>
      JSON.parse(JSON.stringify(m.interfaces, (k, v) => (k === 'loc' ? undefined : v)));
    expect(strip(noted)).toEqual(strip(plain));
  });

  it('takes an ACF attribute in the IDL where the ACF allows it, and an IDL one in the ACF nowhere', () => {
    expect(
      parseIdl(wrap('void F(void);', 'uuid(12345678-1234-1234-1234-123456789abc), auto_handle')).interfaces[0]
        ?.acfHandle,
    ).toEqual({
      kind: 'auto_handle',
    });
    expect(errorOf(wrap('void F([in] long x);'), 'interface T { F([in] x); }').message).toMatch(
      /x\.acf:1:18: ACF attribute \[in\] on a parameter is not supported: it is an IDL attribute \(IDL: parameter\), not an ACF one/,
    );
    expect(errorOf(wrap('void F(void);'), '[bogus] interface T { }').message).toMatch(
      /x\.acf:1:2: ACF attribute \[bogus\] on an interface is not supported yet/,
    );
  });
});
