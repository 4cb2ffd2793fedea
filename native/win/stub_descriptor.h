// A MIDL_STUB_DESC together with the expression programs its apfnExprEval routines
// run: the routines find their programs from the stub message's StubDesc, which is the
// first member here. Shared by client interfaces (rpc_interface.cc) and servers
// (rpc_server.cc), which fill the descriptor the same way apart from the allocator
// pair and the interface structure it points at.
#pragma once

#include <rpc.h>
#include <rpcndr.h>

#include <cstdint>
#include <vector>

#include "expr_eval.h"

namespace winrpc {

// NDR 2.0 transfer syntax, the one MIDL's /Oicf stubs speak.
inline const RPC_SYNTAX_IDENTIFIER kNdr20 = {
    {0x8a885d04, 0x1ceb, 0x11c9, {0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60}}, {2, 0}};

struct StubDescriptor {
  MIDL_STUB_DESC desc{};  // first member: expr_program_for casts back from it
  std::vector<ExprProgram> expr_programs;
  // Procedures use explicit binding handles; the engine still wants a handle slot.
  handle_t unused_auto_handle = nullptr;
};

using StubAllocate = void*(__RPC_API*)(std::size_t);
using StubFree = void(__RPC_API*)(void*);

// Fills `stub` as MIDL fills an Oicf stub's descriptor (NDR 5.2, robust).
void fill_stub_descriptor(StubDescriptor* stub, void* rpc_interface_information,
                          const std::uint8_t* type_format, std::vector<ExprProgram> expr_programs,
                          StubAllocate allocate, StubFree free);

}  // namespace winrpc
