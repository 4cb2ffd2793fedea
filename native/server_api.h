// The addon's server functions (typed in lib/runtime/native-addon.ts): serving an
// interface from JS (native/win/rpc_server.h does the RPC side).
#pragma once

#include <napi.h>

namespace winrpc {
void register_server_api(Napi::Env env, Napi::Object exports);
}
