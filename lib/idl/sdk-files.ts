// The Windows SDK files real IDL imports or includes, as winrpc's own minimal text: the
// declarations RPC interfaces take from them, written from Microsoft's documentation
// ([MS-DTYP], [MS-OAUT], [MS-DCOM] and the MIDL reference). An IDL that finds the real file
// through readFile reads that instead. Headers MIDL reads only for C (SAL, rpc.h) are empty:
// SAL annotations are dropped after preprocessing (sal.ts).
// Types declared here are listed in an interface only when it uses them (as the prelude's).

/** The file name built-in text is read under (so positions say where it came from). */
export const SDK_FILE_PREFIX = '<winrpc-sdk>/';

const EMPTY_HEADER = '/* Only C reads this header; MIDL needs nothing from it. */\n';

const WTYPESBASE_IDL = `
typedef WCHAR OLECHAR;
typedef [string] OLECHAR *LPOLESTR;
typedef [string] const OLECHAR *LPCOLESTR;
typedef GUID IID;
typedef IID *LPIID;
typedef GUID CLSID;
typedef CLSID *LPCLSID;
typedef GUID FMTID;
typedef const GUID *REFGUID;
typedef const IID *REFIID;
typedef const CLSID *REFCLSID;
typedef const FMTID *REFFMTID;
typedef long SCODE;
typedef unsigned short LANGID;
typedef struct _BYTE_BLOB {
  unsigned long clSize;
  [size_is(clSize)] byte abData[];
} BYTE_BLOB;
typedef [unique] BYTE_BLOB *UP_BYTE_BLOB;
typedef struct _WORD_BLOB {
  unsigned long clSize;
  [size_is(clSize)] unsigned short asData[];
} WORD_BLOB;
typedef [unique] WORD_BLOB *UP_WORD_BLOB;
typedef struct _DWORD_BLOB {
  unsigned long clSize;
  [size_is(clSize)] unsigned long alData[];
} DWORD_BLOB;
typedef [unique] DWORD_BLOB *UP_DWORD_BLOB;
typedef struct _FLAGGED_BYTE_BLOB {
  unsigned long fFlags;
  unsigned long clSize;
  [size_is(clSize)] byte abData[];
} FLAGGED_BYTE_BLOB;
typedef [unique] FLAGGED_BYTE_BLOB *UP_FLAGGED_BYTE_BLOB;
typedef struct _FLAGGED_WORD_BLOB {
  unsigned long fFlags;
  unsigned long clSize;
  [size_is(clSize)] unsigned short asData[];
} FLAGGED_WORD_BLOB;
typedef [unique] FLAGGED_WORD_BLOB *UP_FLAGGED_WORD_BLOB;
`;

const WTYPES_IDL = `
import "wtypesbase.idl";
typedef unsigned short VARTYPE;
typedef short VARIANT_BOOL;
typedef double DATE;
typedef struct tagDEC {
  unsigned short wReserved;
  byte scale;
  byte sign;
  unsigned long Hi32;
  unsigned hyper Lo64;
} DECIMAL;
typedef [unique] FLAGGED_WORD_BLOB *wireBSTR;
/* BSTR reaches the wire through a user marshaller, which winrpc has no C code for. */
typedef [wire_marshal(wireBSTR)] OLECHAR *BSTR;
`;

const UNKNWN_IDL = `
import "wtypes.idl";
[local, object, uuid(00000000-0000-0000-C000-000000000046), pointer_default(unique)]
interface IUnknown {
  HRESULT QueryInterface([in] REFIID riid, [out, iid_is(riid)] void **ppvObject);
  ULONG AddRef();
  ULONG Release();
}
typedef [unique] IUnknown *LPUNKNOWN;
`;

const OBJIDL_IDL = `
import "unknwn.idl";
interface IStream;
interface IStorage;
interface IMoniker;
interface IBindCtx;
interface IEnumString;
interface IEnumUnknown;
interface IRunningObjectTable;
interface IPersist;
interface IMarshal;
`;

const OAIDL_IDL = `
import "objidl.idl";
interface IDispatch;
interface ITypeInfo;
interface ITypeLib;
interface IRecordInfo;
interface IEnumVARIANT;
/* VARIANT and SAFEARRAY reach the wire through user marshallers ([MS-OAUT] 2.2). */
typedef [wire_marshal(wireVARIANT)] struct tagVARIANT VARIANT;
typedef [wire_marshal(wireSAFEARRAY)] struct tagSAFEARRAY *LPSAFEARRAY;
`;

/** [MS-DTYP] names beyond the prelude's (which already holds its structs and integers). */
const MS_DTYP_IDL = `
typedef DWORD ACCESS_MASK;
typedef ACCESS_MASK *PACCESS_MASK;
typedef DWORD SECURITY_INFORMATION;
typedef DWORD *PSECURITY_INFORMATION;
typedef long NTSTATUS;
typedef unsigned long ULONG32;
typedef long LONG32;
typedef unsigned hyper QWORD;
typedef WORD *LPWORD;
typedef WORD *PWORD;
typedef BOOL *LPBOOL;
typedef BOOL *PBOOL;
typedef LONG *LPLONG;
typedef CHAR *PCHAR;
typedef WCHAR *PWCHAR;
typedef ULONGLONG *PULONGLONG;
typedef struct _SID_IDENTIFIER_AUTHORITY {
  BYTE Value[6];
} SID_IDENTIFIER_AUTHORITY, *PSID_IDENTIFIER_AUTHORITY;
`;

const SDK_FILES: Record<string, string> = {
  'wtypesbase.idl': WTYPESBASE_IDL,
  'wtypes.idl': WTYPES_IDL,
  'unknwn.idl': UNKNWN_IDL,
  'objidl.idl': OBJIDL_IDL,
  'oaidl.idl': OAIDL_IDL,
  'ms-dtyp.idl': MS_DTYP_IDL,
  'specstrings.h': EMPTY_HEADER,
  'specstrings_strict.h': EMPTY_HEADER,
  'sal.h': EMPTY_HEADER,
  'driverspecs.h': EMPTY_HEADER,
  'rpc.h': EMPTY_HEADER,
  'rpcndr.h': EMPTY_HEADER,
  'rpcsal.h': EMPTY_HEADER,
  'basetsd.h': EMPTY_HEADER,
  'winerror.h': EMPTY_HEADER,
  'windef.h': EMPTY_HEADER,
  'winnt.h': EMPTY_HEADER,
  'sdkddkver.h': EMPTY_HEADER,
};

/** The built-in text of an SDK file (by its base name, any case), or undefined. */
export function sdkFile(path: string): string | undefined {
  const base = path.replace(/^.*[\\/]/, '').toLowerCase();
  return Object.hasOwn(SDK_FILES, base) ? SDK_FILES[base] : undefined;
}

/** Whether a declaration comes from winrpc's own text (the prelude or an SDK file). */
export function isBuiltinFile(file: string): boolean {
  return file.startsWith('<winrpc-');
}
