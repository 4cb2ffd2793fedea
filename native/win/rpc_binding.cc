#include "rpc_binding.h"

#include <rpc.h>
#include <windows.h>

namespace winrpc {

std::shared_ptr<RpcBinding> RpcBinding::from_string(const std::u16string& binding, long* status) {
  RPC_BINDING_HANDLE handle = nullptr;
  std::u16string copy = binding;  // the API takes a non-const string
  *status = RpcBindingFromStringBindingW(reinterpret_cast<RPC_WSTR>(copy.data()), &handle);
  if (*status != RPC_S_OK) return nullptr;
  return std::shared_ptr<RpcBinding>(new RpcBinding(handle));
}

RpcBinding::~RpcBinding() {
  RPC_BINDING_HANDLE handle = handle_;
  RpcBindingFree(&handle);
}

}  // namespace winrpc
