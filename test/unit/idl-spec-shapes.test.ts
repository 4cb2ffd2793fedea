// Shapes of the published [MS-*] IDLs (Appendix A, as github.com/oiweiwei/go-msrpc copies
// them) that winrpc refused before session 7, each as the smallest IDL showing it. Where
// the shape only spells another one differently (a typedef'd pointer, a repeated
// attribute), the test compiles both spellings and requires the same format strings: MIDL
// reads them as one type, so must winrpc. Everything compiles inside the tests (StrykerJS,
// docs/testing.md).
import { describe, expect, it } from 'vitest';
import { generateClient } from '../../lib/codegen/generate.js';
import { IdlError, parseIdl } from '../../lib/idl/index.js';
import { compileIdl } from '../../lib/ndr/index.js';
import { type Refusal, refusalOf } from '../support/idl-refusal.js';

const iface = (body: string) =>
  `import "ms-dtyp.idl";\n[uuid(12345678-1234-1234-1234-123456789abc), version(1.0)] interface T {\n${body}\n}`;

/** The bytes the engine reads: both format strings and where each procedure starts. */
function formats(body: string) {
  const [i] = compileIdl(iface(body), { file: 'x.idl' });
  if (!i) throw new Error('no interface compiled');
  return {
    proc: [...i.procFormat],
    type: [...i.typeFormat],
    offsets: i.procedures.map((p) => p.procFormatOffset),
  };
}

/** The refusal: thrown, or the one procedure it leaves unavailable. */
function errorOf(body: string): Refusal {
  return refusalOf(() => parseIdl(iface(body), { file: 'x.idl' }));
}

describe('[MS-*] Appendix A shapes', () => {
  it('[MS-DTYP] HANDLE and PVOID under [context_handle] are void * ([MS-RRP], [MS-SCMR])', () => {
    const spelled = formats(`
      typedef [context_handle] HANDLE RPC_HKEY;
      typedef [context_handle] PVOID SC_RPC_HANDLE;
      long Open([in] handle_t h, [out] RPC_HKEY *k, [out] SC_RPC_HANDLE *s);
      long Close([in, out] RPC_HKEY *k, [in] SC_RPC_HANDLE s);`);
    const plain = formats(`
      typedef [context_handle] void *RPC_HKEY;
      typedef [context_handle] void *SC_RPC_HANDLE;
      long Open([in] handle_t h, [out] RPC_HKEY *k, [out] SC_RPC_HANDLE *s);
      long Close([in, out] RPC_HKEY *k, [in] SC_RPC_HANDLE s);`);
    expect(spelled).toEqual(plain);
  });

  it('[MS-DTYP] PUCHAR and the other pointer names are pointers to their integers ([MS-SRVS], [MS-LSAD])', () => {
    expect(
      formats(`long F([in] handle_t h, [in] PUCHAR a, [in] PUSHORT b, [in] PSHORT c, [in] PBOOLEAN d,
        [in] LPINT e, [in] PDWORD64 f, [in] PDWORDLONG g, [in] PLONG64 i);`),
    ).toEqual(
      formats(`long F([in] handle_t h, [in] UCHAR *a, [in] USHORT *b, [in] SHORT *c, [in] BOOLEAN *d,
        [in] INT *e, [in] DWORD64 *f, [in] DWORDLONG *g, [in] LONG64 *i);`),
    );
  });

  it('[MS-DTYP] LPWSTR and the other string names are plain pointers; [string] says a string ([MS-TSTS])', () => {
    const spec = `typedef struct _U { USHORT Length; USHORT MaximumLength;
        [size_is(MaximumLength), length_is(Length)] PWSTR Buffer; } U;
      typedef struct _E { LPWSTR name; DWORD status; } E;
      long F([in] handle_t h, [in] U *u, [in] E *e, [in, string] LPCWSTR s, [in, string, unique] LPSTR a);`;
    expect(formats(spec)).toEqual(
      formats(
        spec
          .replace(/\bPWSTR\b|\bLPWSTR\b/g, 'wchar_t *')
          .replace('LPCWSTR', 'const wchar_t *')
          .replace('LPSTR', 'char *'),
      ),
    );
    // Without ms-dtyp.idl the SDK's names (the prelude) are [string], as wtypesbase.idl has them.
    const sdk = parseIdl(
      '[uuid(12345678-1234-1234-1234-123456789abc), version(1.0)] interface T { long F([in] handle_t h, [in] LPWSTR s); }',
      { file: 'x.idl' },
    );
    expect(sdk.interfaces[0]?.procedures[0]?.params.find((p) => p.name === 's')?.type).toMatchObject({
      target: { kind: 'string', char: 'wchar_t' },
    });
  });

  it('[size_is(, n)] counts the pointer levels a typedef brings ([MS-DNSP] PBYTE *ppBuffer)', () => {
    expect(formats('long F([in] handle_t h, [out] DWORD *n, [out, size_is(, *n)] PBYTE *pp);')).toEqual(
      formats('long F([in] handle_t h, [out] DWORD *n, [out, size_is(, *n)] BYTE **pp);'),
    );
    // Still one level too many is an error, counted through the typedef.
    expect(
      errorOf('long F([in] handle_t h, [in] DWORD n, [in, size_is(n, n, n)] PBYTE *pp);').message,
    ).toMatch(/\[size_is\] has 3 levels but 'pp' has 2 pointers/);
  });

  it('[context_handle] on a parameter of a context handle typedef repeats it ([MS-EVEN6])', () => {
    const repeated = formats(`
      typedef [context_handle] void *PCONTEXT_HANDLE_X;
      long Open([in] handle_t h, [out, context_handle] PCONTEXT_HANDLE_X *x);
      long Use([in, context_handle] PCONTEXT_HANDLE_X x);`);
    const once = formats(`
      typedef [context_handle] void *PCONTEXT_HANDLE_X;
      long Open([in] handle_t h, [out] PCONTEXT_HANDLE_X *x);
      long Use([in] PCONTEXT_HANDLE_X x);`);
    expect(repeated).toEqual(once);
  });

  it('[ignore] void * in a struct is never sent: FC_IGNORE, as for any [ignore] pointer ([MS-FRS1])', () => {
    expect(
      formats(`typedef struct _P { long n; [ignore] void *DataName; } P;
        long F([in] handle_t h, [in] P *p);`),
    ).toEqual(
      formats(`typedef struct _P { long n; [ignore] byte *DataName; } P;
        long F([in] handle_t h, [in] P *p);`),
    );
    // Without [ignore], void * in a struct still has nothing to send.
    expect(() => formats('typedef struct _P { void *p; } P; long F([in] handle_t h, [in] P *p);')).toThrow(
      IdlError,
    );
  });

  it('a type no procedure uses is left out, not refused; used, it is refused ([MS-TSTS] PVOID field)', () => {
    const decl = 'typedef struct _P { ULONG a; PVOID p; } P; typedef struct _Q { P *q; } Q;';
    const [i] = compileIdl(iface(`${decl} long F([in] handle_t h, [in] long n);`), { file: 'x.idl' });
    expect(Object.keys(i?.types ?? {})).toEqual([]);
    expect(
      generateClient(iface(`${decl} long F([in] handle_t h, [in] long n);`), { file: 'x.idl' }),
    ).toContain('F(');
    expect(() => compileIdl(iface(`${decl} long F([in] handle_t h, [in] Q *q);`), { file: 'x.idl' })).toThrow(
      /x\.idl:\d+:\d+: void has no layout/,
    );
  });

  it('[range] with sizes on an inner level bounds the array that level sizes ([MS-EVEN6])', () => {
    const m = parseIdl(
      iface(`typedef struct _I { long a; } I;
        long F([in] handle_t h, [out] DWORD *n, [out, size_is(, *n), range(0, 100)] I **pp);`),
      { file: 'x.idl' },
    );
    const pp = m.interfaces[0]?.procedures[0]?.params.find((p) => p.name === 'pp');
    expect(pp?.type).toMatchObject({
      kind: 'pointer',
      target: { kind: 'pointer', target: { kind: 'array', sizeRange: { min: 0, max: 100 } } },
    });
    expect(() =>
      formats(`typedef struct _I { long a; } I;
        long F([in] handle_t h, [out] DWORD *n, [out, size_is(, *n), range(0, 100)] I **pp);`),
    ).not.toThrow();
    // Without a sized level under the pointers, [range] on a pointer to a pointer stays refused.
    expect(errorOf('long F([in] handle_t h, [in, range(0, 100)] long **pp);').message).toMatch(
      /\[range\] on anything but/,
    );
  });
});

describe('[MS-DHCPM] preprocessor and constant spellings', () => {
  it('a function-like macro in an enum value, and constants with const after the type', () => {
    const m = parseIdl(
      iface(`
      #define ELEMENT_MASK(E) ((((E) <= DhcpIpRangesBootpOnly) && (DhcpIpRangesDhcpOnly <= (E)))?(0):(E))
      typedef enum _DHCP_SUBNET_ELEMENT_TYPE {
        DhcpIpRanges, DhcpSecondaryHosts, DhcpReservedIps, DhcpExcludedIpRanges, DhcpIpUsedClusters,
        DhcpIpRangesDhcpOnly, DhcpIpRangesDhcpBootp, DhcpIpRangesBootpOnly
      } DHCP_SUBNET_ELEMENT_TYPE;
      typedef [switch_type(DHCP_SUBNET_ELEMENT_TYPE)] union _U {
        [case(ELEMENT_MASK(DhcpIpRangesDhcpBootp))] DWORD b;
        [case(ELEMENT_MASK(DhcpSecondaryHosts))] DWORD c;
      } U;
      int const DEBUG_ADDRESS = 0x00000001;
      unsigned long const DEBUG_ALL = DEBUG_ADDRESS | 0x2;
      long F([in] handle_t h, [in] DHCP_SUBNET_ELEMENT_TYPE t, [in, switch_is(t)] U *u);`),
      { file: 'x.idl' },
    );
    const i = m.interfaces[0];
    expect(i?.consts).toMatchObject({ DEBUG_ADDRESS: 1, DEBUG_ALL: 3 });
    const u = i?.types.U;
    // DhcpIpRangesDhcpBootp (6) lies in 5..7: masked to 0; DhcpSecondaryHosts (1) stays 1.
    expect(u?.kind === 'union' && u.arms.map((a) => a.cases)).toEqual([[0], [1]]);
  });
});

describe('[MS-NSPI] a struct typedef ahead of its body', () => {
  it('`typedef struct _V V;` names the struct before its body, as `struct _V` does', () => {
    const body = (use: string) =>
      `typedef struct _V V; typedef struct _R { long n; [size_is(n)] ${use} *p; } R;
       typedef struct _V { long x; } V; long F([in] handle_t h, [in] R *r);`;
    expect(formats(body('V'))).toEqual(formats(body('struct _V')));
    expect(() => formats('typedef struct _V V; long F([in] handle_t h, [in] V *v);')).toThrow(
      /x\.idl:\d+:\d+: struct 'V' is declared but never defined/,
    );
  });
});

describe('[MS-PAN] types of an earlier interface in the same file', () => {
  it('a later interface uses them, as MIDL declares them for the whole file', () => {
    const text = `
      [uuid(ae33069b-a2a8-46ee-a235-ddfd339be281), version(1.0), pointer_default(unique)]
      interface IRPCRemoteObject {
        typedef [context_handle] void *PRPCREMOTEOBJECT;
        typedef struct _S { long a; } S;
        HRESULT Create([in] handle_t h, [out] PRPCREMOTEOBJECT *pp);
      }
      [uuid(0b6edbfa-4a24-4fc6-8a23-942b1eca65d1), version(1.0), pointer_default(unique)]
      interface IRPCAsyncNotify {
        HRESULT Register([in] PRPCREMOTEOBJECT p, [in] S *s);
      }`;
    const [a, b] = compileIdl(text, { file: 'x.idl' });
    expect(b?.procedures.map((p) => p.name)).toEqual(['Register']);
    expect(Object.keys(b?.types ?? {})).toEqual(['S']);
    expect(Object.keys(a?.types ?? {})).toEqual(['S']);
    // Not the other way round: an interface sees only what comes before it.
    expect(() =>
      parseIdl(
        `[uuid(12345678-1234-1234-1234-123456789abc), version(1.0)] interface A { long F([in] handle_t h, [in] T *t); }
         [uuid(12345678-1234-1234-1234-123456789abd), version(1.0)] interface B { typedef struct _T { long a; } T; }`,
        { file: 'x.idl' },
      ),
    ).toThrow(/unknown type 'T'/);
  });
});

describe('[MS-WMI] object interfaces without [object]', () => {
  it('an interface deriving from IUnknown (or from one that does) is skipped as COM; DCE ones stay', () => {
    const text = `import "unknwn.idl";
      [restricted, uuid(F1E9C5B2-F59B-11d2-B362-00105A1F8177)]
      interface IWbemRemoteRefresher : IUnknown { HRESULT RemoteRefresh([in] long l); }
      [uuid(F1E9C5B2-F59B-11d2-B362-00105A1F8178)]
      interface IDerived : IWbemRemoteRefresher { HRESULT More([in] long l); }
      [uuid(12345678-1234-1234-1234-123456789abc), version(1.0)]
      interface Dce { typedef struct _S { long a; } S; long F([in] handle_t h, [in] S *s); }`;
    const m = parseIdl(text, { file: 'x.idl' });
    expect(m.interfaces.map((i) => i.name)).toEqual(['Dce']);
    expect(m.warnings.map((w) => w.message)).toEqual([
      "skipped interface 'IWbemRemoteRefresher': an object (COM) interface ('IWbemRemoteRefresher' derives from 'IUnknown') is not supported yet",
      "skipped interface 'IDerived': an object (COM) interface ('IDerived' derives from 'IWbemRemoteRefresher') is not supported yet",
    ]);
    // A DCE interface deriving from a DCE interface is still refused.
    expect(() =>
      parseIdl(
        '[uuid(12345678-1234-1234-1234-123456789abc), version(1.0)] interface A { void F([in] handle_t h); }\n' +
          '[uuid(12345678-1234-1234-1234-123456789abd), version(1.0)] interface B : A { void G([in] handle_t h); }',
        { file: 'x.idl' },
      ),
    ).toThrow(/interface inheritance \('B' derives from 'A'\) is not supported yet/);
  });
});

describe('[MS-MSRP] calling conventions', () => {
  it('__stdcall, also through a macro, changes nothing on the wire', () => {
    const body = 'NET_API_STATUS F([in] handle_t h, [in, string] LPSTR t);';
    const plain = formats(body);
    expect(formats(body.replace('F(', '__stdcall F('))).toEqual(plain);
    expect(
      formats(`#define NET_API_FUNCTION __stdcall\n${body.replace('F(', 'NET_API_FUNCTION F(')}`),
    ).toEqual(plain);
  });
});

describe('sizeof of a declared type (C sizes, x64 /Zp8)', () => {
  const constOf = (decls: string, expr: string) =>
    parseIdl(iface(`${decls}\nconst long N = ${expr};`), { file: 'x.idl' }).interfaces[0]?.consts.N;

  it('[MS-DTYP] GUID is 16 bytes ([MS-EVEN6] MAX_PAYLOAD / sizeof(GUID))', () => {
    expect(constOf('', 'sizeof(GUID)')).toBe(16);
    expect(constOf('', '2 * 1024 * 1024 / sizeof(GUID)')).toBe(131072);
  });

  it('a struct is its fields, each aligned, padded to its largest alignment', () => {
    expect(constOf('typedef struct _S { char c; hyper h; short s; } S;', 'sizeof(S)')).toBe(24);
    expect(constOf('typedef struct _S { short a; char b; } S;', 'sizeof(S)')).toBe(4);
    expect(constOf('typedef struct _S { char c; long *p; } S;', 'sizeof(S)')).toBe(16);
    expect(constOf('typedef struct _S { char c[3]; wchar_t w[5]; } S;', 'sizeof(S)')).toBe(14);
    // A conformant array is a C flexible array member: no size of its own.
    expect(constOf('typedef struct _S { long n; [size_is(n)] char a[]; } S;', 'sizeof(S)')).toBe(4);
    // Nested by value, and through a typedef name.
    expect(
      constOf(
        'typedef struct _A { char c; } A; typedef struct _B { A a; DWORD d; } B; typedef B C;',
        'sizeof(C)',
      ),
    ).toBe(8);
  });

  it('an enum is an int; a union is its largest arm, aligned', () => {
    expect(constOf('typedef enum _E { X = 1 } E;', 'sizeof(E)')).toBe(4);
    expect(
      constOf(
        'typedef [switch_type(long)] union _U { [case(1)] char c; [case(2)] hyper h; [default] ; } U;',
        'sizeof(U)',
      ),
    ).toBe(8);
  });

  it('a type not declared before the expression is an error there', () => {
    expect(errorOf('const long N = sizeof(NOPE);').message).toMatch(
      /x\.idl:3:\d+: sizeof\(NOPE\): not a type with a C size here/,
    );
  });

  it('a range bound spelled with sizeof ([MS-FRS1] range(sizeof(GUID), sizeof(GUID)))', () => {
    const m = parseIdl(
      iface('long F([in] handle_t h, [in, range(sizeof(GUID), sizeof(GUID))] unsigned long n);'),
      {
        file: 'x.idl',
      },
    );
    expect(m.interfaces[0]?.procedures[0]?.params.find((p) => p.name === 'n')?.type).toMatchObject({
      range: { min: 16, max: 16 },
    });
  });

  // Microsoft's ms-lsar.idl imports ms-dtyp.idl, whose STRING is `UCHAR *`, and declares its
  // own struct STRING; MIDL compiles it (the ms-lsar fixture). [MS-CAPR] imports
  // ms-lsat.idl, which does the same: the redefinition holds when the file is imported too.
  it("an imported file's redefinition of a name from its own imports ([MS-CAPR] -> [MS-LSAT] STRING)", () => {
    const STRING =
      'typedef struct _STRING { unsigned short Length; unsigned short MaximumLength;\n' +
      '  [size_is(MaximumLength), length_is(Length)] char *Buffer; } STRING, *PSTRING;\n';
    const USE =
      '[uuid(12345678-1234-1234-1234-123456789abd), version(1.0)]\ninterface B { long F([in] handle_t h, [in] STRING *s); }\n';
    const files: Record<string, string> = { 'ms-lsat.idl': `import "ms-dtyp.idl";\n${STRING}` };
    const readFile = (path: string) => files[path];
    const [imported] = compileIdl(`import "ms-dtyp.idl";\nimport "ms-lsat.idl";\n${USE}`, {
      file: 'capr.idl',
      readFile,
      async: false,
    });
    const [inline] = compileIdl(`import "ms-dtyp.idl";\n${STRING}${USE}`, { file: 'capr.idl', async: false });
    expect(imported?.types.STRING?.kind).toBe('struct');
    expect(Buffer.from(imported?.typeFormat ?? []).toString('hex')).toBe(
      Buffer.from(inline?.typeFormat ?? []).toString('hex'),
    );
  });
});
