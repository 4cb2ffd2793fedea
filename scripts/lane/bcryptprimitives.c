/* Wine 8 has no bcryptprimitives.dll, and Go programs (esbuild's win32 binary, which
   vitest runs inside node.exe) refuse to start without its ProcessPrng. This lane-only
   stand-in provides that one export on top of RtlGenRandom. Never shipped. */
#include <windows.h>
#define SystemFunction036 NTAPI SystemFunction036
#include <ntsecapi.h>
#undef SystemFunction036

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
  while (length > 0) {
    ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
    if (!RtlGenRandom(data, chunk)) return FALSE;
    data += chunk;
    length -= chunk;
  }
  return TRUE;
}
