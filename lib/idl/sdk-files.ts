// The Windows SDK files real IDL imports or includes, as winrpc's own minimal text: the
// declarations RPC interfaces take from them, written from Microsoft's documentation
// ([MS-DTYP], [MS-OAUT], [MS-DRSR] and the MIDL reference). An IDL that finds the real file
// through readFile reads that instead. Headers MIDL reads only for C (SAL, rpc.h) are empty:
// SAL annotations are dropped after preprocessing (sal.ts).
// Types declared here are listed in an interface only when it uses them (as the prelude's).

/** The file name built-in text is read under (so positions say where it came from). */
export const SDK_FILE_PREFIX = '<winrpc-sdk>/';

const EMPTY_HEADER = '/* Only C reads this header; MIDL needs nothing from it. */\n';

const WTYPESBASE_IDL = `
/*
 * The SDK's IDL spells these with MIDL's own base types, where the prelude (after
 * [MS-DTYP]) has unsigned char: MIDL's stubs for files that import the SDK send BYTE as
 * FC_BYTE (measured on the MIDL-output fixtures: ms-rprn, winget-server, PassTheChallenge).
 */
typedef byte BYTE;
typedef boolean BOOLEAN;
typedef BYTE *PBYTE;
typedef BYTE *LPBYTE;
/* TCHAR follows UNICODE (a -D of the MIDL command line), as the SDK has it for C. */
#ifdef UNICODE
typedef WCHAR TCHAR;
typedef [string] WCHAR *LPTSTR;
typedef [string] const WCHAR *LPCTSTR;
#else
typedef char TCHAR;
typedef [string] char *LPTSTR;
typedef [string] const char *LPCTSTR;
#endif
typedef TCHAR *PTCHAR;
/* basetsd.h's pointers to the pointer-sized integers of the prelude. */
typedef ULONG_PTR *PULONG_PTR;
typedef DWORD_PTR *PDWORD_PTR;
typedef SIZE_T *PSIZE_T;
typedef LONG_PTR *PLONG_PTR;
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

/** objidl.idl: the COM activation structures DCOM interfaces send, and interface names. */
const OBJIDL_IDL = `
import "unknwn.idl";
typedef struct _COAUTHIDENTITY {
  [size_is(UserLength + 1)] USHORT *User;
  ULONG UserLength;
  [size_is(DomainLength + 1)] USHORT *Domain;
  ULONG DomainLength;
  [size_is(PasswordLength + 1)] USHORT *Password;
  ULONG PasswordLength;
  ULONG Flags;
} COAUTHIDENTITY;
typedef struct _COAUTHINFO {
  DWORD dwAuthnSvc;
  DWORD dwAuthzSvc;
  LPWSTR pwszServerPrincName;
  DWORD dwAuthnLevel;
  DWORD dwImpersonationLevel;
  COAUTHIDENTITY *pAuthIdentityData;
  DWORD dwCapabilities;
} COAUTHINFO;
typedef struct _COSERVERINFO {
  DWORD dwReserved1;
  LPWSTR pwszName;
  COAUTHINFO *pAuthInfo;
  DWORD dwReserved2;
} COSERVERINFO;
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

/** oleidl.idl and ocidl.idl: OLE interfaces only; what RPC interfaces take is in objidl/oaidl. */
const OLEIDL_IDL = `
import "objidl.idl";
interface IOleWindow;
interface IDropTarget;
`;

const OCIDL_IDL = `
import "oleidl.idl";
import "oaidl.idl";
interface IPropertyBag;
interface IConnectionPoint;
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
/*
 * [MS-DTYP] 2.2 pointer names its protocols' Appendix A IDLs use: PUCHAR ([MS-SRVS],
 * [MS-WKST], [MS-LSAD], [MS-NRPC], [MS-DFSNM]), HANDLE and PVOID under [context_handle]
 * typedefs ([MS-RRP] RPC_HKEY, [MS-SCMR] SC_RPC_HANDLE, [MS-FAX]).
 */
typedef UCHAR *PUCHAR;
typedef USHORT *PUSHORT;
typedef SHORT *PSHORT;
typedef BOOLEAN *PBOOLEAN;
typedef INT *LPINT;
typedef DWORD64 *PDWORD64;
typedef DWORDLONG *PDWORDLONG;
typedef LONG64 *PLONG64;
typedef void *HANDLE;
typedef void *PVOID;
typedef void *LPVOID;
/*
 * [MS-DTYP] declares the string pointer names as plain pointers (2.2.35-2.2.36:
 * \`typedef wchar_t *LPWSTR, *PWSTR;\`), unlike the SDK's wtypesbase.idl (the prelude's
 * [string] ones): an IDL importing ms-dtyp.idl says [string] where it means a string
 * ([MS-TSTS] sizes a PWSTR with size_is/length_is), as MIDL reads it.
 */
typedef wchar_t *LPWSTR, *PWSTR;
typedef const wchar_t *LPCWSTR;
typedef char *PSTR, *LPSTR;
typedef const char *LPCSTR;
typedef void VOID;
typedef const void *LPCVOID;
typedef void *ADCONNECTION_HANDLE;
typedef void *LDAP_UDP_HANDLE;
typedef UCHAR *STRING;
/* [MS-DTYP] 2.3 structures its protocols' IDLs use by name ([MS-SRVS] and [MS-BRWSA] the
 * SERVER_INFO levels, [MS-PAR] SECURITY_DESCRIPTOR, [MS-RAA] OBJECT_TYPE_LIST). */
typedef struct _EVENT_DESCRIPTOR {
  USHORT Id;
  UCHAR Version;
  UCHAR Channel;
  UCHAR Level;
  UCHAR Opcode;
  USHORT Task;
  ULONGLONG Keyword;
} EVENT_DESCRIPTOR, *PEVENT_DESCRIPTOR, *PCEVENT_DESCRIPTOR;
typedef struct _MULTI_SZ {
  wchar_t *Value;
  DWORD nChar;
} MULTI_SZ;
typedef struct _SERVER_INFO_100 {
  DWORD sv100_platform_id;
  [string] wchar_t *sv100_name;
} SERVER_INFO_100, *PSERVER_INFO_100, *LPSERVER_INFO_100;
typedef struct _SERVER_INFO_101 {
  DWORD sv101_platform_id;
  [string] wchar_t *sv101_name;
  DWORD sv101_version_major;
  DWORD sv101_version_minor;
  DWORD sv101_version_type;
  [string] wchar_t *sv101_comment;
} SERVER_INFO_101, *PSERVER_INFO_101, *LPSERVER_INFO_101;
typedef struct _UINT128 {
  UINT64 lower;
  UINT64 upper;
} UINT128, *PUINT128;
typedef struct _OBJECT_TYPE_LIST {
  WORD Level;
  ACCESS_MASK Remaining;
  GUID *ObjectType;
} OBJECT_TYPE_LIST, *POBJECT_TYPE_LIST;
typedef struct _ACL {
  unsigned char AclRevision;
  unsigned char Sbz1;
  unsigned short AclSize;
  unsigned short AceCount;
  unsigned short Sbz2;
} ACL, *PACL;
typedef struct _SECURITY_DESCRIPTOR {
  UCHAR Revision;
  UCHAR Sbz1;
  USHORT Control;
  PSID Owner;
  PSID Group;
  PACL Sacl;
  PACL Dacl;
} SECURITY_DESCRIPTOR, *PSECURITY_DESCRIPTOR;
typedef DWORD HCALL;
typedef wchar_t UNICODE;
typedef struct _SID_IDENTIFIER_AUTHORITY {
  BYTE Value[6];
} SID_IDENTIFIER_AUTHORITY, *PSID_IDENTIFIER_AUTHORITY;
`;

/**
 * ntdsapi.h as MIDL reads it: the directory replication and name-cracking structures RPC
 * sends, as [MS-DRSR] section 5 specifies them (the C functions are not for MIDL). USN
 * comes from the including file, as with the SDK header.
 */
const NTDSAPI_H = `
typedef struct {
  DWORD status;
  [string, unique] WCHAR *pDomain;
  [string, unique] WCHAR *pName;
} DS_NAME_RESULT_ITEMW, *PDS_NAME_RESULT_ITEMW;
typedef struct {
  DWORD cItems;
  [size_is(cItems)] PDS_NAME_RESULT_ITEMW rItems;
} DS_NAME_RESULTW, *PDS_NAME_RESULTW;
typedef struct {
  [string, unique] WCHAR *NetbiosName;
  [string, unique] WCHAR *DnsHostName;
  [string, unique] WCHAR *SiteName;
  [string, unique] WCHAR *ComputerObjectName;
  [string, unique] WCHAR *ServerObjectName;
  BOOL fIsPdc;
  BOOL fDsEnabled;
} DS_DOMAIN_CONTROLLER_INFO_1W, *PDS_DOMAIN_CONTROLLER_INFO_1W;
typedef struct {
  [string, unique] WCHAR *NetbiosName;
  [string, unique] WCHAR *DnsHostName;
  [string, unique] WCHAR *SiteName;
  [string, unique] WCHAR *SiteObjectName;
  [string, unique] WCHAR *ComputerObjectName;
  [string, unique] WCHAR *ServerObjectName;
  [string, unique] WCHAR *NtdsDsaObjectName;
  BOOL fIsPdc;
  BOOL fDsEnabled;
  BOOL fIsGc;
  GUID SiteObjectGuid;
  GUID ComputerObjectGuid;
  GUID ServerObjectGuid;
  GUID NtdsDsaObjectGuid;
} DS_DOMAIN_CONTROLLER_INFO_2W, *PDS_DOMAIN_CONTROLLER_INFO_2W;
typedef struct {
  [string, unique] WCHAR *NetbiosName;
  [string, unique] WCHAR *DnsHostName;
  [string, unique] WCHAR *SiteName;
  [string, unique] WCHAR *SiteObjectName;
  [string, unique] WCHAR *ComputerObjectName;
  [string, unique] WCHAR *ServerObjectName;
  [string, unique] WCHAR *NtdsDsaObjectName;
  BOOL fIsPdc;
  BOOL fDsEnabled;
  BOOL fIsGc;
  BOOL fIsRodc;
  GUID SiteObjectGuid;
  GUID ComputerObjectGuid;
  GUID ServerObjectGuid;
  GUID NtdsDsaObjectGuid;
} DS_DOMAIN_CONTROLLER_INFO_3W, *PDS_DOMAIN_CONTROLLER_INFO_3W;
typedef struct {
  [string] LPWSTR pszNamingContext;
  [string] LPWSTR pszSourceDsaDN;
  [string] LPWSTR pszSourceDsaAddress;
  [string] LPWSTR pszAsyncIntersiteTransportDN;
  DWORD dwReplicaFlags;
  DWORD dwReserved;
  UUID uuidNamingContextObjGuid;
  UUID uuidSourceDsaObjGuid;
  UUID uuidSourceDsaInvocationID;
  UUID uuidAsyncIntersiteTransportObjGuid;
  USN usnLastObjChangeSynced;
  USN usnAttributeFilter;
  FILETIME ftimeLastSyncSuccess;
  FILETIME ftimeLastSyncAttempt;
  DWORD dwLastSyncResult;
  DWORD cNumConsecutiveSyncFailures;
} DS_REPL_NEIGHBORW;
typedef struct {
  DWORD cNumNeighbors;
  DWORD dwReserved;
  [size_is(cNumNeighbors)] DS_REPL_NEIGHBORW rgNeighbor[];
} DS_REPL_NEIGHBORSW;
typedef struct {
  UUID uuidSourceDsaInvocationID;
  USN usnAttributeFilter;
} DS_REPL_CURSOR;
typedef struct {
  DWORD cNumCursors;
  DWORD dwReserved;
  [size_is(cNumCursors)] DS_REPL_CURSOR rgCursor[];
} DS_REPL_CURSORS;
typedef struct {
  UUID uuidSourceDsaInvocationID;
  USN usnAttributeFilter;
  FILETIME ftimeLastSyncSuccess;
} DS_REPL_CURSOR_2;
typedef struct {
  DWORD cNumCursors;
  DWORD dwEnumerationContext;
  [size_is(cNumCursors)] DS_REPL_CURSOR_2 rgCursor[];
} DS_REPL_CURSORS_2;
typedef struct {
  UUID uuidSourceDsaInvocationID;
  USN usnAttributeFilter;
  FILETIME ftimeLastSyncSuccess;
  [string] LPWSTR pszSourceDsaDN;
} DS_REPL_CURSOR_3W;
typedef struct {
  DWORD cNumCursors;
  DWORD dwEnumerationContext;
  [size_is(cNumCursors)] DS_REPL_CURSOR_3W rgCursor[];
} DS_REPL_CURSORS_3W;
typedef struct {
  [string] LPWSTR pszAttributeName;
  DWORD dwVersion;
  FILETIME ftimeLastOriginatingChange;
  UUID uuidLastOriginatingDsaInvocationID;
  USN usnOriginatingChange;
  USN usnLocalChange;
} DS_REPL_ATTR_META_DATA;
typedef struct {
  DWORD cNumEntries;
  DWORD dwReserved;
  [size_is(cNumEntries)] DS_REPL_ATTR_META_DATA rgMetaData[];
} DS_REPL_OBJ_META_DATA;
typedef struct {
  [string] LPWSTR pszAttributeName;
  DWORD dwVersion;
  FILETIME ftimeLastOriginatingChange;
  UUID uuidLastOriginatingDsaInvocationID;
  USN usnOriginatingChange;
  USN usnLocalChange;
  [string] LPWSTR pszLastOriginatingDsaDN;
} DS_REPL_ATTR_META_DATA_2;
typedef struct {
  DWORD cNumEntries;
  DWORD dwReserved;
  [size_is(cNumEntries)] DS_REPL_ATTR_META_DATA_2 rgMetaData[];
} DS_REPL_OBJ_META_DATA_2;
typedef struct {
  [string] LPWSTR pszDsaDN;
  UUID uuidDsaObjGuid;
  FILETIME ftimeFirstFailure;
  DWORD cNumFailures;
  DWORD dwLastResult;
} DS_REPL_KCC_DSA_FAILUREW;
typedef struct {
  DWORD cNumEntries;
  DWORD dwReserved;
  [size_is(cNumEntries)] DS_REPL_KCC_DSA_FAILUREW rgDsaFailure[];
} DS_REPL_KCC_DSA_FAILURESW;
typedef enum {
  DS_REPL_OP_TYPE_SYNC = 0,
  DS_REPL_OP_TYPE_ADD,
  DS_REPL_OP_TYPE_DELETE,
  DS_REPL_OP_TYPE_MODIFY,
  DS_REPL_OP_TYPE_UPDATE_REFS
} DS_REPL_OP_TYPE;
typedef struct {
  FILETIME ftimeEnqueued;
  ULONG ulSerialNumber;
  ULONG ulPriority;
  DS_REPL_OP_TYPE OpType;
  ULONG ulOptions;
  [string] LPWSTR pszNamingContext;
  [string] LPWSTR pszDsaDN;
  [string] LPWSTR pszDsaAddress;
  UUID uuidNamingContextObjGuid;
  UUID uuidDsaObjGuid;
} DS_REPL_OPW;
typedef struct {
  FILETIME ftimeCurrentOpStarted;
  DWORD cNumPendingOps;
  [size_is(cNumPendingOps)] DS_REPL_OPW rgPendingOp[];
} DS_REPL_PENDING_OPSW;
typedef struct {
  [string] LPWSTR pszAttributeName;
  [string] LPWSTR pszObjectDn;
  DWORD cbData;
  [size_is(cbData), ptr] BYTE *pbData;
  FILETIME ftimeDeleted;
  FILETIME ftimeCreated;
  DWORD dwVersion;
  FILETIME ftimeLastOriginatingChange;
  UUID uuidLastOriginatingDsaInvocationID;
  USN usnOriginatingChange;
  USN usnLocalChange;
} DS_REPL_VALUE_META_DATA;
typedef struct {
  DWORD cNumEntries;
  DWORD dwEnumerationContext;
  [size_is(cNumEntries)] DS_REPL_VALUE_META_DATA rgMetaData[];
} DS_REPL_ATTR_VALUE_META_DATA;
typedef struct {
  [string] LPWSTR pszAttributeName;
  [string] LPWSTR pszObjectDn;
  DWORD cbData;
  [size_is(cbData), ptr] BYTE *pbData;
  FILETIME ftimeDeleted;
  FILETIME ftimeCreated;
  DWORD dwVersion;
  FILETIME ftimeLastOriginatingChange;
  UUID uuidLastOriginatingDsaInvocationID;
  USN usnOriginatingChange;
  USN usnLocalChange;
  [string] LPWSTR pszLastOriginatingDsaDN;
} DS_REPL_VALUE_META_DATA_2;
typedef struct {
  DWORD cNumEntries;
  DWORD dwEnumerationContext;
  [size_is(cNumEntries)] DS_REPL_VALUE_META_DATA_2 rgMetaData[];
} DS_REPL_ATTR_VALUE_META_DATA_2;
`;

const SDK_FILES: Record<string, string> = {
  'wtypesbase.idl': WTYPESBASE_IDL,
  'wtypes.idl': WTYPES_IDL,
  'unknwn.idl': UNKNWN_IDL,
  'objidl.idl': OBJIDL_IDL,
  'oaidl.idl': OAIDL_IDL,
  'oleidl.idl': OLEIDL_IDL,
  'ocidl.idl': OCIDL_IDL,
  'ms-dtyp.idl': MS_DTYP_IDL,
  'ntdsapi.h': NTDSAPI_H,
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
