#include "rpc_binding.h"

#include <rpc.h>
#include <windows.h>

#include "rpc_interface.h"

namespace winrpc {

// SEC_WINNT_AUTH_IDENTITY_W points into these strings; both live as long as the handle.
struct RpcBinding::Identity {
  std::u16string user, domain, password;
  SEC_WINNT_AUTH_IDENTITY_W identity{};

  ~Identity() {
    if (!password.empty()) SecureZeroMemory(password.data(), password.size() * sizeof(char16_t));
  }
};

namespace {
RPC_WSTR wide(std::u16string& text) { return reinterpret_cast<RPC_WSTR>(text.data()); }
}  // namespace

RpcBinding::RpcBinding(void* handle) : handle_(handle) {}

std::shared_ptr<RpcBinding> RpcBinding::from_string(const std::u16string& binding, long* status) {
  RPC_BINDING_HANDLE handle = nullptr;
  std::u16string copy = binding;  // the API takes a non-const string
  *status = RpcBindingFromStringBindingW(wide(copy), &handle);
  if (*status != RPC_S_OK) return nullptr;
  return std::shared_ptr<RpcBinding>(new RpcBinding(handle));
}

std::shared_ptr<RpcBinding> RpcBinding::copy(long* status) const {
  RPC_BINDING_HANDLE handle = nullptr;
  *status = RpcBindingCopy(handle_, &handle);
  if (*status != RPC_S_OK) return nullptr;
  return std::shared_ptr<RpcBinding>(new RpcBinding(handle));
}

RpcBinding::~RpcBinding() {
  RPC_BINDING_HANDLE handle = handle_;
  RpcBindingFree(&handle);
  if (counters_) --counters_->bindings;
}

void RpcBinding::count_in(std::shared_ptr<LiveCounters> counters) {
  if (counters_) return;
  counters_ = std::move(counters);
  ++counters_->bindings;
}

long RpcBinding::set_auth(AuthSettings settings) {
  std::unique_ptr<Identity> identity;
  if (settings.has_identity) {
    identity = std::make_unique<Identity>();
    identity->user = std::move(settings.user);
    identity->domain = std::move(settings.domain);
    identity->password = std::move(settings.password);
    SEC_WINNT_AUTH_IDENTITY_W& id = identity->identity;
    id.User = reinterpret_cast<unsigned short*>(identity->user.data());
    id.UserLength = static_cast<unsigned long>(identity->user.size());
    id.Domain = reinterpret_cast<unsigned short*>(identity->domain.data());
    id.DomainLength = static_cast<unsigned long>(identity->domain.size());
    id.Password = reinterpret_cast<unsigned short*>(identity->password.data());
    id.PasswordLength = static_cast<unsigned long>(identity->password.size());
    id.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
  }
  RPC_SECURITY_QOS qos{};
  qos.Version = RPC_C_SECURITY_QOS_VERSION;
  qos.Capabilities = settings.capabilities;
  qos.IdentityTracking = settings.identity_tracking;
  qos.ImpersonationType = settings.impersonation;
  const RPC_STATUS status = RpcBindingSetAuthInfoExW(
      handle_, settings.has_principal ? wide(settings.principal) : nullptr, settings.level,
      settings.service, identity ? &identity->identity : nullptr, RPC_C_AUTHZ_NONE,
      settings.has_qos ? &qos : nullptr);
  if (status == RPC_S_OK) identity_ = std::move(identity);
  return status;
}

long RpcBinding::inquire_auth(AuthInfo* info) const {
  RPC_WSTR principal = nullptr;
  unsigned long level = 0, service = 0, authz = 0;
  const RPC_STATUS status =
      RpcBindingInqAuthInfoW(handle_, &principal, &level, &service, nullptr, &authz);
  if (status != RPC_S_OK) return status;
  info->level = level;
  info->service = service;
  info->principal =
      principal != nullptr ? std::u16string(reinterpret_cast<char16_t*>(principal)) : u"";
  if (principal != nullptr) RpcStringFreeW(&principal);
  return RPC_S_OK;
}

long RpcBinding::set_option(unsigned long option, unsigned long long value) {
  return RpcBindingSetOption(handle_, option, static_cast<ULONG_PTR>(value));
}

long RpcBinding::resolve(const RpcInterface& iface) {
  return RpcEpResolveBinding(handle_, iface.client_interface());
}

long RpcBinding::to_string(std::u16string* binding) const {
  RPC_WSTR text = nullptr;
  const RPC_STATUS status = RpcBindingToStringBindingW(handle_, &text);
  if (status != RPC_S_OK) return status;
  *binding = reinterpret_cast<char16_t*>(text);
  RpcStringFreeW(&text);
  return RPC_S_OK;
}

}  // namespace winrpc
