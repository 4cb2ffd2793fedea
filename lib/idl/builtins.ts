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
typedef unsigned char BYTE;
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
`;

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
