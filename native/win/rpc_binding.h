// A binding handle made from a string binding, freed with RpcBindingFree when the
// last owner (the JS object or a call in flight) lets go of it.
#pragma once

#include <memory>
#include <string>

namespace winrpc {

class RpcBinding {
 public:
  // Returns nullptr and sets *status when the runtime rejects the string.
  static std::shared_ptr<RpcBinding> from_string(const std::u16string& binding, long* status);
  ~RpcBinding();
  RpcBinding(const RpcBinding&) = delete;
  RpcBinding& operator=(const RpcBinding&) = delete;

  void* handle() const { return handle_; }

 private:
  explicit RpcBinding(void* handle) : handle_(handle) {}
  void* handle_;
};

}  // namespace winrpc
