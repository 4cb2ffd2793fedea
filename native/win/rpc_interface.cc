#include "rpc_interface.h"

#include <rpc.h>
#include <rpcndr.h>
#include <windows.h>

#include <cstddef>
#include <cstring>

#include "call_memory.h"

namespace winrpc {

namespace {
// NDR 2.0 transfer syntax, the one MIDL's /Oicf stubs speak.
const RPC_SYNTAX_IDENTIFIER kNdr20 = {
    {0x8a885d04, 0x1ceb, 0x11c9, {0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60}}, {2, 0}};
// Version of the NDR engine the format strings need (robust, NDR 5.2), and the MIDL
// version they imitate; the engine checks both.
constexpr unsigned long kNdrVersion = 0x50002;
constexpr long kMidlVersion = 0x8000253;
}  // namespace

struct RpcInterface::Descriptors {
  RPC_CLIENT_INTERFACE client_interface{};
  MIDL_STUB_DESC stub_desc{};
  // Procedures use explicit binding handles; the engine still wants a handle slot.
  handle_t unused_auto_handle = nullptr;
  std::vector<ExprProgram> expr_programs;
};

// The expression routines find their interface from the stub message's MIDL_STUB_DESC,
// which is a member of Descriptors (standard layout: plain C structs and a vector).
const ExprProgram* expr_program_for(const void* stub_desc, std::size_t index) {
  if (stub_desc == nullptr) return nullptr;
  auto* d = reinterpret_cast<const RpcInterface::Descriptors*>(
      static_cast<const char*>(stub_desc) - offsetof(RpcInterface::Descriptors, stub_desc));
  return index < d->expr_programs.size() ? &d->expr_programs[index] : nullptr;
}

RpcInterface::RpcInterface(InterfaceSpec spec)
    : proc_format_(std::move(spec.proc_format)),
      type_format_(std::move(spec.type_format)),
      descriptors_(std::make_unique<Descriptors>()) {
  RPC_CLIENT_INTERFACE& ci = descriptors_->client_interface;
  ci.Length = sizeof(RPC_CLIENT_INTERFACE);
  std::memcpy(&ci.InterfaceId.SyntaxGUID, spec.uuid, sizeof(GUID));
  ci.InterfaceId.SyntaxVersion.MajorVersion = spec.major;
  ci.InterfaceId.SyntaxVersion.MinorVersion = spec.minor;
  ci.TransferSyntax = kNdr20;

  MIDL_STUB_DESC& sd = descriptors_->stub_desc;
  sd.RpcInterfaceInformation = &ci;
  sd.pfnAllocate = call_memory_allocate;
  sd.pfnFree = call_memory_free;
  sd.IMPLICIT_HANDLE_INFO.pAutoHandle = &descriptors_->unused_auto_handle;
  sd.pFormatTypes = type_format_.data();
  descriptors_->expr_programs = std::move(spec.expr_programs);
  if (!descriptors_->expr_programs.empty()) {
    sd.apfnExprEval = static_cast<const EXPR_EVAL*>(expr_eval_table());
  }
  sd.fCheckBounds = 1;
  sd.Version = kNdrVersion;
  sd.MIDLVersion = kMidlVersion;
  sd.mFlags = 1;  // what MIDL emits for Oicf stubs ("MIDL flag")
}

RpcInterface::~RpcInterface() = default;

void* RpcInterface::stub_desc() const { return &descriptors_->stub_desc; }

void* RpcInterface::client_interface() const { return &descriptors_->client_interface; }

}  // namespace winrpc
