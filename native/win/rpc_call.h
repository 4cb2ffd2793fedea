// One asynchronous RPC call: its RPC_ASYNC_STATE (in stable memory until the runtime
// lets go of it), the [in] arena copied to native memory, the blocks the NDR engine
// allocated for it, and the reply. Issued on the JS thread; completed on the
// completion thread after the runtime's notification.
//
// Its state moves issued -> completing -> done under one lock, which every path that
// touches the runtime's side of the call honours: cancel and status act only while
// it is issued, so they never race RpcAsyncCompleteCall (the runtime recycles the call
// object once that returns). Who frees the call is decided under the same lock: the
// JS side while it holds the call, otherwise the completion thread once the runtime
// is done with it.
#pragma once

#include <cstdint>
#include <memory>

#include "call_memory.h"
#include "live_counters.h"
#include "rpc_binding.h"
#include "rpc_interface.h"
#include "sync.h"

namespace winrpc {

// The most memory one call's arena may take: arena offsets travel as 32-bit relocations
// and NDR's buffer lengths are 32-bit (lib/runtime's MAX_ARENA_BYTES is the same cap).
constexpr std::size_t kMaxArenaBytes = 0x7fffffff;

struct CallArguments {
  std::uint32_t proc_format_offset;
  const std::uint8_t* arena;
  std::size_t arena_size;            // bytes JS wrote, copied to the start of the call's arena
  std::size_t arena_capacity;        // the arena's whole size (>= arena_size); the rest is zeroed
  const std::uint32_t* relocations;  // arena offsets of arena-relative pointer fields
  std::size_t relocation_count;
  const std::uint64_t* slots;  // argument slots; 0 and 1 are set here (async, binding)
  std::size_t slot_count;
  const std::uint32_t* pointer_slots;  // indices of slots holding arena offsets
  std::size_t pointer_slot_count;
};

// What the completion thread learned from one notification, read under the call's
// lock: after that the thread must not touch the call again unless `orphaned`.
struct CallCompletion {
  bool ignored;   // the call was not issued (a second packet): nothing to route
  bool orphaned;  // nobody on the JS side holds the call: the completion thread frees it
  std::uint32_t id;
  long status;
  std::shared_ptr<void> route;  // where the completion goes (the environment's link)
};

class RpcCall {
 public:
  RpcCall(std::uint32_t id, std::shared_ptr<RpcInterface> iface,
          std::shared_ptr<RpcBinding> binding, std::shared_ptr<void> route,
          std::shared_ptr<LiveCounters> counters);
  ~RpcCall();
  RpcCall(const RpcCall&) = delete;
  RpcCall& operator=(const RpcCall&) = delete;

  // Starts the call; on RPC_S_OK a notification with `key` will reach `port`.
  // Otherwise returns the status (or exception code) and nothing more will happen.
  long issue(void* port, std::uintptr_t key, const CallArguments& args);
  // Completion thread, after the runtime's notification: RpcAsyncCompleteCall under the
  // guard. Its page says, for the client, that called "before the reply has arrived, the
  // call returns RPC_S_ASYNC_CALL_PENDING", and that if it "does not return
  // RPC_S_ASYNC_CALL_PENDING, this RpcAsyncCompleteCall invocation is final". The second
  // sentence alone would make 997 (RPC_S_ASYNC_CALL_PENDING, also ERROR_IO_PENDING)
  // "not final"; our reading, from the first: called after the notification, when the
  // reply has arrived, 997 can only be the call's own status (a server may fault with
  // that code), so the call is final whatever the status. Production code never calls it
  // before the notification (the test hook below does).
  CallCompletion complete();
#ifdef WINRPC_TEST_HOOKS
  // Tests only (JS thread): RpcAsyncCompleteCall before the notification. On
  // RPC_S_ASYNC_CALL_PENDING the call stays issued; any other status completes it, and
  // the completion thread routes it when the notification comes. Returns that status
  // (-1: not issued); `renotify` is set when the runtime's notification arrived while
  // this ran (so the completion thread skipped it) and must be posted again.
  long complete_early(bool* renotify);
#endif
  // Asks the runtime to cancel, while the call is issued; the call still completes
  // through the notification. Returns 0 when there is nothing left to cancel.
  long cancel(bool abortive);
  // RpcAsyncGetCallStatus while issued; RPC_S_ASYNC_CALL_PENDING while completing
  // (JS has not seen the result); 0 once done.
  long runtime_status();

  // JS stopped waiting for the call (a timeout or an abort); counted as abandoned until
  // freed. It stays where it is: cancellable, and freed when its completion arrives,
  // unless `keep`: then JS takes it after its completion (to read back an [in, out]
  // context handle the engine may have changed).
  void mark_abandoned(bool keep);
  bool abandoned() const { return abandoned_; }  // JS thread
  bool kept() const { return kept_; }            // JS thread
  // The environment is going away: an issued call is cancelled abortively. Returns
  // true when the runtime is done with the call and the caller must free it; otherwise
  // the completion thread frees it when the runtime completes it.
  bool release_for_teardown();

  static RpcCall* from_overlapped(void* overlapped);
  void* overlapped();  // what the runtime's notification carries
  std::uint32_t id() const { return id_; }
  bool done();
  std::uint64_t reply() const { return reply_; }
  const std::uint8_t* arena() const { return arena_.get(); }
  // Hands the arena's block (malloc'd; free it with std::free) to the caller, once the
  // runtime is done with the call; arena() is null afterwards. The live count still
  // drops when the call is freed: the block is the caller's from here on.
  std::uint8_t* release_arena() { return arena_.release(); }
  std::size_t arena_size() const { return arena_size_; }
  const CallMemory& memory() const { return memory_; }

 private:
  // kCompletedEarly: test builds only, completed by complete_early before the
  // notification, which has yet to come and route it.
  enum class State : std::uint8_t { kNew, kIssued, kCompleting, kCompletedEarly, kDone };
  struct AsyncState;
  // RpcAsyncCompleteCall under the guard; the status or the exception code.
  long run_complete();
  long cancel_locked(bool abortive);
  // Under mutex_: "abandoned" counts calls JS let go of while the runtime still has them.
  void count_abandoned();
  void uncount_abandoned();

  std::uint32_t id_;
  std::shared_ptr<RpcInterface> iface_;
  std::shared_ptr<RpcBinding> binding_;
  std::shared_ptr<void> route_;
  std::shared_ptr<LiveCounters> counters_;
  std::unique_ptr<AsyncState> async_;
  struct FreeDeleter {
    void operator()(std::uint8_t* memory) const;
  };
  std::unique_ptr<std::uint8_t, FreeDeleter> arena_;  // malloc: 16-byte aligned on x64
  std::size_t arena_size_ = 0;
  std::uint64_t reply_ = 0;
  Mutex mutex_;
  State state_ = State::kNew;       // under mutex_
  bool orphaned_ = false;           // under mutex_: the JS side let go of the call
  bool abandoned_ = false;          // JS stopped waiting (read on the JS thread)
  bool kept_ = false;               // abandoned, but JS takes it (JS thread)
  bool counted_abandoned_ = false;  // under mutex_: counted in counters_->abandoned
  long early_status_ = 0;           // under mutex_: kCompletedEarly's status
  bool notified_early_ = false;     // under mutex_: a notification came while completing early
  CallMemory memory_;
};

}  // namespace winrpc
