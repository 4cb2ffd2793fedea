// The addon's JS surface (typed in lib/runtime/native-addon.ts). N-API glue only:
// argument checks and conversions; the work is in EngineEnv and native/win/.
#include <napi.h>

#include "engine_env.h"
#include "rpc_api.h"
#include "server_api.h"
#include "win/expr_eval.h"
#include "win/module_pin.h"
#include "win/seh_guard.h"

namespace winrpc {
namespace {

std::uint32_t uint32_arg(const Napi::CallbackInfo& info, std::size_t index, const char* name) {
  if (!info[index].IsNumber()) {
    throw Napi::TypeError::New(info.Env(), std::string("winrpc: ") + name + " must be a number");
  }
  return info[index].As<Napi::Number>().Uint32Value();
}

void set_completion_callback(const Napi::CallbackInfo& info) {
  if (!info[0].IsFunction()) {
    throw Napi::TypeError::New(info.Env(), "winrpc: callback must be a function");
  }
  EngineEnv::of(info.Env()).set_completion_callback(info[0].As<Napi::Function>());
}

// Posts `count` synthetic packets with ids first_id, first_id + 1, ... to the port:
// the completion path without RPC, for its tests.
void post_synthetic(const Napi::CallbackInfo& info) {
  const std::uint32_t count = uint32_arg(info, 0, "count");
  const std::uint32_t first_id = uint32_arg(info, 1, "firstId");
  EngineEnv::of(info.Env()).post_synthetic(count, first_id);
}

// Benchmark of the delivery path alone: one port packet makes the completion thread
// append `count` records (ids first_id..) straight to the queue, so what is measured
// is queue -> ThreadSafeFunction -> JS, not one PostQueuedCompletionStatus per record
// (a wineserver round trip under Wine). Same ordering and in-flight accounting as
// postSynthetic.
void bench_deliver(const Napi::CallbackInfo& info) {
  const std::uint32_t count = uint32_arg(info, 0, "count");
  const std::uint32_t first_id = uint32_arg(info, 1, "firstId");
  EngineEnv::of(info.Env()).bench_deliver(count, first_id);
}

#ifdef WINRPC_TEST_HOOKS
// Raises an SEH exception under the guard and returns the code the guard caught.
Napi::Value seh_self_test(const Napi::CallbackInfo& info) {
  unsigned long code = uint32_arg(info, 0, "code");
  unsigned long caught = winrpc_seh_guard(
      [](void* context) { winrpc_seh_raise(*static_cast<unsigned long*>(context)); }, &code);
  return Napi::Number::New(info.Env(), static_cast<double>(caught));
}

// exprSelfTest(program, frame) -> { status, offset, maxCount }: an expression program
// run by the interpreter the NDR engine calls back, with StackTop at a copy of `frame`.
Napi::Value expr_self_test(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray() || !info[1].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array ||
      info[1].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(env, "winrpc: program and frame must be Uint8Arrays");
  }
  auto program = info[0].As<Napi::Uint8Array>();
  auto frame = info[1].As<Napi::Uint8Array>();
  ExprProgram code(program.Data(), program.Data() + program.ElementLength());
  std::vector<unsigned char> stack(frame.Data(), frame.Data() + frame.ElementLength());
  stack.resize(stack.size() + 8);  // loads near the end stay inside the copy
  std::uint64_t offset = 0, max_count = 0;
  const unsigned long status = expr_eval_self_test(code, stack.data(), &offset, &max_count);
  auto result = Napi::Object::New(env);
  result.Set("status", Napi::Number::New(env, static_cast<double>(status)));
  result.Set("offset", Napi::Number::New(env, static_cast<double>(offset)));
  result.Set("maxCount", Napi::Number::New(env, static_cast<double>(max_count)));
  return result;
}
#endif  // WINRPC_TEST_HOOKS

Napi::Value diagnostics(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto result = Napi::Object::New(env);
  EngineEnv& engine = EngineEnv::of(env);
  const LiveCounters& counters = engine.counters();
  auto number = [&](const char* key, double value) {
    result.Set(key, Napi::Number::New(env, value));
  };
  number("openPorts", CompletionHub::started() ? 1 : 0);
  number("inFlight", engine.in_flight());
  number("liveCalls", static_cast<double>(counters.calls.load()));
  number("abandonedCalls", static_cast<double>(counters.abandoned.load()));
  number("arenaBytes", static_cast<double>(counters.arena_bytes.load()));
  number("takenArenaBytes", static_cast<double>(counters.taken_arena_bytes.load()));
  number("bindingHandles", static_cast<double>(counters.bindings.load()));
  return result;
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
  // Before anything can hand the runtime a pointer into the module (module_pin.h).
  pin_module();
  exports.Set("setCompletionCallback", Napi::Function::New(env, set_completion_callback));
  exports.Set("postSynthetic", Napi::Function::New(env, post_synthetic));
  exports.Set("benchDeliver", Napi::Function::New(env, bench_deliver));
  exports.Set("diagnostics", Napi::Function::New(env, diagnostics));
#ifdef WINRPC_TEST_HOOKS
  exports.Set("sehSelfTest", Napi::Function::New(env, seh_self_test));
  exports.Set("exprSelfTest", Napi::Function::New(env, expr_self_test));
#endif
  register_rpc_api(env, exports);
  register_server_api(env, exports);
  return exports;
}

}  // namespace
}  // namespace winrpc

static Napi::Object init_module(Napi::Env env, Napi::Object exports) {
  return winrpc::init(env, exports);
}

NODE_API_MODULE(winrpc, init_module)
