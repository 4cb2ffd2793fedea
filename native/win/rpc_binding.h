// A binding handle made from a string binding, freed with RpcBindingFree when the
// last owner (the JS object or a call in flight) lets go of it. Explicit credentials
// live here, in native memory, for the handle's lifetime (the runtime may refer to
// them), and are wiped when it is freed.
#pragma once

#include <memory>
#include <string>

#include "live_counters.h"

namespace winrpc {

class RpcInterface;

struct AuthSettings {
  unsigned long service = 0;  // RPC_C_AUTHN_*
  unsigned long level = 0;    // RPC_C_AUTHN_LEVEL_*
  bool has_principal = false;
  std::u16string principal;
  bool has_identity = false;
  std::u16string user, domain, password;
  bool has_qos = false;
  unsigned long impersonation = 0;      // RPC_C_IMP_LEVEL_*
  unsigned long identity_tracking = 0;  // RPC_C_QOS_IDENTITY_*
  unsigned long capabilities = 0;       // RPC_C_QOS_CAPABILITIES_*
};

struct AuthInfo {
  unsigned long service;
  unsigned long level;
  std::u16string principal;
};

class RpcBinding {
 public:
  // Returns nullptr and sets *status when the runtime rejects the string.
  static std::shared_ptr<RpcBinding> from_string(const std::u16string& binding, long* status);
  // RpcBindingCopy: the copy has its own handle (and its own resolved endpoint).
  std::shared_ptr<RpcBinding> copy(long* status) const;
  ~RpcBinding();
  RpcBinding(const RpcBinding&) = delete;
  RpcBinding& operator=(const RpcBinding&) = delete;

  void* handle() const { return handle_; }
  // Counts this handle in `counters` (its environment's) until it is freed.
  void count_in(std::shared_ptr<LiveCounters> counters);
  long set_auth(AuthSettings settings);     // RpcBindingSetAuthInfoExW
  long inquire_auth(AuthInfo* info) const;  // RpcBindingInqAuthInfoW
  long set_option(unsigned long option, unsigned long long value);
  long resolve(const RpcInterface& iface);  // RpcEpResolveBinding
  long to_string(std::u16string* binding) const;

 private:
  struct Identity;
  explicit RpcBinding(void* handle);
  void* handle_;
  std::unique_ptr<Identity> identity_;
  std::shared_ptr<LiveCounters> counters_;
};

}  // namespace winrpc
