// N-API glue for servers: createServer, listenServer, answerServerCall, readServerMemory,
// readServerUnits, closeServer, releaseServer, answerWaitingCalls. Each server has a
// ThreadSafeFunction through which runtime threads hand their calls to JS; it holds the process
// open while the server listens, as a listening net.Server does.
#include "server_api.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <system_error>
#include <thread>

#include "win/expr_eval.h"
#include "win/rpc_server.h"
#include "win/seh_guard.h"
#include "win/sync.h"

namespace winrpc {
namespace {

constexpr napi_type_tag kServerTag = {0x7e1e5a3f0b2c4d11ULL, 0x9a61c0de5eed0003ULL};
constexpr long kBadStubData = 1783;        // RPC_X_BAD_STUB_DATA
constexpr long kServerUnavailable = 1722;  // RPC_S_SERVER_UNAVAILABLE
constexpr long kCallFailed = 1726;         // RPC_S_CALL_FAILED
constexpr long kOutOfMemory = 14;          // RPC_S_OUT_OF_MEMORY
constexpr long kOutOfResources = 1721;     // RPC_S_OUT_OF_RESOURCES

// What runtime threads reach JS through, and whether they still may.
struct JsLink {
  Mutex mutex;
  bool open = false;
  Napi::ThreadSafeFunction tsfn;

  bool deliver(std::shared_ptr<ServerCall> call) {
    std::lock_guard<Mutex> lock(mutex);
    if (!open) return false;
    auto* held = new std::shared_ptr<ServerCall>(std::move(call));
    const napi_status status = tsfn.NonBlockingCall(held, &JsLink::to_js);
    if (status != napi_ok) {
      delete held;
      return false;
    }
    return true;
  }

  // JS thread: (id, opnum, slots, attributes) to the server's callback. A throwing
  // callback fails the call rather than leaving its runtime thread waiting forever.
  static void to_js(Napi::Env env, Napi::Function callback, std::shared_ptr<ServerCall>* held) {
    std::shared_ptr<ServerCall> call = std::move(*held);
    delete held;
    if (env == nullptr || callback.IsEmpty()) {
      call->answer(kServerUnavailable, 0);
      return;
    }
    try {
      const auto& slots = call->slots();
      auto array = Napi::BigUint64Array::New(env, slots.size());
      for (std::size_t i = 0; i < slots.size(); ++i) array[i] = slots[i];
      const CallAttributes& a = call->attributes;
      auto attrs = Napi::Object::New(env);
      attrs.Set("status",
                Napi::Number::New(env, static_cast<double>(static_cast<std::uint32_t>(a.status))));
      attrs.Set("protseq", Napi::Number::New(env, a.protseq));
      attrs.Set("authLevel", Napi::Number::New(env, a.auth_level));
      attrs.Set("authService", Napi::Number::New(env, a.auth_service));
      attrs.Set("clientPrincipal", Napi::String::New(env, a.client_principal));
      attrs.Set("clientPid", Napi::Number::New(env, static_cast<double>(a.client_pid)));
      callback.Call({Napi::Number::New(env, call->id()), Napi::Number::New(env, call->opnum()),
                     array, attrs});
    } catch (...) {
      call->answer(kCallFailed, 0);
    }
  }

  void close() {
    std::lock_guard<Mutex> lock(mutex);
    if (!open) return;
    open = false;
    tsfn.Release();
  }
};

struct ServerHandle {
  std::shared_ptr<JsLink> link;
  std::shared_ptr<RpcServer> server;
  napi_env env = nullptr;
  bool hooked = false;
};

// The environment is going away: calls waiting for JS fail, the TSFN goes.
void teardown(void* data) {
  auto* handle = static_cast<ServerHandle*>(data);
  handle->hooked = false;
  handle->link->close();
  handle->server->abort_calls(kServerUnavailable);
}

Napi::Error status_error(Napi::Env env, const std::string& message, long status) {
  auto error = Napi::Error::New(env, message);
  error.Set("status",
            Napi::Number::New(env, static_cast<double>(static_cast<std::uint32_t>(status))));
  return error;
}

template <typename T>
T typed(const Napi::Value& value, napi_typedarray_type type, const char* name) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != type) {
    throw Napi::TypeError::New(value.Env(), std::string("winrpc: bad ") + name);
  }
  return value.As<T>();
}

std::uint32_t number(const Napi::Value& value, const char* name) {
  if (!value.IsNumber())
    throw Napi::TypeError::New(value.Env(), std::string("winrpc: bad ") + name);
  return value.As<Napi::Number>().Uint32Value();
}

std::uint64_t big(const Napi::Value& value, const char* name) {
  if (!value.IsBigInt())
    throw Napi::TypeError::New(value.Env(), std::string("winrpc: bad ") + name);
  bool lossless = false;
  return value.As<Napi::BigInt>().Uint64Value(&lossless);
}

ServerHandle& unwrap(const Napi::Value& value) {
  using External = Napi::External<ServerHandle>;
  if (!value.IsExternal() || !value.As<External>().CheckTypeTag(&kServerTag)) {
    throw Napi::TypeError::New(value.Env(), "winrpc: expected a server");
  }
  return *value.As<External>().Data();
}

// createServer(uuid, major, minor, procFormat, typeFormat, exprPrograms | undefined,
//              procOffsets: Uint32Array, slotCounts: Uint32Array, returnKinds: Uint32Array,
//              maxCalls, onCall, securityCallback: boolean)
Napi::Value create_server(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto uuid = typed<Napi::Uint8Array>(info[0], napi_uint8_array, "uuid");
  auto proc = typed<Napi::Uint8Array>(info[3], napi_uint8_array, "procFormat");
  auto type = typed<Napi::Uint8Array>(info[4], napi_uint8_array, "typeFormat");
  auto offsets = typed<Napi::Uint32Array>(info[6], napi_uint32_array, "procOffsets");
  auto slots = typed<Napi::Uint32Array>(info[7], napi_uint32_array, "slotCounts");
  auto returns = typed<Napi::Uint32Array>(info[8], napi_uint32_array, "returnKinds");
  if (uuid.ElementLength() != 16 || offsets.ElementLength() != slots.ElementLength() ||
      returns.ElementLength() != slots.ElementLength() || !info[10].IsFunction()) {
    throw Napi::TypeError::New(env, "winrpc: bad server description");
  }
  ServerSpec spec;
  std::memcpy(spec.uuid, uuid.Data(), 16);
  spec.major = static_cast<std::uint16_t>(number(info[1], "major"));
  spec.minor = static_cast<std::uint16_t>(number(info[2], "minor"));
  spec.proc_format.assign(proc.Data(), proc.Data() + proc.ElementLength());
  spec.type_format.assign(type.Data(), type.Data() + type.ElementLength());
  if (!info[5].IsUndefined()) {
    auto programs = typed<Napi::Uint8Array>(info[5], napi_uint8_array, "exprPrograms");
    if (!parse_expr_programs(programs.Data(), programs.ElementLength(), &spec.expr_programs)) {
      throw Napi::TypeError::New(env, "winrpc: malformed expression programs");
    }
  }
  for (std::size_t i = 0; i < offsets.ElementLength(); ++i) {
    if (offsets[i] >= spec.proc_format.size() || slots[i] > WINRPC_MAX_SLOTS) {
      throw Napi::TypeError::New(env, "winrpc: bad procedure table");
    }
    spec.proc_offsets.push_back(static_cast<std::uint16_t>(offsets[i]));
    spec.slot_counts.push_back(static_cast<std::uint16_t>(slots[i]));
    spec.return_kinds.push_back(static_cast<std::uint8_t>(returns[i] <= 2 ? returns[i] : 0));
  }
  spec.max_calls = number(info[9], "maxCalls");
  if (spec.max_calls == 0) spec.max_calls = 1;
  spec.security_callback = info[11].IsBoolean() && info[11].As<Napi::Boolean>().Value();

  auto link = std::make_shared<JsLink>();
  link->tsfn =
      Napi::ThreadSafeFunction::New(env, info[10].As<Napi::Function>(), "winrpc server", 0, 1);
  link->tsfn.Unref(env);  // referenced while listening
  link->open = true;
  auto* handle = new ServerHandle{link, nullptr, env, false};
  handle->server = std::make_shared<RpcServer>(std::move(spec), [link](ServerCall* call) {
    return link->deliver(call->shared_from_this());
  });
  if (napi_add_env_cleanup_hook(env, teardown, handle) == napi_ok) handle->hooked = true;
  auto external = Napi::External<ServerHandle>::New(env, handle, [](Napi::Env, ServerHandle* h) {
    if (h->hooked) napi_remove_env_cleanup_hook(h->env, teardown, h);
    h->link->close();
    h->server->abort_calls(kServerUnavailable);
    delete h;
  });
  external.TypeTag(&kServerTag);
  return external;
}

class ListenWorker : public Napi::AsyncWorker {
 public:
  ListenWorker(Napi::Env env, ServerHandle& handle, ListenSettings settings)
      : Napi::AsyncWorker(env),
        deferred_(Napi::Promise::Deferred::New(env)),
        link_(handle.link),
        server_(handle.server),
        settings_(std::move(settings)) {}
  Napi::Promise promise() const { return deferred_.Promise(); }
  void Execute() override { status_ = server_->listen(settings_, &endpoint_); }
  void OnOK() override {
    Napi::Env env = Env();
    if (status_ != 0) {
      deferred_.Reject(status_error(env, "winrpc: the server cannot listen", status_).Value());
      return;
    }
    {
      std::lock_guard<Mutex> lock(link_->mutex);
      if (link_->open) link_->tsfn.Ref(env);
    }
    deferred_.Resolve(Napi::String::New(env, endpoint_));
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::shared_ptr<JsLink> link_;
  std::shared_ptr<RpcServer> server_;
  ListenSettings settings_;
  std::u16string endpoint_;
  long status_ = 0;
};

// listenServer(server, protseq, endpoint | undefined, ifFlags, maxRpcSize, authService,
//              principal | undefined) -> Promise<endpoint>
Napi::Value listen_server(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ServerHandle& handle = unwrap(info[0]);
  if (!info[1].IsString() || !(info[2].IsString() || info[2].IsUndefined())) {
    throw Napi::TypeError::New(env, "winrpc: bad protseq or endpoint");
  }
  ListenSettings settings;
  settings.protseq = info[1].As<Napi::String>().Utf16Value();
  settings.has_endpoint = info[2].IsString();
  if (settings.has_endpoint) settings.endpoint = info[2].As<Napi::String>().Utf16Value();
  settings.if_flags = number(info[3], "ifFlags");
  settings.max_rpc_size = number(info[4], "maxRpcSize");
  settings.auth_service = number(info[5], "authService");
  settings.has_principal = info[6].IsString();
  if (settings.has_principal) settings.principal = info[6].As<Napi::String>().Utf16Value();
  auto* worker = new ListenWorker(env, handle, std::move(settings));
  Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

#ifdef WINRPC_TEST_HOOKS
// testFailNextCloseThread(): the next closeServer's thread fails to start, as std::thread
// reports it (std::system_error), which cannot be caused on purpose otherwise.
std::atomic<bool> fail_next_close_thread{false};
#endif

// The closing thread's work: unregister, then tell JS. No exception may leave a thread
// (std::terminate): out of memory on the way becomes the status JS is told, if it can be.
void close_and_report(const std::shared_ptr<JsLink>& link,
                      const std::shared_ptr<RpcServer>& server) {
  long status;
  try {
    status = server->close();
  } catch (const std::exception&) {
    status = kOutOfMemory;
  }
  try {
    auto done = std::make_shared<ServerCall>(
        0, kClosedOpnum,
        std::vector<std::uint64_t>{static_cast<std::uint64_t>(static_cast<std::uint32_t>(status))});
    done->answer(0, 0);   // nobody waits for it
    link->deliver(done);  // dropped if the environment has gone meanwhile
  } catch (const std::exception&) {
    // Nothing can reach JS without memory: its close() keeps waiting.
  }
}

// closeServer(server): unregisters, waiting for calls in flight, on a thread of its own;
// the outcome reaches JS as a pseudo-call (opnum kClosedOpnum, slot 0: the status), after
// which JS calls releaseServer. Not on libuv's thread pool: a Worker's teardown waits for
// the pool's work before it runs the cleanup hook that answers the calls this waits for,
// so a close() in progress there would hold the Worker forever (measured: terminate()
// never returned). A thread that cannot start (std::system_error, or no memory for it)
// is an Error with RPC_S_OUT_OF_RESOURCES, and nothing has changed: the server still
// serves, and close() may be tried again.
Napi::Value close_server(const Napi::CallbackInfo& info) {
  ServerHandle& handle = unwrap(info[0]);
  std::shared_ptr<JsLink> link = handle.link;
  std::shared_ptr<RpcServer> server = handle.server;
  try {
#ifdef WINRPC_TEST_HOOKS
    if (fail_next_close_thread.exchange(false)) {
      throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again));
    }
#endif
    std::thread([link, server] { close_and_report(link, server); }).detach();
  } catch (const std::exception& error) {
    throw status_error(info.Env(),
                       std::string("winrpc: no thread could be started to close the server (") +
                           error.what() + ")",
                       kOutOfResources);
  }
  return info.Env().Undefined();
}

// releaseServer(server): the server closed; its ThreadSafeFunction goes (the process may
// exit once nothing else holds it).
Napi::Value release_server(const Napi::CallbackInfo& info) {
  unwrap(info[0]).link->close();
  return info.Env().Undefined();
}

// answerWaitingCalls(server, status): close()'s deadline passed; every call waiting for
// the implementation, and every later one, is answered with `status`.
Napi::Value answer_waiting_calls(const Napi::CallbackInfo& info) {
  const long status = static_cast<long>(number(info[1], "status"));
  if (status == 0) throw Napi::TypeError::New(info.Env(), "winrpc: bad status");
  unwrap(info[0]).server->answer_waiting(status);
  return info.Env().Undefined();
}

std::shared_ptr<ServerCall> live_call(const Napi::CallbackInfo& info) {
  auto call = unwrap(info[0]).server->find_call(number(info[1], "call id"));
  if (!call) throw status_error(info.Env(), "winrpc: the call is no longer waiting", kCallFailed);
  return call;
}

// readServerMemory(server, id, address, size) -> ArrayBuffer: [in] memory of a call
// waiting for its answer (the engine's, stable while the call waits).
Napi::Value read_server_memory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto call = live_call(info);
  const std::uint64_t address = big(info[2], "address");
  const std::uint32_t size = number(info[3], "size");
  auto buffer = Napi::ArrayBuffer::New(env, size);
  if (size > 0 && (address == 0 || winrpc_guarded_read(buffer.Data(),
                                                       reinterpret_cast<const void*>(
                                                           static_cast<std::uintptr_t>(address)),
                                                       size) != 0)) {
    throw status_error(env, "winrpc: unreadable request memory", kBadStubData);
  }
  return buffer;
}

// readServerUnits(server, id, address, unit) -> ArrayBuffer: a NUL-terminated string's
// code units (1 or 2 bytes each), without the NUL.
Napi::Value read_server_units(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto call = live_call(info);
  const std::uint64_t address = big(info[2], "address");
  const std::uint32_t unit = number(info[3], "unit");
  if (unit != 1 && unit != 2) throw Napi::TypeError::New(env, "winrpc: bad unit");
  const void* source = reinterpret_cast<const void*>(static_cast<std::uintptr_t>(address));
  std::size_t units = 0;
  if (address == 0 ||
      winrpc_guarded_units_before_nul(source, unit, (1u << 28) / unit, &units) != 0) {
    throw status_error(env, "winrpc: unreadable request string", kBadStubData);
  }
  auto buffer = Napi::ArrayBuffer::New(env, units * unit);
  if (units > 0 && winrpc_guarded_read(buffer.Data(), source, units * unit) != 0) {
    throw status_error(env, "winrpc: unreadable request string", kBadStubData);
  }
  return buffer;
}

// answerServerCall(server, id, status, value, arena, relocations, outs) -> boolean.
// `arena` holds the [out] data laid out by lib/runtime (pointer fields as arena offsets,
// listed in `relocations`); `outs` is (slot, offset, size) triples: copy the arena's
// bytes [offset, offset + size) to the memory the pointer in argument slot `slot` names.
Napi::Value answer_server_call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto call = live_call(info);
  const long status = static_cast<long>(number(info[2], "status"));
  const std::uint64_t value = big(info[3], "value");
  auto arena = typed<Napi::Uint8Array>(info[4], napi_uint8_array, "arena");
  auto relocations = typed<Napi::Uint32Array>(info[5], napi_uint32_array, "relocations");
  auto outs = typed<Napi::Uint32Array>(info[6], napi_uint32_array, "outs");
  if (status != 0 || arena.ElementLength() == 0) {
    return Napi::Boolean::New(env, call->answer(status, status != 0 ? 0 : value));
  }
  // Claimed before the [out] memory is written: an answer given meanwhile (teardown,
  // abort) would release the runtime thread, and the engine would free that memory.
  if (!call->claim()) return Napi::Boolean::New(env, false);
  const std::size_t size = arena.ElementLength();
  auto* block = static_cast<std::uint8_t*>(std::malloc(size));
  if (block == nullptr) {
    call->finish(14 /* out of memory */, 0);
    return Napi::Boolean::New(env, true);
  }
  std::memcpy(block, arena.Data(), size);
  long failure = 0;
  for (std::size_t i = 0; i < relocations.ElementLength() && failure == 0; ++i) {
    const std::uint32_t at = relocations[i];
    if (at > size - 8 || size < 8) {
      failure = kBadStubData;
      break;
    }
    std::uint64_t target;
    std::memcpy(&target, block + at, 8);
    target += reinterpret_cast<std::uintptr_t>(block);
    std::memcpy(block + at, &target, 8);
  }
  const auto& slots = call->slots();
  for (std::size_t i = 0; i + 2 < outs.ElementLength() + 0 && failure == 0; i += 3) {
    const std::uint32_t slot = outs[i], offset = outs[i + 1], length = outs[i + 2];
    if (length == 0) continue;  // an empty [out] array: the engine may pass no memory for it
    if (slot >= slots.size() || slots[slot] == 0 || offset > size || length > size - offset) {
      failure = kBadStubData;
      break;
    }
    void* destination = reinterpret_cast<void*>(static_cast<std::uintptr_t>(slots[slot]));
    if (winrpc_guarded_read(destination, block + offset, length) != 0) failure = kBadStubData;
  }
  if (failure != 0) {
    std::free(block);
    call->finish(failure, 0);
    return Napi::Boolean::New(env, true);
  }
  call->finish(0, value, {{block, size}});
  return Napi::Boolean::New(env, true);
}

// serverKey(server) -> the key in the high 32 bits of its context handles' server contexts.
Napi::Value server_key(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), unwrap(info[0]).server->key());
}

#ifdef WINRPC_TEST_HOOKS
// testServerCounters() -> { engineBlocksLive, engineBlocksSwept, dispatchesOutlivingServer,
// serversLive }
// (process-wide; test builds only).
Napi::Value test_server_counters(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const ServerTestCounters c = server_test_counters();
  auto out = Napi::Object::New(env);
  out.Set("engineBlocksLive", Napi::Number::New(env, static_cast<double>(c.engine_blocks_live)));
  out.Set("engineBlocksSwept", Napi::Number::New(env, static_cast<double>(c.engine_blocks_swept)));
  out.Set("dispatchesOutlivingServer",
          Napi::Number::New(env, static_cast<double>(c.dispatches_outliving)));
  out.Set("serversLive", Napi::Number::New(env, static_cast<double>(c.servers_live)));
  return out;
}

Napi::Value test_fail_next_close_thread(const Napi::CallbackInfo& info) {
  fail_next_close_thread = true;
  return info.Env().Undefined();
}

// testUnregisterBehind(server) -> RpcServerUnregisterIf's status: unregisters the
// server's interface behind its back, so that its close() meets the runtime's failure.
Napi::Value test_unregister_behind(const Napi::CallbackInfo& info) {
  const long status = unwrap(info[0]).server->unregister_behind_for_test();
  return Napi::Number::New(info.Env(), static_cast<double>(static_cast<std::uint32_t>(status)));
}
#endif

}  // namespace

void register_server_api(Napi::Env env, Napi::Object exports) {
  exports.Set("createServer", Napi::Function::New(env, create_server));
  exports.Set("listenServer", Napi::Function::New(env, listen_server));
  exports.Set("closeServer", Napi::Function::New(env, close_server));
  exports.Set("releaseServer", Napi::Function::New(env, release_server));
  exports.Set("answerWaitingCalls", Napi::Function::New(env, answer_waiting_calls));
  exports.Set("readServerMemory", Napi::Function::New(env, read_server_memory));
  exports.Set("readServerUnits", Napi::Function::New(env, read_server_units));
  exports.Set("answerServerCall", Napi::Function::New(env, answer_server_call));
  exports.Set("serverKey", Napi::Function::New(env, server_key));
#ifdef WINRPC_TEST_HOOKS
  exports.Set("testServerCounters", Napi::Function::New(env, test_server_counters));
  exports.Set("testFailNextCloseThread", Napi::Function::New(env, test_fail_next_close_thread));
  exports.Set("testUnregisterBehind", Napi::Function::New(env, test_unregister_behind));
#endif
}

}  // namespace winrpc
