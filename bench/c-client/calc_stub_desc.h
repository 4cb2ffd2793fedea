/* calc's RPC_CLIENT_INTERFACE and MIDL_STUB_DESC, set up as winrpc's engine sets up
   its own (native/win/rpc_interface.cc), so every client hands the runtime the same
   descriptors. Shared by the C client and the sync addon's stub. */
#pragma once

#include <rpc.h>
#include <rpcndr.h>
#include <stdlib.h>
#include <string.h>

#include "calc_formats.h"

static void* __RPC_USER calc_allocate(SIZE_T size) { return malloc(size); }
static void __RPC_USER calc_free(void* block) { free(block); }

typedef struct calc_stub {
  RPC_CLIENT_INTERFACE client_interface;
  MIDL_STUB_DESC stub_desc;
  handle_t unused_auto_handle; /* explicit handles; the engine still wants the slot */
} calc_stub;

static void calc_stub_init(calc_stub* stub, const unsigned char* type_format) {
  /* NDR 2.0 transfer syntax. */
  static const RPC_SYNTAX_IDENTIFIER ndr20 = {
      {0x8a885d04, 0x1ceb, 0x11c9, {0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60}}, {2, 0}};
  static const GUID calc_uuid = CALC_UUID;
  memset(stub, 0, sizeof *stub);
  stub->client_interface.Length = sizeof(RPC_CLIENT_INTERFACE);
  stub->client_interface.InterfaceId.SyntaxGUID = calc_uuid;
  stub->client_interface.InterfaceId.SyntaxVersion.MajorVersion = CALC_VERSION_MAJOR;
  stub->client_interface.InterfaceId.SyntaxVersion.MinorVersion = CALC_VERSION_MINOR;
  stub->client_interface.TransferSyntax = ndr20;
  stub->stub_desc.RpcInterfaceInformation = &stub->client_interface;
  stub->stub_desc.pfnAllocate = calc_allocate;
  stub->stub_desc.pfnFree = calc_free;
  stub->stub_desc.IMPLICIT_HANDLE_INFO.pAutoHandle = &stub->unused_auto_handle;
  stub->stub_desc.pFormatTypes = type_format;
  stub->stub_desc.fCheckBounds = 1;
  stub->stub_desc.Version = 0x50002;       /* NDR engine version the strings need */
  stub->stub_desc.MIDLVersion = 0x8000253; /* the MIDL version they imitate */
  stub->stub_desc.mFlags = 1;
}
