// Registers the RPC functions of the addon's JS surface.
#pragma once

#include <napi.h>

namespace winrpc {
void register_rpc_api(Napi::Env env, Napi::Object exports);
}
