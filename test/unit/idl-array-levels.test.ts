// Multi-level [size_is]/[length_is] on pointer parameters, and [min_is], which
// Microsoft RPC does not implement beyond a lower bound of 0.
import { describe, expect, it } from 'vitest';
import { parseIdl } from '../../lib/idl/index.js';
import { compileIdl } from '../../lib/ndr/index.js';
import { refusalOf } from '../support/idl-refusal.js';
import { inInterfaceT } from './idl-body.js';

const wrap = (body: string) =>
  inInterfaceT(
    body,
    '[uuid(11111111-2222-3333-4444-555555555513), version(1.0), pointer_default(unique)]\ninterface T {',
  );
const param = (decl: string, extra = '') =>
  parseIdl(wrap(`${extra} void F([in] long a, [in] long b, ${decl});`), { file: 'x.idl' }).interfaces[0]
    ?.procedures[0]?.params[2];

describe('multi-level size_is', () => {
  it('sizes each pointer level, outermost first', () => {
    expect(param('[in, size_is(a, b)] long **m')?.type).toEqual({
      kind: 'pointer',
      pointer: 'ref',
      target: {
        kind: 'array',
        size: { is: { kind: 'ident', name: 'a' } },
        element: {
          kind: 'pointer',
          pointer: 'unique',
          target: {
            kind: 'array',
            size: { is: { kind: 'ident', name: 'b' } },
            element: { kind: 'primitive', name: 'long' },
          },
        },
      },
    });
  });

  it('leaves a level with an empty argument a plain pointer; max_is and last_is add one', () => {
    expect(param('[in, size_is(, b)] long **m')?.type).toMatchObject({
      target: { kind: 'pointer', target: { kind: 'array', size: { is: { kind: 'ident', name: 'b' } } } },
    });
    const plus1 = (name: string) => ({
      kind: 'binary',
      op: '+',
      left: { kind: 'ident', name },
      right: { kind: 'number', value: 1 },
    });
    expect(param('[in, max_is(a, b), last_is(a, b)] long **m')?.type).toMatchObject({
      target: {
        kind: 'array',
        size: { is: plus1('a') },
        length: plus1('a'),
        element: { target: { size: { is: plus1('b') }, length: plus1('b') } },
      },
    });
  });

  it('compiles to a bogus array of pointers to conformant arrays with top-level correlations', () => {
    const [c] = compileIdl(wrap('void F([in] long a, [in] long b, [in, size_is(a, b)] long **m);'), {
      file: 'x.idl',
    });
    const m = c?.procedures[0]?.params[2]?.type;
    expect(m).toMatchObject({
      kind: 'pointer',
      target: {
        kind: 'array',
        sizeIs: { source: 'param', name: 'a' },
        element: { kind: 'pointer', target: { kind: 'array', sizeIs: { source: 'param', name: 'b' } } },
      },
    });
  });

  it('in a struct field: the struct is skipped where declared, and F, which uses it, is refused', () => {
    const [iface] = parseIdl(
      wrap('typedef struct S { long n; long k; [size_is(n, k)] long **pp; } S; void F([in] S *s);'),
      { file: 'x.idl' },
    ).interfaces;
    expect(iface?.unavailable?.[0]?.reason).toMatch(
      /x\.idl:3:\d+: 'S' cannot be used: \[size_is\] on more than one level outside a parameter is not supported yet \(x\.idl:3:\d+\)/,
    );
  });

  it.each([
    [
      'with more levels than pointers',
      'void F([in] long a, [in, size_is(a, a)] long *p);',
      /x\.idl:3:\d+: \[size_is\] has 2 levels but 'p' has 1 pointers/,
    ],
    [
      'naming something that is not a parameter',
      'void F([in] long a, [in, size_is(a, nope)] long **p);',
      /'nope' in a size\/length attribute is not a parameter of 'F'/,
    ],
    [
      'length_is without a size on its level',
      'void F([in] long a, [in, size_is(a, ), length_is(, a)] long **p);',
      /\[length_is\] without a size on pointer level 2/,
    ],
  ])('rejects multi-level size_is %s', (_what, body, message) => {
    // Thrown, or (an 'unsupported' one) F left unavailable with the same words.
    expect(refusalOf(() => parseIdl(wrap(body), { file: 'x.idl' })).message).toMatch(message);
  });
});

describe('min_is', () => {
  it('accepts [min_is(0)] (the only lower bound Microsoft RPC has) and changes nothing', () => {
    expect(param('[in, min_is(0), size_is(a)] long *p')?.type).toEqual(
      param('[in, size_is(a)] long *p')?.type,
    );
    expect(param('[in, min_is(Z, 0), size_is(a, b)] long **p', 'const long Z = 0;')?.type).toBeDefined();
  });

  it.each([
    ['a non-zero constant', '[in, min_is(1), size_is(a)] long *p'],
    ['a parameter', '[in, min_is(b), size_is(a)] long *p'],
  ])('rejects [min_is] with %s', (_what, decl) => {
    expect(() => param(decl)).toThrow(
      /x\.idl:3:\d+: \[min_is\] other than 0: Microsoft RPC arrays always start at index 0/,
    );
  });
});
