// One RPC interface as the NDR engine needs it: RPC_CLIENT_INTERFACE and MIDL_STUB_DESC
// built from the bytes TS compiled (uuid, version, proc and type format strings), with
// winrpc's allocator. Kept alive by every call that uses it.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "expr_eval.h"

namespace winrpc {

struct InterfaceSpec {
  std::uint8_t uuid[16];  // GUID memory layout (Data1..3 little-endian)
  std::uint16_t major;
  std::uint16_t minor;
  std::vector<std::uint8_t> proc_format;
  std::vector<std::uint8_t> type_format;
  std::vector<ExprProgram> expr_programs;  // apfnExprEval's programs, by index
};

class RpcInterface {
 public:
  explicit RpcInterface(InterfaceSpec spec);
  ~RpcInterface();
  RpcInterface(const RpcInterface&) = delete;
  RpcInterface& operator=(const RpcInterface&) = delete;

  void* stub_desc() const;         // MIDL_STUB_DESC*
  void* client_interface() const;  // RPC_IF_HANDLE (RPC_CLIENT_INTERFACE*)
  const std::uint8_t* proc_format() const { return proc_format_.data(); }
  std::size_t proc_format_size() const { return proc_format_.size(); }

 private:
  struct Descriptors;
  std::vector<std::uint8_t> proc_format_;
  std::vector<std::uint8_t> type_format_;
  std::unique_ptr<Descriptors> descriptors_;
  friend const ExprProgram* expr_program_for(const void* stub_desc, std::size_t index);
};

}  // namespace winrpc
