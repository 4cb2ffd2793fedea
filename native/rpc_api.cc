// The RPC part of the addon's JS surface: interfaces, bindings and calls. The addon
// trusts lib/runtime for what arguments mean (format strings, arena layouts, slot
// contents: lib/runtime built and checked them); the checks here keep values of the
// wrong kind (a wrong handle tag, a wrong typed array, a non-number) from crashing.
#include "rpc_api.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>

#include "engine_env.h"
#include "win/rpc_binding.h"
#include "win/rpc_call.h"
#include "win/rpc_interface.h"
#include "win/seh_guard.h"

namespace winrpc {
namespace {

// Tags keep one kind of handle from being passed where another is expected.
constexpr napi_type_tag kInterfaceTag = {0x7e1e5a3f0b2c4d11ULL, 0x9a61c0de5eed0001ULL};
constexpr napi_type_tag kBindingTag = {0x7e1e5a3f0b2c4d11ULL, 0x9a61c0de5eed0002ULL};

template <typename T>
using Handle = Napi::External<std::shared_ptr<T>>;

template <typename T>
Napi::Value wrap(Napi::Env env, std::shared_ptr<T> object, const napi_type_tag& tag) {
  auto handle = Handle<T>::New(env, new std::shared_ptr<T>(std::move(object)),
                               [](Napi::Env, std::shared_ptr<T>* held) { delete held; });
  handle.TypeTag(&tag);
  return handle;
}

template <typename T>
std::shared_ptr<T>& unwrap(const Napi::Value& value, const napi_type_tag& tag, const char* what) {
  if (!value.IsExternal() || !value.As<Handle<T>>().CheckTypeTag(&tag)) {
    throw Napi::TypeError::New(value.Env(), std::string("winrpc: expected ") + what);
  }
  return *value.As<Handle<T>>().Data();
}

// The element type each typed array argument must have: ElementLength and Data of a
// view taken as the wrong type would read past the end of its buffer.
template <typename TypedArray>
struct ArrayKind;
template <>
struct ArrayKind<Napi::Uint8Array> {
  static constexpr napi_typedarray_type type = napi_uint8_array;
  static constexpr const char* name = "a Uint8Array";
};
template <>
struct ArrayKind<Napi::Uint32Array> {
  static constexpr napi_typedarray_type type = napi_uint32_array;
  static constexpr const char* name = "a Uint32Array";
};
template <>
struct ArrayKind<Napi::BigUint64Array> {
  static constexpr napi_typedarray_type type = napi_biguint64_array;
  static constexpr const char* name = "a BigUint64Array";
};

template <typename TypedArray>
TypedArray typed_array(const Napi::CallbackInfo& info, std::size_t index, const char* name) {
  if (!info[index].IsTypedArray() ||
      info[index].As<Napi::TypedArray>().TypedArrayType() != ArrayKind<TypedArray>::type) {
    throw Napi::TypeError::New(
        info.Env(), std::string("winrpc: ") + name + " must be " + ArrayKind<TypedArray>::name);
  }
  return info[index].As<TypedArray>();
}

Napi::Error status_error(Napi::Env env, const std::string& message, long status) {
  auto error = Napi::Error::New(env, message);
  error.Set("status",
            Napi::Number::New(env, static_cast<double>(static_cast<std::uint32_t>(status))));
  return error;
}

// registerInterface(uuid: Uint8Array(16), major, minor, procFormat, typeFormat, exprPrograms?)
Napi::Value register_interface(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto uuid = typed_array<Napi::Uint8Array>(info, 0, "uuid");
  auto proc = typed_array<Napi::Uint8Array>(info, 3, "procFormat");
  auto type = typed_array<Napi::Uint8Array>(info, 4, "typeFormat");
  if (uuid.ElementLength() != 16 || !info[1].IsNumber() || !info[2].IsNumber()) {
    throw Napi::TypeError::New(env, "winrpc: bad interface identity");
  }
  InterfaceSpec spec;
  std::memcpy(spec.uuid, uuid.Data(), 16);
  spec.major = static_cast<std::uint16_t>(info[1].As<Napi::Number>().Uint32Value());
  spec.minor = static_cast<std::uint16_t>(info[2].As<Napi::Number>().Uint32Value());
  spec.proc_format.assign(proc.Data(), proc.Data() + proc.ElementLength());
  spec.type_format.assign(type.Data(), type.Data() + type.ElementLength());
  if (info.Length() > 5 && !info[5].IsUndefined()) {
    auto programs = typed_array<Napi::Uint8Array>(info, 5, "exprPrograms");
    if (!parse_expr_programs(programs.Data(), programs.ElementLength(), &spec.expr_programs)) {
      throw Napi::TypeError::New(env, "winrpc: malformed expression programs");
    }
  }
  // The engine reads past the last descriptor in a few places; MIDL ends both with 0.
  spec.proc_format.push_back(0);
  spec.type_format.push_back(0);
  return wrap(env, std::make_shared<RpcInterface>(std::move(spec)), kInterfaceTag);
}

// createBinding(stringBinding): throws an Error with `status` when the runtime refuses.
Napi::Value create_binding(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) throw Napi::TypeError::New(env, "winrpc: binding must be a string");
  long status = 0;
  auto binding = RpcBinding::from_string(info[0].As<Napi::String>().Utf16Value(), &status);
  if (!binding) throw status_error(env, "RpcBindingFromStringBinding failed", status);
  binding->count_in(EngineEnv::of(env).binding_counters());
  return wrap(env, std::move(binding), kBindingTag);
}

// freeBinding(binding): the handle is freed once no call in flight uses it.
void free_binding(const Napi::CallbackInfo& info) {
  unwrap<RpcBinding>(info[0], kBindingTag, "a binding").reset();
}

std::shared_ptr<RpcBinding> live_binding(const Napi::Value& value) {
  auto binding = unwrap<RpcBinding>(value, kBindingTag, "a binding");
  if (!binding) {  // RPC_S_INVALID_BINDING
    throw status_error(value.Env(), "winrpc: the binding was freed", 1702);
  }
  return binding;
}

Napi::Value status_value(Napi::Env env, long status) {
  return Napi::Number::New(env, static_cast<double>(static_cast<std::uint32_t>(status)));
}

std::u16string optional_string(const Napi::Object& from, const char* key, bool* present) {
  Napi::Value value = from.Get(key);
  *present = value.IsString();
  return *present ? value.As<Napi::String>().Utf16Value() : std::u16string();
}

unsigned long number_field(const Napi::Object& from, const char* key) {
  Napi::Value value = from.Get(key);
  if (!value.IsNumber()) {
    throw Napi::TypeError::New(from.Env(),
                               std::string("winrpc: auth.") + key + " must be a number");
  }
  return value.As<Napi::Number>().Uint32Value();
}

// setBindingAuth(binding, { service, level, principal?, user?, domain?, password?,
// impersonation?, identityTracking?, capabilities? }) -> status. lib/runtime checked
// the combination; the credentials go straight into native memory.
Napi::Value set_binding_auth(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto binding = live_binding(info[0]);
  if (!info[1].IsObject()) throw Napi::TypeError::New(env, "winrpc: auth must be an object");
  Napi::Object auth = info[1].As<Napi::Object>();
  AuthSettings settings;
  settings.service = number_field(auth, "service");
  settings.level = number_field(auth, "level");
  settings.principal = optional_string(auth, "principal", &settings.has_principal);
  bool has_user = false, has_domain = false, has_password = false;
  settings.user = optional_string(auth, "user", &has_user);
  settings.domain = optional_string(auth, "domain", &has_domain);
  settings.password = optional_string(auth, "password", &has_password);
  settings.has_identity = has_user;
  settings.has_qos = auth.Get("impersonation").IsNumber();
  if (settings.has_qos) {
    settings.impersonation = number_field(auth, "impersonation");
    settings.identity_tracking = number_field(auth, "identityTracking");
    settings.capabilities = number_field(auth, "capabilities");
  }
  return status_value(env, binding->set_auth(std::move(settings)));
}

// inquireBindingAuth(binding) -> { service, level, principal } (throws with status).
Napi::Value inquire_binding_auth(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AuthInfo auth{};
  const long status = live_binding(info[0])->inquire_auth(&auth);
  if (status != 0) throw status_error(env, "RpcBindingInqAuthInfo failed", status);
  auto result = Napi::Object::New(env);
  result.Set("service", Napi::Number::New(env, auth.service));
  result.Set("level", Napi::Number::New(env, auth.level));
  result.Set("principal", Napi::String::New(env, auth.principal));
  return result;
}

// setBindingOption(binding, option, value) -> status (RpcBindingSetOption).
Napi::Value set_binding_option(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto binding = live_binding(info[0]);
  if (!info[1].IsNumber() || !info[2].IsNumber()) {
    throw Napi::TypeError::New(env, "winrpc: option and value must be numbers");
  }
  return status_value(env, binding->set_option(info[1].As<Napi::Number>().Uint32Value(),
                                               info[2].As<Napi::Number>().Int64Value()));
}

// RpcEpResolveBinding asks the endpoint mapper, maybe on another machine: off the JS
// thread, on libuv's pool.
class ResolveWorker : public Napi::AsyncWorker {
 public:
  ResolveWorker(Napi::Env env, std::shared_ptr<RpcBinding> binding,
                std::shared_ptr<RpcInterface> iface)
      : Napi::AsyncWorker(env),
        deferred_(Napi::Promise::Deferred::New(env)),
        binding_(std::move(binding)),
        iface_(std::move(iface)) {}

  Napi::Promise promise() const { return deferred_.Promise(); }
  void Execute() override { status_ = binding_->resolve(*iface_); }
  void OnOK() override { deferred_.Resolve(status_value(Env(), status_)); }

 private:
  Napi::Promise::Deferred deferred_;
  std::shared_ptr<RpcBinding> binding_;
  std::shared_ptr<RpcInterface> iface_;
  long status_ = 0;
};

// resolveBinding(binding, interface) -> Promise<status> (RpcEpResolveBinding).
Napi::Value resolve_binding(const Napi::CallbackInfo& info) {
  auto binding = live_binding(info[0]);
  auto iface = unwrap<RpcInterface>(info[1], kInterfaceTag, "an interface");
  auto* worker = new ResolveWorker(info.Env(), std::move(binding), std::move(iface));
  Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

// bindingToString(binding) -> the string binding as the runtime sees it now.
Napi::Value binding_to_string(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::u16string text;
  const long status = live_binding(info[0])->to_string(&text);
  if (status != 0) throw status_error(env, "RpcBindingToStringBinding failed", status);
  return Napi::String::New(env, text);
}

// copyBinding(binding) -> a new handle (RpcBindingCopy).
Napi::Value copy_binding(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  long status = 0;
  auto copy = live_binding(info[0])->copy(&status);
  if (!copy) throw status_error(env, "RpcBindingCopy failed", status);
  copy->count_in(EngineEnv::of(env).binding_counters());
  return wrap(env, std::move(copy), kBindingTag);
}

// The arena's whole size: startCall's 9th argument when given (the bytes past `arena`
// are allocated and zeroed, not copied: [out] memory), else the arena's length. More
// than kMaxArenaBytes is a RangeError (lib/runtime refuses such a call first, naming
// its parameters).
std::size_t arena_capacity(const Napi::CallbackInfo& info, std::size_t copied) {
  double size = static_cast<double>(copied);
  if (info.Length() >= 9 && !info[8].IsUndefined()) {
    size = info[8].IsNumber() ? info[8].As<Napi::Number>().DoubleValue() : -1;
    if (!(size >= static_cast<double>(copied)) || size != std::floor(size)) {
      throw Napi::TypeError::New(info.Env(),
                                 "winrpc: arenaSize must be a whole number >= the arena's length");
    }
  }
  if (size > static_cast<double>(kMaxArenaBytes)) {
    char text[128];
    std::snprintf(text, sizeof text,
                  "winrpc: an arena of %.0f bytes is more than one call can carry (%zu)", size,
                  kMaxArenaBytes);
    throw Napi::RangeError::New(info.Env(), text);
  }
  return static_cast<std::size_t>(size);
}

// startCall(id, interface, binding, procOffset, arena, relocations, slots, pointerSlots,
// arenaSize?) -> 0 when issued (a completion will follow), else the status.
Napi::Value start_call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber() || !info[3].IsNumber()) {
    throw Napi::TypeError::New(env, "winrpc: id and procOffset must be numbers");
  }
  const std::uint32_t id = info[0].As<Napi::Number>().Uint32Value();
  auto iface = unwrap<RpcInterface>(info[1], kInterfaceTag, "an interface");
  auto binding = live_binding(info[2]);
  auto arena = typed_array<Napi::Uint8Array>(info, 4, "arena");
  auto relocations = typed_array<Napi::Uint32Array>(info, 5, "relocations");
  auto slots = typed_array<Napi::BigUint64Array>(info, 6, "slots");
  auto pointer_slots = typed_array<Napi::Uint32Array>(info, 7, "pointerSlots");
  CallArguments args{info[3].As<Napi::Number>().Uint32Value(),
                     arena.Data(),
                     arena.ElementLength(),
                     arena_capacity(info, arena.ElementLength()),
                     relocations.Data(),
                     relocations.ElementLength(),
                     slots.Data(),
                     slots.ElementLength(),
                     pointer_slots.Data(),
                     pointer_slots.ElementLength()};
  const long status = EngineEnv::of(env).start_call(id, std::move(iface), std::move(binding), args);
  return Napi::Number::New(env, static_cast<double>(static_cast<std::uint32_t>(status)));
}

// The call's arena as an ArrayBuffer: its native block itself, freed when V8 collects
// the buffer, rather than a copy (a 1 MiB [out] buffer lives in the arena, and under Wine
// allocating, zeroing and copying 1 MiB costs about 0.5 ms of CPU). Until then the block
// is counted in taken_arena_bytes (the finalizer holds the counters, which may outlive
// the environment's other state). A runtime that refuses external buffers gets a copy.
Napi::ArrayBuffer arena_buffer(Napi::Env env, RpcCall* call) {
  const std::size_t size = call->arena_size();
  if (size > 0) {
    std::unique_ptr<std::uint8_t, decltype(&std::free)> block(call->release_arena(), &std::free);
    std::shared_ptr<LiveCounters> counters = EngineEnv::of(env).binding_counters();
    const auto bytes = static_cast<std::int64_t>(size);
    try {
      Napi::ArrayBuffer buffer =
          Napi::ArrayBuffer::New(env, block.get(), size, [counters, bytes](Napi::Env, void* data) {
            counters->taken_arena_bytes -= bytes;
            std::free(data);
          });
      // Counted once V8 owns it; the finalizer runs later on this same thread.
      block.release();
      counters->taken_arena_bytes += bytes;
      return buffer;
    } catch (const Napi::Error&) {
      // Refused (a runtime without external buffers): no finalizer was registered. Node's
      // other refusals that do run the finalizer (a length over its kMaxLength) cannot
      // happen: kMaxArenaBytes is at most that on x64.
    } catch (const std::bad_alloc&) {
      // node-addon-api's finalizer record: nothing was handed to Node.
    }
    // A copy in V8's memory; `block` frees the original either way.
    auto buffer = Napi::ArrayBuffer::New(env, size);
    std::memcpy(buffer.Data(), block.get(), size);
    return buffer;
  }
  return Napi::ArrayBuffer::New(env, 0);
}

// takeCall(id) -> { reply, arenaAddress, arena, blocks: [{ address, bytes }] } after
// its completion arrived; the call's native memory is freed.
Napi::Value take_call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber()) throw Napi::TypeError::New(env, "winrpc: id must be a number");
  auto call = EngineEnv::of(env).take_call(info[0].As<Napi::Number>().Uint32Value());
  if (!call) throw Napi::Error::New(env, "winrpc: no completed call with that id");
  auto copy = [&](const void* data, std::size_t size) {
    auto buffer = Napi::ArrayBuffer::New(env, size);
    if (size > 0) std::memcpy(buffer.Data(), data, size);
    return buffer;
  };
  auto result = Napi::Object::New(env);
  result.Set("reply", Napi::BigInt::New(env, static_cast<std::uint64_t>(call->reply())));
  result.Set("arenaAddress",
             Napi::BigInt::New(
                 env, static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(call->arena()))));
  result.Set("arena", arena_buffer(env, call.get()));
  auto blocks = Napi::Array::New(env);
  call->memory().for_each_block([&](const void* data, std::size_t size) {
    auto block = Napi::Object::New(env);
    block.Set(
        "address",
        Napi::BigInt::New(env, static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(data))));
    block.Set("bytes", copy(data, size));
    blocks.Set(blocks.Length(), block);
  });
  result.Set("blocks", blocks);
  return result;
}

// takeReply(id) -> the reply alone, for a procedure without [out] data; the call's
// native memory is freed without copying any of it.
Napi::Value take_reply(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber()) throw Napi::TypeError::New(env, "winrpc: id must be a number");
  auto call = EngineEnv::of(env).take_call(info[0].As<Napi::Number>().Uint32Value());
  if (!call) throw Napi::Error::New(env, "winrpc: no completed call with that id");
  return Napi::BigInt::New(env, static_cast<std::uint64_t>(call->reply()));
}

// cancelCall(id, abortive) -> the status of RpcAsyncCancelCall (the call still completes).
Napi::Value cancel_call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber()) throw Napi::TypeError::New(env, "winrpc: id must be a number");
  RpcCall* call = EngineEnv::of(env).find_call(info[0].As<Napi::Number>().Uint32Value());
  if (call == nullptr) return Napi::Number::New(env, 0);
  const long status = call->cancel(info[1].ToBoolean().Value());
  return Napi::Number::New(env, static_cast<double>(static_cast<std::uint32_t>(status)));
}

// callStatus(id) -> RpcAsyncGetCallStatus for a call in flight, 0 once completed.
Napi::Value call_status(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber()) throw Napi::TypeError::New(env, "winrpc: id must be a number");
  RpcCall* call = EngineEnv::of(env).find_call(info[0].As<Napi::Number>().Uint32Value());
  if (call == nullptr) return Napi::Number::New(env, 0);
  const long status = call->runtime_status();
  return Napi::Number::New(env, static_cast<double>(static_cast<std::uint32_t>(status)));
}

// abandonCall(id, keep?): JS settled the call (timeout, abort); it stays cancellable and
// is freed once the runtime completes it (its completion still reaches JS), or, with
// `keep`, taken by JS then (takeCall) to read back what the engine left in it.
void abandon_call(const Napi::CallbackInfo& info) {
  if (!info[0].IsNumber()) throw Napi::TypeError::New(info.Env(), "winrpc: id must be a number");
  EngineEnv::of(info.Env())
      .abandon_call(info[0].As<Napi::Number>().Uint32Value(), info[1].ToBoolean().Value());
}

// destroyContextHandle(value) -> 0 or the status: RpcSsDestroyClientContext on the
// NDR_CCONTEXT a context handle holds (lib/runtime makes sure no call uses it).
Napi::Value destroy_context_handle(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsBigInt()) throw Napi::TypeError::New(env, "winrpc: value must be a bigint");
  bool lossless = false;
  const std::uint64_t value = info[0].As<Napi::BigInt>().Uint64Value(&lossless);
  if (!lossless || value == 0) throw Napi::TypeError::New(env, "winrpc: not a context handle");
  void* context = reinterpret_cast<void*>(static_cast<std::uintptr_t>(value));
  const unsigned long status = winrpc_guarded_destroy_context(&context);
  return Napi::Number::New(env, static_cast<double>(status));
}

#ifdef WINRPC_TEST_HOOKS
// testEarlyNotification(id) -> the status of RpcAsyncCompleteCall called for call `id`
// before its notification (RPC_S_ASYNC_CALL_PENDING on Windows, which must leave the
// call in flight), or null when no such call is issued. Test builds only (the lane
// builds with WINRPC_TEST_HOOKS); production addons do not export it.
Napi::Value test_early_notification(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber()) throw Napi::TypeError::New(env, "winrpc: id must be a number");
  const long status = EngineEnv::of(env).complete_early(info[0].As<Napi::Number>().Uint32Value());
  if (status == -1) return env.Null();
  return Napi::Number::New(env, static_cast<double>(static_cast<std::uint32_t>(status)));
}
#endif

}  // namespace

void register_rpc_api(Napi::Env env, Napi::Object exports) {
  exports.Set("registerInterface", Napi::Function::New(env, register_interface));
  exports.Set("createBinding", Napi::Function::New(env, create_binding));
  exports.Set("freeBinding", Napi::Function::New(env, free_binding));
  exports.Set("setBindingAuth", Napi::Function::New(env, set_binding_auth));
  exports.Set("inquireBindingAuth", Napi::Function::New(env, inquire_binding_auth));
  exports.Set("setBindingOption", Napi::Function::New(env, set_binding_option));
  exports.Set("resolveBinding", Napi::Function::New(env, resolve_binding));
  exports.Set("bindingToString", Napi::Function::New(env, binding_to_string));
  exports.Set("copyBinding", Napi::Function::New(env, copy_binding));
  exports.Set("startCall", Napi::Function::New(env, start_call));
  exports.Set("takeCall", Napi::Function::New(env, take_call));
  exports.Set("takeReply", Napi::Function::New(env, take_reply));
  exports.Set("cancelCall", Napi::Function::New(env, cancel_call));
  exports.Set("abandonCall", Napi::Function::New(env, abandon_call));
  exports.Set("callStatus", Napi::Function::New(env, call_status));
  exports.Set("destroyContextHandle", Napi::Function::New(env, destroy_context_handle));
#ifdef WINRPC_TEST_HOOKS
  exports.Set("testEarlyNotification", Napi::Function::New(env, test_early_notification));
#endif
}

}  // namespace winrpc
