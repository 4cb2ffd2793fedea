// Constructs MIDL accepts in published IDL ([MS-EVEN], [MS-SCMR], [MS-PAR], [MS-DCOM],
// [MS-DTYP] and SDK headers), each in the shape those files write it: compiled unchanged,
// or skipped with a warning when no procedure uses it and refused with a position when one does.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../lib/cli/main.js';
import { asIdlError, IdlError } from '../../lib/idl/errors.js';
import { parseIdl } from '../../lib/idl/index.js';
import { isSalAnnotation } from '../../lib/idl/sal.js';
import { FC } from '../../lib/ndr/fc.js';
import { compileIdl } from '../../lib/ndr/index.js';
import { idlErrorOf } from './idl-body.js';

const HEADER = `[
    uuid(82273FDC-E32A-18C3-3F78-827929DC23EA),
    version(0.0),
    pointer_default(unique)
]
interface eventlog
`;

/**
 * Why winrpc refuses `text`: the IdlError, or, where the refusal is one procedure's (it
 * uses what winrpc cannot marshal), that procedure's reason, which a call reports.
 */
function errorOf(text: string): { message: string; kind: IdlError['kind'] } {
  return idlErrorOf(() => {
    const unavailable = compileIdl(text, { file: 'x.idl' })[0]?.unavailable?.[0];
    // Reported as an IdlError without a position, so its message is the reason itself.
    if (unavailable) throw new IdlError(unavailable.reason, undefined, { kind: 'unsupported' });
  }, 'an IdlError or an unavailable procedure');
}

describe('MIDL parity: the front end accepts what MIDL accepts', () => {
  it('reads a trailing comma in the interface attribute list ([MS-EVEN])', () => {
    const text = `[
    uuid(82273FDC-E32A-18C3-3F78-827929DC23EA),
    version(0.0),
    ms_union,
    pointer_default(unique),
]
interface eventlog { long ElfrNumberOfRecords([in] long h, [out] unsigned long *NumberOfRecords); }`;
    const [iface] = parseIdl(text).interfaces;
    expect(iface?.uuid).toBe('82273fdc-e32a-18c3-3f78-827929dc23ea');
    expect(iface?.pointerDefault).toBe('unique');
    expect(() => compileIdl(text)).not.toThrow();
  });

  it('merges adjacent attribute lists: [in] [out] and [in][unique][string]', () => {
    const text = `${HEADER}{
  typedef [handle] wchar_t *SRVSVC_HANDLE;
  unsigned long NetrRemoteTOD([in][unique][string] SRVSVC_HANDLE ServerName, [in] [out] unsigned long *Count);
}`;
    const p = parseIdl(text).interfaces[0]?.procedures[0];
    expect(p?.params.map((x) => [x.name, x.direction])).toEqual([
      ['ServerName', 'in'],
      ['Count', 'inout'],
    ]);
    expect(p?.params[0]?.type).toMatchObject({
      kind: 'pointer',
      pointer: 'unique',
      target: { kind: 'string', char: 'wchar_t' },
    });
    expect(() => compileIdl(text)).not.toThrow();
  });

  it('accepts typedefs of built-in names to their own type, and refuses another type', () => {
    const text = `typedef unsigned short wchar_t;
typedef unsigned long error_status_t;
${HEADER}{ error_status_t F([in, string] wchar_t *s); }`;
    const p = parseIdl(text).interfaces[0]?.procedures[0];
    expect(p?.returnType).toEqual({ kind: 'primitive', name: 'error_status_t' });
    expect(p?.params[0]?.type).toMatchObject({ target: { kind: 'string', char: 'wchar_t' } });
    expect(() => compileIdl(text)).not.toThrow();
    expect(errorOf(`typedef long wchar_t;\n${HEADER}{ void F(void); }`).message).toMatch(
      /x\.idl:1:14: 'wchar_t' is a built-in type and cannot be redefined as another type/,
    );
  });

  it('accepts [disable_consistency_check] on a struct field (no wire effect)', () => {
    const text = `${HEADER}{
  typedef struct _BLOB { unsigned long cb; [size_is(cb), disable_consistency_check] byte *pb; } BLOB;
  void F([in] BLOB *b);
}`;
    const withCheck = compileIdl(text.replace(', disable_consistency_check', ''));
    expect(compileIdl(text)[0]?.typeFormat).toEqual(withCheck[0]?.typeFormat);
  });

  it('makes [size_is(n), unique] T a[] in a struct a unique pointer to the array, as MIDL does', () => {
    const text = `${HEADER}{
  typedef struct _LIST { unsigned long Count; [size_is(Count), unique] unsigned long Entries[]; } LIST;
  void F([in] LIST *l);
}`;
    const s = parseIdl(text).interfaces[0]?.types.LIST;
    expect(s?.kind === 'struct' && s.fields[1]?.type).toEqual({
      kind: 'pointer',
      pointer: 'unique',
      target: {
        kind: 'array',
        element: { kind: 'primitive', name: 'ulong' },
        size: { is: { kind: 'ident', name: 'Count' } },
      },
    });
    expect(compileIdl(text)[0]?.types.LIST).toMatchObject({ size: 16 }); // a pointer after the count
  });

  it.each([
    ['0x00FFFFFF & Level', 0x00ffffff],
    ['Reserved & 0xffff', 0xffff],
  ])('compiles switch_is(%s) into an expression callback ([MS-PAR], [MS-RPRN])', (expr, mask) => {
    const name = expr.includes('Level') ? 'Level' : 'Reserved';
    const text = `${HEADER}{
  typedef [switch_type(unsigned long)] union _INFO { [case(1)] long a; [case(2)] short b; } INFO;
  void F([in] unsigned long ${name}, [in, switch_is(${expr})] INFO *Info);
}`;
    const [c] = compileIdl(text, { async: false });
    const program = Array.from(c?.exprPrograms?.[0] ?? []);
    expect(program[0]).toBe(0); // no first_is
    expect(program[1]).toBe(0x27); // '&'
    expect(program).toContain(mask & 0xff);
    // The union's descriptor: FC_NON_ENCAPSULATED_UNION, its switch type, then an FC_CALLBACK correlation.
    const tf = Array.from(c?.typeFormat ?? []);
    const at = tf.indexOf(FC.NON_ENCAPSULATED_UNION);
    expect(tf[at + 3]).toBe(FC.CALLBACK);
  });

  it('reads [idempotent], [maybe] and [broadcast] into rpcFlags, and skips [callback] procedures without an opnum', () => {
    const m = parseIdl(`${HEADER}{
  [idempotent] long A([in] long x);
  [callback] void Notify([in] long x);
  [maybe, broadcast] void B([in] long x);
  void C(void);
}`);
    const procs = m.interfaces[0]?.procedures ?? [];
    expect(procs.map((p) => [p.name, p.opnum, p.rpcFlags])).toEqual([
      ['A', 0, { idempotent: true }],
      ['B', 1, { maybe: true, broadcast: true }],
      ['C', 2, undefined],
    ]);
    expect(m.warnings.map((w) => w.message)).toEqual([
      "skipped procedure 'Notify': a [callback] runs in the client",
    ]);
  });

  it('predefines __midl as 801, so #ifdef __midl blocks are read', () => {
    const text = `#ifdef __midl
#if __midl >= 501
typedef [range(0, 64)] unsigned long BOUNDED;
#endif
#else
#error not MIDL
#endif
${HEADER}{ void F([in] BOUNDED n); }`;
    expect(parseIdl(text).interfaces[0]?.procedures[0]?.params[0]?.type).toEqual({
      kind: 'primitive',
      name: 'ulong',
      alias: 'BOUNDED',
      range: { min: 0, max: 64 },
    });
  });

  it('imports SDK files it ships and ignores SAL annotations', () => {
    const text = `import "wtypes.idl";
import "unknwn.idl";
import "oaidl.idl";
import "ms-dtyp.idl";
#include <specstrings.h>
${HEADER}{
  typedef [context_handle] void *LOCK_HANDLE;
  _Check_return_ HRESULT Lock(
    [in] handle_t h,
    [in] _In_ REFIID riid,
    [out] _Acquires_exclusive_lock_(*phLock) LOCK_HANDLE *phLock,
    [in] __RPC__in ACCESS_MASK Access,
    [in, range(0, 16)] _In_range_(0, 16) DWORD cb,
    [out, size_is(cb)] _Out_writes_(cb) __RPC__out_ecount_full(cb) BYTE *pb,
    [in, out] _Inout_ __inout_opt FILETIME *When,
    [in, string] LPCOLESTR Name);
}`;
    const m = parseIdl(text, { file: 'x.idl' });
    const p = m.interfaces[0]?.procedures[0];
    expect(p?.params.map((x) => x.name)).toEqual(['riid', 'phLock', 'Access', 'cb', 'pb', 'When', 'Name']);
    expect(p?.params[0]?.type).toMatchObject({ kind: 'pointer', target: { kind: 'named', name: 'GUID' } });
    // SDK declarations no procedure uses stay out of the interface, and out of the warnings.
    expect(Object.keys(m.interfaces[0]?.types ?? {}).sort()).toEqual(['FILETIME', 'GUID']);
    expect(m.warnings).toEqual([]);
    expect(() => compileIdl(text)).not.toThrow();
    // An SDK type winrpc cannot send is refused where it is used.
    expect(errorOf(`import "oaidl.idl";\n${HEADER}{ void F([in] BSTR s); }`).message).toMatch(
      /x\.idl:8:\d+: 'BSTR' cannot be used: attribute \[wire_marshal\] on a typedef is not supported yet/,
    );
  });

  it('ships ntdsapi.h with the [MS-DRSR] structures, read with MIDL_PASS defined (DSInternals drsr)', () => {
    const imports = `#ifdef MIDL_PASS
#define DECLSPEC_IMPORT
#define WINAPI
typedef LONGLONG USN;
#endif
#include <specstrings.h>
#include <ntdsapi.h>
`;
    const text = `import "drsr_imports.idl";
${HEADER}{ unsigned long IDL_DRSCrackNames([in] handle_t h, [out] DS_NAME_RESULTW **ppResult); }`;
    const readFile = (path: string) =>
      ({
        'drsr_imports.idl': `[uuid(9e1a3e2f-16f0-4d0b-a6c3-2f7c0d61d1a5), version(1.0)]
interface ntdsapi_import {
#include "drsr_imports.h"
}`,
        'drsr_imports.h': imports,
      })[path];
    const m = parseIdl(text, { file: 'x.idl', readFile });
    expect(Object.keys(m.interfaces[0]?.types ?? {}).sort()).toEqual([
      'DS_NAME_RESULTW',
      'DS_NAME_RESULT_ITEMW',
    ]);
    expect(m.warnings).toEqual([]);
    expect(() => compileIdl(text, { readFile })).not.toThrow();
  });

  it('reads TCHAR by UNICODE and sizeof of a typedef in size_is (sudo-for-windows)', () => {
    const text = `import "oaidl.idl";
${HEADER}{
  unsigned long Launch([in, string] LPTSTR userName, [in] unsigned long n,
    [in, size_is(n * sizeof(TCHAR)), length_is(n)] TCHAR *environment);
}`;
    const params = (defines: Record<string, string>) =>
      parseIdl(text, { defines }).interfaces[0]?.procedures[0]?.params;
    expect(params({ UNICODE: '1' })?.[0]?.type).toMatchObject({
      target: { kind: 'string', char: 'wchar_t' },
    });
    expect(params({})?.[0]?.type).toMatchObject({ target: { kind: 'string', char: 'char' } });
    const size = (defines: Record<string, string>) => {
      const t = params(defines)?.[2]?.type;
      return t?.kind === 'pointer' && t.target.kind === 'array' ? t.target.size : undefined;
    };
    const times = (k: number) => ({
      is: {
        kind: 'binary',
        op: '*',
        left: { kind: 'ident', name: 'n' },
        right: { kind: 'number', value: k },
      },
    });
    expect(size({ UNICODE: '1' })).toEqual(times(2));
    expect(size({})).toEqual(times(1));
  });

  it('ships the COM activation structures of objidl.idl ([MS-DCOM] RemoteCreateInstance and the like)', () => {
    const text = `import "oaidl.idl";
${HEADER}{ void F([in, unique] COSERVERINFO *info); }`;
    const types = parseIdl(text).interfaces[0]?.types ?? {};
    expect(Object.keys(types).sort()).toEqual(['COAUTHIDENTITY', 'COAUTHINFO', 'COSERVERINFO']);
    expect(() => compileIdl(text)).not.toThrow();
  });

  it('recognises SAL by its naming patterns, not struct tags or RPC header macros', () => {
    for (const name of [
      '_In_',
      '_Out_writes_bytes_opt_',
      '_Acquires_exclusive_lock_',
      '_COM_Outptr_',
      '__in_ecount',
      '__RPC__in_opt',
      '__RPC__out_ecount_full',
      '__checkReturn',
    ])
      expect([name, isSalAnnotation(name)]).toEqual([name, true]);
    for (const name of [
      '_GUID',
      '_RPC_SID',
      '__RPC_FAR',
      '__RPC_USER',
      'In',
      '_FOO_BAR_',
      'Level',
      '__int64',
    ])
      expect([name, isSalAnnotation(name)]).toEqual([name, false]);
  });

  it('carries [range] on a [string] struct field ([MS-SCMR])', () => {
    const text = `${HEADER}{
  typedef struct _SERVICE_DESCRIPTIONW { [string, range(0, 8 * 1024)] wchar_t *lpDescription; } SERVICE_DESCRIPTIONW;
  void F([in] SERVICE_DESCRIPTIONW *d);
}`;
    const s = parseIdl(text).interfaces[0]?.types.SERVICE_DESCRIPTIONW;
    expect(s?.kind === 'struct' && s.fields[0]?.type).toEqual({
      kind: 'pointer',
      pointer: 'unique',
      target: { kind: 'string', char: 'wchar_t', range: { min: 0, max: 8192 } },
    });
    expect(() => compileIdl(text)).not.toThrow();
  });
});

/** The format strings of an interface, to show two spellings compile to the same bytes. */
function formatsOf(text: string): { proc: string; type: string } {
  const [iface] = compileIdl(text, { file: 'x.idl' });
  const hex = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('hex');
  return { proc: hex(iface?.procFormat), type: hex(iface?.typeFormat) };
}

describe('MIDL parity: [MS-SCMR] Appendix A as published', () => {
  it('takes [context_handle] on a typedef of a pointer typedef (SC_RPC_HANDLE over [MS-DTYP] PVOID)', () => {
    const body = (handle: string) => `typedef void VOID, *PVOID, *LPVOID;
typedef PVOID PVOID2;
${HEADER}{
  typedef [context_handle] ${handle} SC_RPC_HANDLE;
  typedef SC_RPC_HANDLE *LPSC_RPC_HANDLE;
  long Open([out] LPSC_RPC_HANDLE h);
  long Use([in] SC_RPC_HANDLE h);
  long Close([in, out] LPSC_RPC_HANDLE h);
}`;
    const params = parseIdl(body('PVOID')).interfaces[0]?.procedures.map((p) => p.params[0]?.type);
    expect(params?.[1]).toEqual({ kind: 'context_handle', alias: 'SC_RPC_HANDLE' });
    expect(params?.[0]).toMatchObject({ kind: 'pointer', target: { kind: 'context_handle' } });
    // The same format strings as the `void *` spelling, through one alias or two.
    expect(formatsOf(body('PVOID'))).toEqual(formatsOf(body('void *')));
    expect(formatsOf(body('PVOID2'))).toEqual(formatsOf(body('void *')));
    // A typedef of anything but a pointer is still no context handle.
    expect(() =>
      parseIdl(`typedef unsigned long DWORD;\n${HEADER}{ typedef [context_handle] DWORD H; }`),
    ).toThrow(/\[context_handle\] needs a pointer type/);
  });

  it('sizes a [string] pointer typedef by size_is: LPSTR / LPWSTR as a conformant string (RGetServiceDisplayNameA)', () => {
    // `t` has no [string] of its own: an LPSTR is one anyway, a `char *` needs it.
    const proc = (type: string, tAttrs = 'out, size_is(n)') => `${HEADER}{
  long F([in] long n, [out, string, size_is(n)] ${type} s, [${tAttrs}] ${type} t, [in, out] long *p);
  long G([in, out] long *pcch, [out, string, size_is(*pcch)] ${type} name);
}`;
    const [s, t] = parseIdl(proc('LPSTR')).interfaces[0]?.procedures[0]?.params.slice(1) ?? [];
    const sized = { kind: 'string', char: 'char', size: { is: { kind: 'ident', name: 'n' } } };
    expect(s?.type).toEqual({ kind: 'pointer', pointer: 'ref', target: sized });
    // The typedef's [string] holds without one on the parameter, as in MIDL.
    expect(t?.type).toEqual(s?.type);
    const asString = 'out, string, size_is(n)';
    expect(formatsOf(proc('LPSTR'))).toEqual(formatsOf(proc('char *', asString)));
    expect(formatsOf(proc('LPWSTR'))).toEqual(formatsOf(proc('wchar_t *', asString)));
    expect(() =>
      parseIdl(`${HEADER}{ long F([in] long n, [out, size_is(n), length_is(n)] LPSTR s); }`),
    ).toThrow(/\[length_is\] on a \[string\]/);
  });

  it('names an unnamed union member of a struct u (then u2...), laid out and sent as a named one (SC_RPC_CONFIG_INFOW)', () => {
    const struct = (name: string) => `${HEADER}{
  typedef struct { [string] wchar_t *lpDescription; } SERVICE_DESCRIPTIONW;
  typedef struct _SC_RPC_CONFIG_INFOW {
    unsigned long dwInfoLevel;
    [switch_is(dwInfoLevel)] union {
      [case(1)] SERVICE_DESCRIPTIONW *psd;
      [case(2)] hyper big;
      [default] ;
    }${name};
  } SC_RPC_CONFIG_INFOW;
  long Change([in] SC_RPC_CONFIG_INFOW Info);
  long Query([out] SC_RPC_CONFIG_INFOW *Info);
}`;
    const info = parseIdl(struct('')).interfaces[0]?.types.SC_RPC_CONFIG_INFOW;
    expect(info?.kind === 'struct' && info.fields.map((f) => [f.name, f.unnamed])).toEqual([
      ['dwInfoLevel', undefined],
      ['u', true],
    ]);
    // Wire and C layout: those of the member named u (MIDL's header: an anonymous union).
    expect(formatsOf(struct(''))).toEqual(formatsOf(struct(' u')));
    const [iface] = compileIdl(struct(''), { file: 'x.idl' });
    expect(iface?.unavailable).toBeUndefined();
    expect(iface?.types.SC_RPC_CONFIG_INFOW).toEqual(compileIdl(struct(' u'))[0]?.types.SC_RPC_CONFIG_INFOW);

    // A second unnamed union is u2; a member already called u moves the name on.
    const two = parseIdl(`${HEADER}{
  typedef struct { long u; long a; long b;
    [switch_is(a)] union { [case(1)] long x; [default] ; };
    [switch_is(b)] union { [case(1)] long y; [default] ; };
  } S;
  long F([in] S s);
}`).interfaces[0]?.types.S;
    expect(two?.kind === 'struct' && two.fields.map((f) => f.name)).toEqual(['u', 'a', 'b', 'u2', 'u3']);
    // An unnamed union still needs [switch_is], as a named one does.
    expect(
      errorOf(`${HEADER}{ typedef struct { long a; union { [case(1)] long x; }; } S; long F([in] S s); }`)
        .message,
    ).toMatch(/a union member without \[switch_is\] \('u' of 'S'\)/);
  });
});

describe('MIDL parity: shapes from the MIDL-output fixtures', () => {
  it('reads an import inside the interface body ([MS-RPRN] as published) and IDL-side implicit_handle', () => {
    const text = `[uuid(12345678-1234-ABCD-EF00-0123456789AB), version(1.0), ms_union,
  endpoint("ncacn_np:[\\\\pipe\\\\spoolss]"), implicit_handle(handle_t hBinding), pointer_default(unique)]
interface winspool {
  import "oaidl.idl";
  DWORD RpcClosePrinter([in] GUID *g);
}`;
    const [iface] = parseIdl(text).interfaces;
    expect(iface?.acfHandle).toEqual({ kind: 'implicit_handle', name: 'hBinding' });
    expect(iface?.endpoints).toEqual(['ncacn_np:[\\pipe\\spoolss]']);
    expect(() => compileIdl(text)).not.toThrow();
  });

  it('accepts [ref] on a context handle parameter ([MS-DRSR] IDL_DRSReplicaSync)', () => {
    const text = `${HEADER}{
  typedef [context_handle] void *DRS_HANDLE;
  unsigned long IDL_DRSUnbind([in, out, ref] DRS_HANDLE *phDrs);
  unsigned long IDL_DRSReplicaSync([in, ref] DRS_HANDLE hDrs, [in] unsigned long dwVersion);
}`;
    expect(parseIdl(text).interfaces[0]?.procedures[1]?.params[0]?.type).toEqual({
      kind: 'context_handle',
      alias: 'DRS_HANDLE',
    });
    expect(() => compileIdl(text)).not.toThrow();
  });

  it('reads [size_is(n,)] on a struct field as sizing the outer pointer only ([MS-DRSR] DRS_MSG_REVMEMB_REQ_V1)', () => {
    const fields = (attr: string) => {
      const s = parseIdl(`${HEADER}{
  typedef struct { long n; } DSNAME;
  typedef struct { [range(1,10000)] unsigned long cDsNames; [${attr}] DSNAME **ppDsNames; } REQ;
  void F([in] REQ *r);
}`).interfaces[0]?.types.REQ;
      return s?.kind === 'struct' ? s.fields[1]?.type : undefined;
    };
    expect(fields('size_is(cDsNames,)')).toEqual(fields('size_is(cDsNames)'));
    expect(fields('size_is(cDsNames,)')).toMatchObject({ kind: 'pointer', target: { kind: 'array' } });
    // An inner level's count is what the engine cannot read in a struct: refused where used.
    expect(
      errorOf(`${HEADER}{ typedef struct { long n; [size_is(,n)] long **pp; } S; void F([in] S *s); }`)
        .message,
    ).toMatch(
      /'S' cannot be used: \[size_is\] on more than one level outside a parameter is not supported yet/,
    );
  });

  it('carries [range] on an enum parameter ([MS-FRS2] RequestUpdates)', () => {
    const text = `${HEADER}{
  typedef enum _UPDATE_REQUEST_TYPE { UPDATE_REQUEST_ALL, UPDATE_REQUEST_TOMBSTONES, UPDATE_REQUEST_LIVE } UPDATE_REQUEST_TYPE;
  void F([in, range(UPDATE_REQUEST_ALL, UPDATE_REQUEST_LIVE)] UPDATE_REQUEST_TYPE t);
}`;
    expect(parseIdl(text).interfaces[0]?.procedures[0]?.params[0]?.type).toEqual({
      kind: 'named',
      name: 'UPDATE_REQUEST_TYPE',
      range: { min: 0, max: 2 },
    });
    expect(() => compileIdl(text)).not.toThrow();
  });

  it('skips an anonymous C union (arms without [case]) inside a struct ([MS-DTYP] EVENT_HEADER)', () => {
    const m = parseIdl(`typedef struct _EVENT_HEADER {
    unsigned short Size;
    union {
    struct {
        unsigned long KernelTime;
        unsigned long UserTime;
    };
    unsigned hyper ProcessorTime;
    };
} EVENT_HEADER, *PEVENT_HEADER;
${HEADER}{ void F(void); }`);
    expect(m.warnings.map((w) => w.message)).toEqual([
      "skipped 'EVENT_HEADER', 'PEVENT_HEADER', which no procedure uses: a C union ('EVENT_HEADER_u' has an arm without [case] or [default]) is not supported yet",
    ]);
  });
});

describe('MIDL parity: what the MIDL differential measured', () => {
  it('reads BYTE as the SDK declares it (byte) in files that import it, and as [MS-DTYP] otherwise', () => {
    const body = `${HEADER}{ void F([in] BYTE b, [in] BOOLEAN f); }`;
    const types = (text: string) => parseIdl(text).interfaces[0]?.procedures[0]?.params.map((p) => p.type);
    expect(types(`import "ocidl.idl";\n${body}`)).toEqual([
      { kind: 'primitive', name: 'byte', alias: 'BYTE' },
      { kind: 'primitive', name: 'boolean', alias: 'BOOLEAN' },
    ]);
    expect(types(body)).toEqual([
      { kind: 'primitive', name: 'uchar', alias: 'BYTE' },
      { kind: 'primitive', name: 'uchar', alias: 'BOOLEAN' },
    ]);
  });

  it('folds a wholly constant size into a constant, as MIDL writes max_is(257) (lpp)', () => {
    const text = `const long MAX = 1024;
${HEADER}{ long F([in, string, max_is(257)] wchar_t *u, [in, string, size_is(MAX + 1)] wchar_t *p, [in] long n, [in, size_is(n + 2)] byte *b); }`;
    const params = parseIdl(text).interfaces[0]?.procedures[0]?.params ?? [];
    const size = (i: number) => {
      const t = params[i]?.type;
      return t?.kind === 'pointer' && (t.target.kind === 'string' || t.target.kind === 'array')
        ? t.target.size
        : undefined;
    };
    expect([size(0), size(1)]).toEqual([
      { is: { kind: 'number', value: 258 } },
      { is: { kind: 'number', value: 1025 } },
    ]);
    expect(size(3)).toEqual({
      is: {
        kind: 'binary',
        op: '+',
        left: { kind: 'ident', name: 'n' },
        right: { kind: 'number', value: 2 },
      },
    });
  });

  it("looks up an imported file's includes beside it (DSInternals drsr_imports.idl -> drsr_imports.h)", () => {
    const files: Record<string, string> = {
      'src/main.idl': `import "sub/imports.idl";\n${HEADER}{ void F([in] SIZE s); }`,
      'src/sub/imports.idl': '#include "imports.h"\n',
      'src/sub/imports.h': 'typedef struct _SIZE { long cx; long cy; } SIZE;\n',
    };
    // A readFile that, like the CLI's, looks next to the including file.
    const next = (path: string, from: string) => files[from.replace(/[^/]*$/, '') + path];
    const m = parseIdl(files['src/main.idl'] as string, { file: 'src/main.idl', readFile: next });
    expect(m.interfaces[0]?.types.SIZE?.loc.file).toBe('src/sub/imports.h');
    // One that says where it found each file is taken at its word.
    const found = (path: string, from: string) => {
      const file = from.replace(/[^/]*$/, '') + path;
      return files[file] === undefined ? undefined : { text: files[file] as string, file };
    };
    expect(
      parseIdl(files['src/main.idl'] as string, { file: 'src/main.idl', readFile: found }).interfaces[0]
        ?.types.SIZE?.loc.file,
    ).toBe('src/sub/imports.h');
  });
});

describe('MIDL parity: what winrpc cannot honour is skipped unless a procedure uses it', () => {
  // [MS-DTYP]-style declarations with C-only constructs, an object interface and a pipe.
  const UNUSABLE = `typedef struct _ULARGE { union { struct { unsigned long Low; unsigned long High; } s; unsigned hyper Quad; }; } ULARGE;
typedef struct _ACE_LIST { unsigned long Count; unsigned long Entries[]; } ACE_LIST;
typedef struct _MATRIX { long n; long k; [size_is(n, k)] long **rows; } MATRIX;
typedef pipe unsigned char BYTE_PIPE;
interface IUnknown;
typedef [unique] IUnknown *PUNK;
typedef struct _OPAQUE *POPAQUE;
[object, uuid(00000131-0000-0000-C000-000000000046)]
interface IRemUnknown : IUnknown {
  HRESULT RemRelease([in] unsigned short cRefs);
}
[local] interface helpers { void Local(void); }
`;

  it('compiles the RPC interface beside them, with one warning each', () => {
    const text = `${UNUSABLE}${HEADER}{ long F([in] long x); }`;
    const m = parseIdl(text, { file: 'x.idl' });
    expect(m.interfaces.map((i) => i.name)).toEqual(['eventlog']);
    expect(Object.keys(m.interfaces[0]?.types ?? {})).toEqual([]);
    expect(m.warnings.map((w) => `${w.loc.line}: ${w.message}`)).toEqual([
      "1: skipped 'ULARGE', which no procedure uses: a C union ('ULARGE_u' has an arm without [case] or [default]) is not supported yet",
      "2: skipped 'ACE_LIST', which no procedure uses: conformant array 'Entries' needs [size_is] or [max_is]",
      "3: skipped 'MATRIX', which no procedure uses: [size_is] on more than one level outside a parameter is not supported yet",
      "4: skipped 'BYTE_PIPE', which no procedure uses: pipe is not supported yet",
      "6: skipped 'PUNK', which no procedure uses: interface pointer ('IUnknown') is not supported yet",
      "9: skipped interface 'IRemUnknown': an object (COM) interface is not supported yet",
      "12: skipped interface 'helpers': a [local] interface is not supported yet",
    ]);
    expect(() => compileIdl(text)).not.toThrow();
  });

  it.each([
    [
      'ULARGE',
      /x\.idl:19:\d+: 'ULARGE' cannot be used: a C union \('ULARGE_u' has an arm without \[case\] or \[default\]\) is not supported yet \(x\.idl:1:\d+\)/,
    ],
    [
      'ACE_LIST',
      /x\.idl:19:\d+: 'ACE_LIST' cannot be used: conformant array 'Entries' needs \[size_is\] or \[max_is\] \(x\.idl:2:\d+\)/,
    ],
    ['MATRIX', /x\.idl:19:\d+: 'MATRIX' cannot be used: \[size_is\] on more than one level/],
    ['PUNK', /x\.idl:19:\d+: 'PUNK' cannot be used: interface pointer \('IUnknown'\) is not supported yet/],
    ['IUnknown', /x\.idl:19:\d+: interface pointer \('IUnknown'\) is not supported yet/],
    ['POPAQUE', /x\.idl:19:\d+: struct '_OPAQUE' is declared but never defined/],
  ])('refuses %s where a procedure uses it, with the position of the use', (type, message) => {
    const e = errorOf(`${UNUSABLE}${HEADER}{ long F([in] ${type} *x); }`);
    expect(e.message).toMatch(message);
  });

  it('keeps a procedure that sends a pipe out of the client, with its opnum taken and the reason', () => {
    const m = parseIdl(
      `${UNUSABLE}${HEADER}{ long F([in] long a); long G([in] BYTE_PIPE p); long H(void); }`,
      {
        file: 'x.idl',
      },
    );
    const iface = m.interfaces[0];
    expect(iface?.procedures.map((p) => [p.name, p.opnum])).toEqual([
      ['F', 0],
      ['H', 2],
    ]);
    expect(iface?.unavailable).toEqual([
      {
        name: 'G',
        opnum: 1,
        reason: expect.stringMatching(
          /^x\.idl:19:\d+: 'BYTE_PIPE' cannot be used: pipe is not supported yet/,
        ),
      },
    ]);
    expect(m.warnings.at(-1)?.message).toMatch(
      /^procedure 'G' \(opnum 1\) cannot be called: 'BYTE_PIPE' cannot be used/,
    );
    const [compiled] = compileIdl(
      `${UNUSABLE}${HEADER}{ long F([in] long a); long G([in] BYTE_PIPE p); long H(void); }`,
    );
    expect(compiled?.unavailable?.map((u) => u.name)).toEqual(['G']);
  });

  it('skips bit fields and function pointers (C header shapes) unless a procedure uses them', () => {
    const decls = `typedef struct _FLAGS { unsigned long Valid : 1; unsigned long Spare : 31; } FLAGS;
typedef void (__RPC_USER *PFN_NOTIFY)(unsigned long code);
`;
    const m = parseIdl(`${decls}${HEADER}{ void F(void); }`, { file: 'x.idl' });
    expect(m.warnings.map((w) => `${w.loc.line}:${w.loc.column}: ${w.message}`)).toEqual([
      "1:39: skipped 'FLAGS', which no procedure uses: bit field 'Valid' of 'FLAGS' is not supported yet",
      "2:27: skipped 'PFN_NOTIFY', which no procedure uses: function pointer 'PFN_NOTIFY' is not supported yet",
    ]);
    expect(errorOf(`${decls}${HEADER}{ void F([in] FLAGS *f); }`).message).toMatch(
      /x\.idl:9:\d+: 'FLAGS' cannot be used: bit field 'Valid' of 'FLAGS' is not supported yet \(x\.idl:1:39\)/,
    );
    expect(errorOf(`${decls}${HEADER}{ void F([in] PFN_NOTIFY f); }`).message).toMatch(
      /x\.idl:9:\d+: 'PFN_NOTIFY' cannot be used: function pointer 'PFN_NOTIFY' is not supported yet/,
    );
  });

  it('refuses a C union (arms without [case]) where it is used', () => {
    const text = `typedef union _U { long a; short b; } U;\n${HEADER}{ void F([in] U *u); }`;
    expect(
      parseIdl(`typedef union _U { long a; short b; } U;\n${HEADER}{ void F(void); }`).warnings,
    ).toHaveLength(1);
    expect(errorOf(text).message).toMatch(
      /x\.idl:8:\d+: 'U' cannot be used: a C union \('U' has an arm without \[case\] or \[default\]\)/,
    );
    expect(errorOf(text).kind).toBe('unsupported');
  });

  it('skips type library blocks with a warning', () => {
    const m = parseIdl(
      `${HEADER}{ void F(void); }\nlibrary EventLib { coclass Log { interface eventlog; }; };`,
    );
    expect(m.interfaces).toHaveLength(1);
    expect(m.warnings.map((w) => w.message)).toEqual([
      "skipped library 'EventLib': type library content is not supported yet",
    ]);
  });

  it('prints the warnings from the CLI', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'winrpc-parity-')), 'x.idl');
    writeFileSync(file, `typedef pipe long LP;\n${HEADER}{ void F(void); }\n`);
    const stderr: string[] = [];
    const code = await main(['inspect', file], { stdout: () => {}, stderr: (t) => stderr.push(t) });
    expect(code).toBe(0);
    expect(stderr.join('')).toBe(
      `${file}:1:9: warning: skipped 'LP', which no procedure uses: pipe is not supported yet\n`,
    );
  });
});

describe('IdlError kinds', () => {
  it('says syntax, unsupported or internal, and keeps an internal fault as its cause', () => {
    expect(errorOf(`${HEADER}{ void F([in] NOPE x); }`).kind).toBe('syntax');
    expect(errorOf(`${HEADER}{ void F([in] long x, ...); }`).kind).toBe('unsupported');
    const fault = new TypeError('x is undefined');
    const e = asIdlError(fault, 'compiling', { file: 'x.idl', line: 1, column: 1 });
    expect([e.kind, e.cause, e.message]).toEqual([
      'internal',
      fault,
      'x.idl:1:1: internal error while compiling: x is undefined',
    ]);
    expect(asIdlError(e, 'parsing', { file: 'y.idl', line: 2, column: 2 })).toBe(e);
  });
});
