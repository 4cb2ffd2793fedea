// The process-wide completion path: the one completion port and thread (created on
// first use, never closed), and the routing of each completed call to the environment
// that issued it. A call whose environment is gone is freed here once the runtime has
// completed it, so a Worker's termination never waits for its calls.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "env_link.h"
#include "win/completion_port.h"
#include "win/rpc_call.h"

namespace winrpc {

// Completion keys: what the thread does with a packet.
enum class PacketKey : std::uintptr_t {
  kSynthetic = 1,  // a test packet; its OVERLAPPED pointer is a heap SyntheticPacket
  kRpcCall = 2,    // an RPC call's notification; its OVERLAPPED leads to the call
  // Benchmark only: one packet that makes the completion thread append records
  // straight to the env's queue (OVERLAPPED pointer: a heap SyntheticPacket), so the
  // delivery path (queue -> TSFN -> JS) is measured without a port round trip per record.
  kBenchDeliver = 3,
};

class CompletionHub {
 public:
  // The hub, made on first use. Throws std::exception when the port or the thread
  // cannot be created; then nothing was made and a later call tries again.
  static CompletionHub& instance();
  // Whether the hub exists (diagnostics: the process's open completion ports).
  static bool started();

  void* port_handle() const { return port_->handle(); }
  static std::uintptr_t call_key() { return static_cast<std::uintptr_t>(PacketKey::kRpcCall); }
  // Synthetic records for `link`: `count` packets with ids first.. (kSynthetic), or
  // one packet that expands into them (kBenchDeliver). False with the Win32 error.
  bool post_synthetic(const std::shared_ptr<EnvLink>& link, std::uint32_t id, std::uint32_t* error);
  bool post_bench(const std::shared_ptr<EnvLink>& link, std::uint32_t count, std::uint32_t first,
                  std::uint32_t* error);
#ifdef WINRPC_TEST_HOOKS
  // Tests only: the runtime's notification again, for a call that a test completed
  // early while it came (RpcCall::complete_early); the call is alive until it is routed.
  bool post_notification(void* overlapped, std::uint32_t* error);
#endif

 private:
  CompletionHub();
  void on_packets(const CompletionPacket* packets, std::size_t count);
  // Completion thread: collects records per environment, delivered once per batch.
  void add(std::shared_ptr<EnvLink> link, CompletionRecord record);
  void flush_all();

  struct Route {
    std::shared_ptr<EnvLink> link;
    std::vector<CompletionRecord> records;
  };
  std::vector<Route> routes_;  // completion thread only
  std::unique_ptr<CompletionPort> port_;
};

}  // namespace winrpc
