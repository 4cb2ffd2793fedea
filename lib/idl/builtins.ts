// The Windows typedefs sample IDLs use without importing ms-dtyp.idl, as IDL text so
// they go through the same parser. An IDL that defines them itself wins.
export const PRELUDE_FILE = '<winrpc-prelude>';

export const PRELUDE_IDL = `
typedef unsigned long DWORD;
typedef unsigned long ULONG;
typedef unsigned long DWORD32;
typedef unsigned long UINT32;
typedef long LONG;
typedef long INT32;
typedef long BOOL;
typedef long HRESULT;
typedef int INT;
typedef unsigned int UINT;
typedef byte BYTE; // wtypesbase.idl: FC_BYTE, as MIDL writes it for BYTE data
typedef unsigned char UCHAR;
typedef unsigned char UINT8;
typedef char CHAR;
typedef small INT8;
typedef unsigned char BOOLEAN;
typedef wchar_t WCHAR;
typedef unsigned short USHORT;
typedef unsigned short WORD;
typedef unsigned short UINT16;
typedef short SHORT;
typedef short INT16;
typedef hyper LONGLONG;
typedef hyper INT64;
typedef hyper LONG64;
typedef unsigned hyper ULONGLONG;
typedef unsigned hyper DWORDLONG;
typedef unsigned hyper DWORD64;
typedef unsigned hyper UINT64;
typedef unsigned hyper ULONG64;
typedef float FLOAT;
typedef double DOUBLE;
typedef [string] wchar_t *LPWSTR;
typedef [string] wchar_t *PWSTR;
typedef [string] const wchar_t *LPCWSTR;
typedef [string] const wchar_t *PCWSTR;
typedef [string] char *LPSTR;
typedef [string] char *PSTR;
typedef [string] const char *LPCSTR;
typedef [string] const char *PCSTR;
typedef DWORD *LPDWORD;
typedef DWORD *PDWORD;
typedef BYTE *LPBYTE;
typedef BYTE *PBYTE;
typedef LONG *PLONG;
typedef ULONG *PULONG;
typedef DWORD NET_API_STATUS;
typedef DWORD LCID;
typedef unsigned __int3264 ULONG_PTR;
typedef unsigned __int3264 DWORD_PTR;
typedef unsigned __int3264 SIZE_T;
typedef unsigned __int3264 UINT_PTR;
typedef __int3264 LONG_PTR;
typedef __int3264 INT_PTR;
typedef WCHAR *LMSTR;
typedef const WCHAR *LMCSTR;
typedef [context_handle] void *PCONTEXT_HANDLE;
typedef [ref] PCONTEXT_HANDLE *PPCONTEXT_HANDLE;
typedef struct _GUID {
  unsigned long Data1;
  unsigned short Data2;
  unsigned short Data3;
  byte Data4[8];
} GUID, UUID, *PGUID;
typedef struct _FILETIME {
  DWORD dwLowDateTime;
  DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;
typedef struct _SYSTEMTIME {
  WORD wYear;
  WORD wMonth;
  WORD wDayOfWeek;
  WORD wDay;
  WORD wHour;
  WORD wMinute;
  WORD wSecond;
  WORD wMilliseconds;
} SYSTEMTIME, *PSYSTEMTIME;
typedef struct _LARGE_INTEGER {
  hyper QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;
typedef struct _ULARGE_INTEGER {
  unsigned hyper QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;
typedef struct _LUID {
  DWORD LowPart;
  LONG HighPart;
} LUID, *PLUID;
typedef struct _RPC_UNICODE_STRING {
  unsigned short Length;
  unsigned short MaximumLength;
  [size_is(MaximumLength / 2), length_is(Length / 2)] WCHAR *Buffer;
} RPC_UNICODE_STRING, *PRPC_UNICODE_STRING;
typedef struct _UNICODE_STRING {
  unsigned short Length;
  unsigned short MaximumLength;
  [size_is(MaximumLength / 2), length_is(Length / 2)] WCHAR *Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef struct _RPC_SID_IDENTIFIER_AUTHORITY {
  byte Value[6];
} RPC_SID_IDENTIFIER_AUTHORITY;
typedef struct _RPC_SID {
  unsigned char Revision;
  unsigned char SubAuthorityCount;
  RPC_SID_IDENTIFIER_AUTHORITY IdentifierAuthority;
  [size_is(SubAuthorityCount)] unsigned long SubAuthority[];
} RPC_SID, *PRPC_SID, *PSID;
`;

/**
 * The [MS-DTYP] structs of the prelude. An interface lists those it uses (directly or
 * through its own types) among its types, not all of them.
 */
export const PRELUDE_STRUCTS = new Set([
  'GUID',
  'FILETIME',
  'SYSTEMTIME',
  'LARGE_INTEGER',
  'ULARGE_INTEGER',
  'LUID',
  'RPC_UNICODE_STRING',
  'UNICODE_STRING',
  'RPC_SID_IDENTIFIER_AUTHORITY',
  'RPC_SID',
]);

/** Imports that name system IDL files whose content winrpc knows or does not need. */
export const KNOWN_SYSTEM_IMPORTS = new Set([
  'wtypes.idl',
  'wtypesbase.idl',
  'oaidl.idl',
  'objidl.idl',
  'unknwn.idl',
  'ms-dtyp.idl',
  'basetsd.h',
  'oleidl.idl',
  'ocidl.idl',
  'winerror.h',
  'ms-rpce.idl',
  'ms-oaut.idl',
  'ms-dcom.idl',
]);
