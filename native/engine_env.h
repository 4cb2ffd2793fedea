// Per-environment engine state (main thread and each Worker have their own): the
// completion port and thread, created on first use, and the ThreadSafeFunction
// that delivers completion batches to JS. Referenced only while work is in flight,
// so an idle process exits by itself.
#pragma once

#include <napi.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "completion_queue.h"
#include "win/completion_port.h"
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
  // Starts the port and thread if needed; throws a JS error when that fails.
  CompletionPort& port();
  // Work that will complete through the port: counted so the TSFN is referenced
  // exactly while something is in flight.
  void begin_work(std::uint32_t count);
  void end_work(std::uint32_t count);
  std::uint32_t in_flight() const { return in_flight_; }
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }

  // Calls, by id (JS thread only). A call stays here from issue until JS takes its
  // result, or, when JS abandoned it (timeout), until the runtime has completed it.
  RpcCall* find_call(std::uint32_t id);
  // Issues a call on this env's port; on failure the call is gone and the status returned.
  long start_call(std::unique_ptr<RpcCall> call, const CallArguments& args);
  std::unique_ptr<RpcCall> take_call(std::uint32_t id);
  void abandon_call(std::uint32_t id);

  // Process-wide count of open completion ports, for tests of env cleanup.
  static std::int64_t open_ports();

 private:
  // The TSFN's JS-thread side; `data` is unused (every pending record goes at once).
  static void deliver_batch(Napi::Env env, Napi::Function callback, EngineEnv* self, void* data);
  // Typed, with no per-call data: scheduling a delivery allocates nothing.
  using DeliveryFunction =
      Napi::TypedThreadSafeFunction<EngineEnv, void, &EngineEnv::deliver_batch>;

  void deliver(Napi::Env env);
  static void cleanup(void* self);
  void on_packets(const CompletionPacket* packets, std::size_t count);
  void shutdown();
  void cancel_outstanding_calls();

  Napi::Env env_;
  Napi::FunctionReference callback_;
  std::unique_ptr<CompletionPort> port_;
  CompletionQueue queue_;
  std::vector<CompletionRecord> batch_;  // JS thread: the records being delivered
  DeliveryFunction tsfn_;
  std::uint32_t in_flight_ = 0;  // JS thread only
  std::unordered_map<std::uint32_t, std::unique_ptr<RpcCall>> calls_;
  std::unordered_set<std::uint32_t> abandoned_;
  std::atomic<std::uint32_t> outstanding_{0};  // issued calls not yet completed
  std::atomic<bool> stopping_{false};
};

// Completion keys: what the thread does with a packet.
enum class PacketKey : std::uintptr_t {
  kSynthetic = 1,  // a test/benchmark packet; its OVERLAPPED pointer carries the id
  kRpcCall = 2,    // an RPC call's notification; its OVERLAPPED leads to the call
  // Benchmark only: one packet that makes the completion thread append synthetic
  // records straight to the queue (OVERLAPPED pointer = count, byte count = first id),
  // so the delivery path (queue -> TSFN -> JS) is measured without a port round trip
  // per record.
  kBenchDeliver = 3,
};

}  // namespace winrpc
