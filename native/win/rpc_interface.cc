#include "rpc_interface.h"

#include <rpc.h>
#include <rpcndr.h>
#include <windows.h>

#include <cstddef>
#include <cstring>

#include "call_memory.h"
#include "stub_descriptor.h"

namespace winrpc {

namespace {
// Version of the NDR engine the format strings need (robust, NDR 5.2), and the MIDL
// version they imitate; the engine checks both.
constexpr unsigned long kNdrVersion = 0x50002;
constexpr long kMidlVersion = 0x8000253;
}  // namespace

struct RpcInterface::Descriptors {
  RPC_CLIENT_INTERFACE client_interface{};
  StubDescriptor stub;
};

// The expression routines find their interface from the stub message's MIDL_STUB_DESC,
// the first member of a StubDescriptor (standard layout: plain C structs and a vector).
const ExprProgram* expr_program_for(const void* stub_desc, std::size_t index) {
  if (stub_desc == nullptr) return nullptr;
  auto* d = static_cast<const StubDescriptor*>(stub_desc);
  return index < d->expr_programs.size() ? &d->expr_programs[index] : nullptr;
}

void fill_stub_descriptor(StubDescriptor* stub, void* rpc_interface_information,
                          const std::uint8_t* type_format, std::vector<ExprProgram> expr_programs,
                          StubAllocate allocate, StubFree free) {
  MIDL_STUB_DESC& sd = stub->desc;
  sd.RpcInterfaceInformation = rpc_interface_information;
  sd.pfnAllocate = allocate;
  sd.pfnFree = free;
  sd.IMPLICIT_HANDLE_INFO.pAutoHandle = &stub->unused_auto_handle;
  sd.pFormatTypes = type_format;
  stub->expr_programs = std::move(expr_programs);
  if (!stub->expr_programs.empty()) {
    sd.apfnExprEval = static_cast<const EXPR_EVAL*>(expr_eval_table());
  }
  sd.fCheckBounds = 1;
  sd.Version = kNdrVersion;
  sd.MIDLVersion = kMidlVersion;
  sd.mFlags = 1;  // what MIDL emits for Oicf stubs ("MIDL flag")
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

  fill_stub_descriptor(&descriptors_->stub, &ci, type_format_.data(), std::move(spec.expr_programs),
                       call_memory_allocate, call_memory_free);
}

RpcInterface::~RpcInterface() = default;

void* RpcInterface::stub_desc() const { return &descriptors_->stub.desc; }

void* RpcInterface::client_interface() const { return &descriptors_->client_interface; }

}  // namespace winrpc
