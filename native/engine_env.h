// Per-environment engine state (main thread and each Worker have their own): its
// calls, its link to the process-wide completion thread, and the ThreadSafeFunction
// that delivers completion batches to JS. Referenced only while work is in flight, so
// an idle process exits by itself.
#pragma once

#include <napi.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "completion_hub.h"
#include "env_link.h"
#include "win/rpc_call.h"

namespace winrpc {

class EngineEnv {
 public:
  // The env's state, created on first use and freed when the env is torn down.
  static EngineEnv& of(Napi::Env env);

  explicit EngineEnv(Napi::Env env);
  ~EngineEnv();

  // The JS function that receives each batch as a Uint32Array of (id, status) pairs.
  void set_completion_callback(Napi::Function callback);
  // Work that will complete through the port: counted so the TSFN is referenced
  // exactly while something is in flight.
  void begin_work(std::uint32_t count);
  void end_work(std::uint32_t count);
  std::uint32_t in_flight() const { return in_flight_; }
  const LiveCounters& counters() const { return link_->counters; }

  // Test and benchmark packets (throw a JS error when the port refuses one).
  void post_synthetic(std::uint32_t count, std::uint32_t first_id);
  void bench_deliver(std::uint32_t count, std::uint32_t first_id);
#ifdef WINRPC_TEST_HOOKS
  // Tests only: RpcAsyncCompleteCall for call `id` before its notification; the status
  // (RPC_S_ASYNC_CALL_PENDING on Windows), or -1 when no such call is issued.
  long complete_early(std::uint32_t id);
#endif

  // Calls, by id (JS thread only). A call stays here from issue until JS takes its
  // result, or, when JS abandoned it (timeout, abort), until its completion arrives.
  RpcCall* find_call(std::uint32_t id);
  // Issues a call; on failure the call is gone and the status returned.
  long start_call(std::uint32_t id, std::shared_ptr<RpcInterface> iface,
                  std::shared_ptr<RpcBinding> binding, const CallArguments& args);
  std::unique_ptr<RpcCall> take_call(std::uint32_t id);
  // `keep`: JS takes the call after its completion rather than native code freeing it.
  void abandon_call(std::uint32_t id, bool keep);
  // The counters a binding made in this env (or an arena handed to its JS) is counted in.
  std::shared_ptr<LiveCounters> binding_counters() {
    return std::shared_ptr<LiveCounters>(link_, &link_->counters);
  }

 private:
  // The TSFN's JS-thread side; `data` is unused (every pending record goes at once).
  static void deliver_batch(Napi::Env env, Napi::Function callback, EngineEnv* self, void* data);
  // Typed, with no per-call data: scheduling a delivery allocates nothing.
  using DeliveryFunction =
      Napi::TypedThreadSafeFunction<EngineEnv, void, &EngineEnv::deliver_batch>;

  // Connects the env to the completion thread (first use); throws a JS error on failure.
  CompletionHub& hub();
  void deliver(Napi::Env env);
  static void cleanup(void* self);
  void shutdown();

  Napi::Env env_;
  Napi::FunctionReference callback_;
  std::shared_ptr<EnvLink> link_;
  CompletionHub* hub_ = nullptr;         // set once attached
  std::vector<CompletionRecord> batch_;  // JS thread: the records being delivered
  DeliveryFunction tsfn_;
  std::uint32_t in_flight_ = 0;  // JS thread only
  // Owned here while listed; see RpcCall for who frees a call that is not.
  std::unordered_map<std::uint32_t, RpcCall*> calls_;
  bool stopping_ = false;
};

}  // namespace winrpc
