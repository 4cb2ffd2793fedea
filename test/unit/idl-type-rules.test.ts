// lib/idl/resolve-types.ts: the rules of MIDL's type declarations, each expectation
// worked out by hand from Microsoft's documentation or the C standard MIDL follows:
// - "MIDL Predefined and Base Types" (learn.microsoft.com, win32/midl): the base types,
//   their sizes, and which take a sign (byte, float, double, handle_t, void: "not
//   applicable"); __int8 and __int16 are small and short;
// - C11 6.7.2p2: the multisets of type specifiers C allows (`signed unsigned` is none);
// - C11 6.7.2.2p3: an enumerator without `=` is the previous one plus 1, the first 0;
// - MIDL2003 "redefinition" (MIDL compiler errors): a type redefined, or a member of a
//   structure or union of the same name; C11 6.7p3 for enumeration constants and consts;
// - C11 6.7.2.1p3 and DCE IDL ("a structure can contain only one conformant array, which
//   must be the last member"): a conformant array, or a struct that ends in one, comes
//   last;
// - the [switch_type] and union pages: the discriminant is an integer, char, boolean or
//   enum; case values are distinct, one [default] at most.
// Errors are IdlErrors that start with file:line:column (counted by hand in the IDL shown;
// the body's first line is line 2).
import { describe, expect, it } from 'vitest';
import { parseIdl } from '../../lib/idl/index.js';
import { refusalOf } from '../support/idl-refusal.js';
import { inInterfaceT } from './idl-body.js';

const parse = (body: string) => {
  const m = parseIdl(inInterfaceT(body), { file: 'a.idl' });
  const iface = m.interfaces[0];
  if (!iface) throw new Error('no interface');
  return { iface, warnings: m.warnings };
};
/** The refusal: thrown, or the one procedure it leaves unavailable. */
const errorOf = (body: string) => refusalOf(() => parseIdl(inInterfaceT(body), { file: 'a.idl' }));

describe('base type spellings (MIDL Predefined and Base Types)', () => {
  it.each([
    ['boolean', 'boolean'],
    ['byte', 'byte'],
    // MIDL's char is unsigned 8 bits (FC_CHAR either way); `unsigned char` is a number
    // in JS (uchar), `signed char` is small.
    ['char', 'char'],
    ['unsigned char', 'uchar'],
    ['signed char', 'small'],
    ['small', 'small'],
    ['unsigned small', 'usmall'],
    ['__int8', 'small'],
    ['unsigned __int8', 'usmall'],
    ['wchar_t', 'wchar_t'],
    ['short', 'short'],
    ['short int', 'short'],
    ['signed short', 'short'],
    ['unsigned short', 'ushort'],
    ['unsigned short int', 'ushort'],
    ['__int16', 'short'],
    ['unsigned __int16', 'ushort'],
    ['int', 'long'],
    ['signed', 'long'],
    ['unsigned', 'ulong'],
    ['unsigned int', 'ulong'],
    ['long', 'long'],
    ['long int', 'long'],
    ['unsigned long', 'ulong'],
    ['unsigned long int', 'ulong'],
    ['__int32', 'long'],
    ['unsigned __int32', 'ulong'],
    ['hyper', 'hyper'],
    ['unsigned hyper', 'uhyper'],
    ['__int64', 'hyper'],
    ['unsigned __int64', 'uhyper'],
    ['long long', 'hyper'],
    ['unsigned long long', 'uhyper'],
    ['long long int', 'hyper'],
    ['unsigned long long int', 'uhyper'],
    ['float', 'float'],
    ['double', 'double'],
    ['error_status_t', 'error_status_t'],
  ])('%s is %s', (spelling, name) => {
    expect(parse(`typedef ${spelling} X;`).iface.aliases.X).toEqual({ kind: 'primitive', name, alias: 'X' });
  });

  it('__int3264 keeps its sign (8 bytes in x64 memory)', () => {
    const { aliases } = parse('typedef __int3264 A; typedef unsigned __int3264 B;').iface;
    expect(aliases.A).toEqual({ kind: 'int3264', unsigned: false, alias: 'A' });
    expect(aliases.B).toEqual({ kind: 'int3264', unsigned: true, alias: 'B' });
  });

  it.each([
    // No C type has these specifier multisets (C11 6.7.2p2).
    ['long long long', 'typedef long long long X;'],
    ['short long', 'typedef short long X;'],
    ['signed unsigned long', 'typedef signed unsigned long X;'],
    // "Default sign: not applicable" in MIDL's table: no signed or unsigned form.
    ['unsigned float', 'typedef unsigned float X;'],
    ['signed double', 'typedef signed double X;'],
    ['unsigned byte', 'typedef unsigned byte X;'],
    ['unsigned void', 'typedef unsigned void X;'],
    ['unsigned handle_t', 'typedef unsigned handle_t X;'],
  ])('%s is not a type', (words, body) => {
    // The type starts at column 9, after `typedef `.
    expect(errorOf(body).message).toBe(`a.idl:2:9: invalid type '${words}'`);
  });
});

describe('enums', () => {
  it('number enumerators from 0, each one more than the one before unless given (C11 6.7.2.2p3)', () => {
    const { iface } = parse(
      'typedef enum { A, B = 5, C, D = A - 1, E } E;\nconst long K = C * 10 + E;\ntypedef [v1_enum] enum { V } E32;',
    );
    expect(iface.types.E).toEqual({
      kind: 'enum',
      name: 'E',
      v1Enum: false,
      members: [
        { name: 'A', value: 0 },
        { name: 'B', value: 5 },
        { name: 'C', value: 6 },
        { name: 'D', value: -1 },
        { name: 'E', value: 0 }, // D + 1
      ],
      loc: { file: 'a.idl', line: 2, column: 9 },
    });
    // Enumerators are constants of the scope: 6 * 10 + 0.
    expect(iface.consts.K).toBe(60);
    expect(iface.types.E32).toMatchObject({ kind: 'enum', v1Enum: true });
  });

  it('an enumerator or const declared twice is an error (C11 6.7p3)', () => {
    expect(errorOf('typedef enum { A, B, A } E;').message).toBe("a.idl:2:22: 'A' is already defined");
    expect(errorOf('const long A = 1;\nconst long A = 2;').message).toBe("a.idl:3:1: 'A' is already defined");
    expect(errorOf('const long A = 1;\ntypedef enum { A } E;').message).toBe(
      "a.idl:3:16: 'A' is already defined",
    );
  });
});

describe('structs', () => {
  it('names the struct after its first plain declarator, keeps the tag, and makes *PS a pointer to it', () => {
    const { iface } = parse('typedef struct _S { long a; } *PS, S;\nvoid F([in] PS p);');
    expect(iface.types.S).toMatchObject({ kind: 'struct', name: 'S', tag: '_S' });
    expect(iface.procedures[0]?.params[0]?.type).toEqual({
      kind: 'pointer',
      pointer: 'ref', // a top-level parameter pointer
      alias: 'PS',
      target: { kind: 'named', name: 'S' },
    });
  });

  it('a struct may point to itself, through its tag before its body ends', () => {
    const { iface } = parse('typedef struct N { long v; [unique] struct N *next; } N;');
    expect(iface.types.N).toMatchObject({
      fields: [
        { name: 'v' },
        { name: 'next', type: { kind: 'pointer', target: { kind: 'named', name: 'N' } } },
      ],
    });
  });

  it.each([
    // MIDL2003: a member of a structure or union of the same name already exists.
    [
      'a member named twice',
      'typedef struct { long a; short a; } S;',
      "a.idl:2:32: 'a' is already a member of 'S'",
    ],
    [
      'an arm member named twice',
      'typedef [switch_type(long)] union { [case(1)] long a; [case(2)] short a; } U;',
      "a.idl:2:71: 'a' is already a member of 'U'",
    ],
    // MIDL2003: a type redefined.
    [
      'a struct defined twice',
      'typedef struct S { long a; } S;\ntypedef struct T { long b; } S;',
      "a.idl:3:9: 'S' is already defined",
    ],
    [
      'a typedef name defined twice',
      'typedef long L;\ntypedef short L;',
      "a.idl:3:15: 'L' is already defined",
    ],
    [
      'a conformant array before the last field',
      'typedef struct { long n; [size_is(n)] long a[]; long m; } S;',
      "a.idl:2:44: conformant array 'a' must be the last field of 'S'",
    ],
    [
      'a conformant string before the last field',
      'typedef struct { [string] char s[]; long m; } S;',
      "a.idl:2:32: conformant array 's' must be the last field of 'S'",
    ],
    [
      // C11 6.7.2.1p3: a struct ending in a flexible array is no member of another struct but the last.
      'a struct ending in a conformant array before the last field',
      'typedef struct { long n; [size_is(n)] long a[]; } CS;\ntypedef struct { CS c; long m; } S;',
      "a.idl:3:21: conformant struct 'c' must be the last field of 'S'",
    ],
    [
      'a size naming something that is not a field',
      'typedef struct { long n; [size_is(m * 2)] long a[]; } S;',
      "a.idl:2:48: 'm' in a size/length attribute is not a field of 'S'",
    ],
    [
      'a size naming a missing field inside a conditional',
      'typedef struct { long n; [size_is(n ? n : -m)] long a[]; } S;',
      "a.idl:2:53: 'm' in a size/length attribute is not a field of 'S'",
    ],
    [
      '[ignore] on a long',
      'typedef struct { [ignore] long n; } S;',
      'a.idl:2:19: [ignore] needs a pointer field',
    ],
    [
      'a context handle field',
      'typedef [context_handle] void *CTX;\ntypedef struct { CTX h; } S;',
      "a.idl:3:18: a context handle cannot be a member of 'S'",
    ],
  ])('%s is an error', (_what, body, message) => {
    expect(errorOf(body).message).toBe(message);
  });

  it('a struct ending in a conformant array may be the last member, which makes the outer one conformant too', () => {
    const CS = 'typedef struct { long n; [size_is(n)] long a[]; } CS;\ntypedef struct { long m; CS c; } S2;';
    expect(parse(CS).iface.types.S2).toMatchObject({ fields: [{ name: 'm' }, { name: 'c' }] });
    expect(errorOf(`${CS}\ntypedef struct { S2 s; long k; } S3;`).message).toBe(
      "a.idl:4:21: conformant struct 's' must be the last field of 'S3'",
    );
  });

  it('[ignore] on a pointer field is recorded', () => {
    const { iface } = parse('typedef struct { [ignore] long *p; long n; } S;');
    expect(iface.types.S).toMatchObject({ fields: [{ name: 'p', ignore: true }, { name: 'n' }] });
    const s = iface.types.S;
    expect(s?.kind === 'struct' && 'ignore' in (s.fields[1] ?? {})).toBe(false);
  });

  it('names unnamed union members u, u2, u3... skipping names the struct takes (NONAMELESSUNION)', () => {
    const { iface } = parse(
      'typedef struct { long k; [switch_is(k)] union { [case(1)] long a; [default] ; }; long u; [switch_is(k)] union { [case(1)] short b; [default] ; }; } S;',
    );
    const s = iface.types.S;
    expect(s?.kind === 'struct' && s.fields.map((f) => [f.name, f.unnamed ?? false])).toEqual([
      ['k', false],
      ['u2', true],
      ['u', false],
      ['u3', true],
    ]);
  });

  it('what winrpc cannot compile is skipped with a warning, and refused where a procedure uses it', () => {
    const { iface, warnings } = parse(
      'typedef struct { long n; long a[]; } S;\ntypedef struct { long b : 3; } B;',
    );
    expect(iface.types.S).toBeUndefined();
    expect(warnings.map((w) => w.message)).toEqual([
      "skipped 'S', which no procedure uses: conformant array 'a' needs [size_is] or [max_is]",
      "skipped 'B', which no procedure uses: bit field 'b' of 'B' is not supported yet",
    ]);
    const used = parse('typedef struct { long n; long a[]; } S;\nvoid F([in] S *s);').iface;
    expect(used.unavailable).toEqual([
      {
        name: 'F',
        opnum: 0,
        reason:
          "a.idl:3:13: 'S' cannot be used: conformant array 'a' needs [size_is] or [max_is] (a.idl:2:31)",
      },
    ]);
  });
});

describe('unions', () => {
  it('a non-encapsulated union: switch type, cases, an empty arm and [default]', () => {
    const { iface } = parse(
      'typedef [switch_type(short)] union { [case(1, 2)] long a; [case(3)] ; [default] hyper h; } U;',
    );
    expect(iface.types.U).toMatchObject({
      kind: 'union',
      switchType: { kind: 'primitive', name: 'short' },
      arms: [
        { cases: [1, 2], isDefault: false, field: { name: 'a' } },
        { cases: [3], isDefault: false, field: null },
        { cases: [], isDefault: true, field: { name: 'h' } },
      ],
    });
    expect(iface.types.U).not.toHaveProperty('encapsulated');
    expect(iface.types.U).not.toHaveProperty('msUnion');
  });

  it('an encapsulated union: the discriminant and the union member are named (u when not given)', () => {
    const { iface } = parse(
      'typedef union E switch (unsigned short k) v { case 1: long a; } E;\ntypedef union F switch (long j) { case 1: long b; } F;',
    );
    expect(iface.types.E).toMatchObject({
      switchType: { kind: 'primitive', name: 'ushort' },
      encapsulated: { discriminant: 'k', unionName: 'v' },
    });
    expect(iface.types.F).toMatchObject({ encapsulated: { discriminant: 'j', unionName: 'u' } });
  });

  it('[ms_union] marks a non-encapsulated union only', () => {
    const { iface } = parse(
      'typedef [ms_union, switch_type(long)] union { [case(1)] long a; } U;\ntypedef [ms_union] union E switch (long k) { case 1: long a; } E;',
    );
    expect(iface.types.U).toMatchObject({ msUnion: true });
    expect(iface.types.E).not.toHaveProperty('msUnion');
  });

  it.each([
    ['boolean', { kind: 'primitive', name: 'boolean' }],
    ['byte', { kind: 'primitive', name: 'byte' }],
    ['char', { kind: 'primitive', name: 'char' }],
    ['small', { kind: 'primitive', name: 'small' }],
    ['unsigned small', { kind: 'primitive', name: 'usmall' }],
    ['wchar_t', { kind: 'primitive', name: 'wchar_t' }],
    ['short', { kind: 'primitive', name: 'short' }],
    ['unsigned short', { kind: 'primitive', name: 'ushort' }],
    ['long', { kind: 'primitive', name: 'long' }],
    ['unsigned long', { kind: 'primitive', name: 'ulong' }],
    ['E', { kind: 'named', name: 'E' }],
  ])('a %s discriminant is allowed', (type, switchType) => {
    const { iface } = parse(
      `typedef enum { X, Y } E;\ntypedef [switch_type(${type})] union { [case(1)] long a; } U;`,
    );
    expect(iface.types.U).toMatchObject({ switchType });
  });

  it.each(['hyper', 'float', 'double', 'error_status_t'])('a %s discriminant is an error', (type) => {
    expect(errorOf(`typedef [switch_type(${type})] union { [case(1)] long a; } U;`).message).toBe(
      'a.idl:2:10: a union discriminant must be an integer, char, boolean or enum',
    );
  });

  it.each([
    [
      '[switch_type] on an encapsulated union',
      'typedef [switch_type(long)] union E switch (long k) { case 1: long a; } E;',
      'a.idl:2:10: [switch_type] on an encapsulated union',
    ],
    [
      'two default arms',
      'typedef [switch_type(long)] union { [default] long a; [default] short b; } U;',
      "a.idl:2:55: union 'U' has two default arms",
    ],
    [
      'a case named twice across arms',
      'typedef [switch_type(long)] union { [case(1, 2)] long a; [case(2)] short b; } U;',
      "a.idl:2:58: case 2 appears twice in union 'U'",
    ],
    [
      'a case that is not a constant',
      'typedef [switch_type(long)] union { [case(N)] long a; } U;',
      "a.idl:2:37: 'N' is not a constant",
    ],
    [
      'a context handle arm',
      'typedef [context_handle] void *CTX;\ntypedef [switch_type(long)] union { [case(1)] CTX h; } U;',
      "a.idl:3:47: a context handle cannot be a member of 'U'",
    ],
  ])('%s is an error', (_what, body, message) => {
    expect(errorOf(body).message).toBe(message);
  });

  it('a C union (an arm without [case] or [default]) is skipped with a warning', () => {
    const { iface, warnings } = parse('typedef union { long a; short b; } CU;');
    expect(iface.types.CU).toBeUndefined();
    expect(warnings.map((w) => [w.message, w.loc.line, w.loc.column])).toEqual([
      [
        "skipped 'CU', which no procedure uses: a C union ('CU' has an arm without [case] or [default]) is not supported yet",
        2,
        17,
      ],
    ]);
  });
});

describe('typedefs of built-in names and [handle]', () => {
  it('an SDK header may declare a built-in name again as its own type; another type is an error', () => {
    const { iface } = parse(
      'typedef unsigned short wchar_t;\ntypedef unsigned char boolean;\ntypedef unsigned char byte;\ntypedef unsigned long error_status_t;\nvoid F([in] wchar_t c);',
    );
    expect(iface.aliases).not.toHaveProperty('wchar_t');
    expect(iface.procedures[0]?.params[0]?.type).toEqual({ kind: 'primitive', name: 'wchar_t' });
    expect(errorOf('typedef long wchar_t;').message).toBe(
      "a.idl:2:14: 'wchar_t' is a built-in type and cannot be redefined as another type",
    );
    expect(errorOf('typedef unsigned short *wchar_t;').message).toBe(
      "a.idl:2:25: 'wchar_t' is a built-in type and cannot be redefined as another type",
    );
  });

  it('[handle] needs a data type: not void, handle_t or a context handle', () => {
    expect(errorOf('typedef [handle] handle_t H;').message).toBe(
      'a.idl:2:10: [handle] needs a data type (not void, handle_t or a context handle)',
    );
    expect(errorOf('typedef [handle] void H;').message).toBe(
      'a.idl:2:10: [handle] needs a data type (not void, handle_t or a context handle)',
    );
    const { iface } = parse('typedef [handle] struct { long n; } H;\nvoid F([in] H h, [in] long x);');
    expect(iface.procedures[0]?.genericBinding).toEqual({
      name: 'h',
      index: 0,
      typeName: 'H',
      viaPointer: false,
    });
  });
});

describe('declarations winrpc skips', () => {
  it('undoes what a skipped declaration added: its names and tag can be declared again', () => {
    const { iface, warnings } = parse(
      'typedef struct _S { long a; long b : 3; } S, *PS;\ntypedef struct _S { long x; } S;\nvoid F([in] S *s);',
    );
    expect(warnings.map((w) => [w.message, w.loc.line, w.loc.column])).toEqual([
      ["skipped 'S', 'PS', which no procedure uses: bit field 'b' of 'S' is not supported yet", 2, 34],
    ]);
    expect(iface.types.S).toMatchObject({ kind: 'struct', tag: '_S', fields: [{ name: 'x' }] });
    expect(iface.aliases).not.toHaveProperty('PS');
  });

  it('undoes the tag too: the tag then names whatever declares it next', () => {
    const { iface } = parse('typedef struct _S { long b : 3; } S;\ntypedef struct _S { long x; } S2;');
    expect(iface.types.S2).toMatchObject({ kind: 'struct', tag: '_S', fields: [{ name: 'x' }] });
    expect(iface.types).not.toHaveProperty('S');
  });

  it('a skipped tag declaration without a typedef is named by its tag', () => {
    expect(parse('struct X { long b : 3; };').warnings.map((w) => w.message)).toEqual([
      "skipped 'X', which no procedure uses: bit field 'b' of 'X' is not supported yet",
    ]);
  });

  it('a use of a skipped tag is refused where it is used, saying why and where', () => {
    const { iface } = parse(
      'typedef struct _S { long b : 3; } S;\nvoid F([in] struct _S *s);\nvoid G(void);',
    );
    expect(iface.unavailable).toEqual([
      {
        name: 'F',
        opnum: 0,
        reason:
          "a.idl:3:13: 'struct _S' cannot be used: bit field 'b' of 'S' is not supported yet (a.idl:2:26)",
      },
    ]);
    expect(iface.procedures.map((p) => [p.name, p.opnum])).toEqual([['G', 1]]);
  });
});

describe('typedef chains', () => {
  it('an alias of a named type is that type; of a pointer or primitive, it keeps its own name', () => {
    const { aliases } = parse(
      'typedef struct { long a; } S;\ntypedef S S2;\ntypedef long L;\ntypedef L L2;\ntypedef L2 *PL;',
    ).iface;
    expect(aliases.S2).toEqual({ kind: 'named', name: 'S' });
    expect(aliases.L2).toEqual({ kind: 'primitive', name: 'long', alias: 'L2' });
    expect(aliases.PL).toEqual({
      kind: 'pointer',
      pointer: 'unique', // pointer_default's default
      alias: 'PL',
      target: { kind: 'primitive', name: 'long', alias: 'L2' },
    });
  });

  it('[context_handle] on a pointer typedef (PVOID, [MS-SCMR]) is a context handle; on a long, an error', () => {
    const { iface } = parse(
      'typedef void *PV;\ntypedef [context_handle] PV H;\ntypedef [context_handle, strict_context_handle] void *SC;\ntypedef [context_handle, type_strict_context_handle] void *TC;\nvoid F([in] H h);',
    );
    expect(iface.procedures[0]?.params[0]?.type).toEqual({ kind: 'context_handle', alias: 'H' });
    expect(iface.aliases.SC).toEqual({ kind: 'context_handle', strict: true, alias: 'SC' });
    expect(iface.aliases.TC).toEqual({ kind: 'context_handle', typeStrict: true, alias: 'TC' });
    // A pointer to an incomplete struct, and a context handle typedef of a context handle.
    const more = parse(
      'typedef [context_handle] struct _X *PX;\ntypedef [context_handle] void *C1;\ntypedef [context_handle] C1 C2;',
    ).iface.aliases;
    expect(more.PX).toEqual({ kind: 'context_handle', alias: 'PX' });
    expect(more.C2).toEqual({ kind: 'context_handle', alias: 'C2' });
    expect(errorOf('typedef long L;\ntypedef [context_handle] L H;').message).toBe(
      'a.idl:3:10: [context_handle] needs a pointer type',
    );
  });
});

describe('declarations, more', () => {
  it('a typedef that fails part way is undone whole: its first name can be declared again', () => {
    const { iface, warnings } = parse('typedef long A, (*F)(void);\ntypedef short A;');
    expect(warnings.map((w) => w.message)).toEqual([
      "skipped 'A', 'F', which no procedure uses: function pointer 'F' is not supported yet",
    ]);
    expect(iface.aliases.A).toEqual({ kind: 'primitive', name: 'short', alias: 'A' });
  });

  it('a struct or union without a name anywhere is skipped as "a declaration"', () => {
    expect(
      parse('struct { long a; };\nunion switch (long k) { case 1: long a; };').warnings.map((w) => w.message),
    ).toEqual([
      'skipped a declaration, which no procedure uses: anonymous struct or enum outside a typedef is not supported yet',
      'skipped a declaration, which no procedure uses: anonymous union outside a typedef or struct is not supported yet',
    ]);
  });

  it('a struct with only pointer declarators is named by its tag; a tag equal to the name is not kept', () => {
    const { iface } = parse('typedef struct _S { long a; } *PS;\ntypedef struct T { long b; } T;');
    expect(iface.types._S).toMatchObject({ kind: 'struct', name: '_S' });
    expect(iface.aliases.PS).toEqual({
      kind: 'pointer',
      pointer: 'unique',
      alias: 'PS',
      target: { kind: 'named', name: '_S' },
    });
    expect(iface.types.T).not.toHaveProperty('tag');
  });

  it('a union declared by its tag alone is used as `union U`', () => {
    const { iface } = parse('union U switch (long k) u { case 1: long a; };\nvoid F([in] union U *u);');
    expect(iface.types.U).toMatchObject({
      kind: 'union',
      encapsulated: { discriminant: 'k', unionName: 'u' },
    });
    expect(iface.procedures[0]?.params[0]?.type).toEqual({
      kind: 'pointer',
      pointer: 'ref',
      target: { kind: 'named', name: 'U' },
    });
  });

  it('a struct defined inside a struct is named after both', () => {
    const { iface } = parse('typedef struct { struct { long a; } in; } S;');
    expect(iface.types.S).toMatchObject({ fields: [{ name: 'in', type: { kind: 'named', name: 'S_in' } }] });
    expect(iface.types.S_in).toMatchObject({ kind: 'struct', fields: [{ name: 'a' }] });
  });

  it('a single unnamed union member is u', () => {
    const { iface } = parse('typedef struct { long k; [switch_is(k)] union { [case(1)] long a; }; } S;');
    expect(iface.types.S).toMatchObject({ fields: [{ name: 'k' }, { name: 'u', unnamed: true }] });
  });

  it.each([
    ['a struct with no fields', 'typedef struct S {} S;', "a.idl:2:9: struct 'S' has no fields"],
    ['a union with no arms', 'typedef [switch_type(long)] union { } U;', "a.idl:2:29: union 'U' has no arms"],
    [
      'an encapsulated union switching on a double',
      'typedef union U switch (double d) { case 1: long a; } U;',
      'a.idl:2:17: a union discriminant must be an integer, char, boolean or enum',
    ],
    [
      'a union defined twice',
      'typedef [switch_type(long)] union { [case(1)] long a; } U;\ntypedef [switch_type(long)] union { [case(1)] long a; } U;',
      "a.idl:3:29: 'U' is already defined",
    ],
  ])('%s is an error', (_what, body, message) => {
    expect(errorOf(body).message).toBe(message);
  });

  it.each([
    ['[size_is] behind a pointer', '[size_is(m)] long *p;'],
    ['[length_is]', '[length_is(m)] long a[4];'],
    ['[first_is]', '[first_is(m)] long a[4];'],
    ['[size_is] on a string', '[size_is(m), string] char *s;'],
    ['[switch_is]', '[switch_is(m)] U u;'],
  ])('%s naming no field of the struct is an error', (_what, field) => {
    const body = `typedef [switch_type(long)] union { [case(1)] long a; } U;\ntypedef struct { long n; ${field} } S;`;
    expect(errorOf(body).message).toMatch(
      /^a\.idl:3:\d+: 'm' in a size\/length attribute is not a field of 'S'$/,
    );
  });

  it.each([
    ['a union member', 'U u;', "'u' of 'S'"],
    ['a pointer to a union', 'U *pu;', "'pu' of 'S'"],
  ])('%s without [switch_is] is skipped', (_what, field, which) => {
    const { warnings } = parse(
      `typedef [switch_type(long)] union { [case(1)] long a; } U;\ntypedef struct { long k; ${field} } S;`,
    );
    expect(warnings.map((w) => w.message)).toEqual([
      `skipped 'S', which no procedure uses: a union member without [switch_is] (${which}) is not supported yet`,
    ]);
  });
});
