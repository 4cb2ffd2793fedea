// One asynchronous RPC call: its RPC_ASYNC_STATE (in stable memory until the runtime
// lets go of it), the [in] arena copied to native memory, the blocks the NDR engine
// allocated for it, and the reply. Issued on the JS thread; completed on the
// completion thread after the runtime's notification.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "call_memory.h"
#include "rpc_binding.h"
#include "rpc_interface.h"

namespace winrpc {

struct CallArguments {
  std::uint32_t proc_format_offset;
  const std::uint8_t* arena;
  std::size_t arena_size;
  const std::uint32_t* relocations;  // arena offsets of arena-relative pointer fields
  std::size_t relocation_count;
  const std::uint64_t* slots;  // argument slots; 0 and 1 are set here (async, binding)
  std::size_t slot_count;
  const std::uint32_t* pointer_slots;  // indices of slots holding arena offsets
  std::size_t pointer_slot_count;
};

class RpcCall {
 public:
  RpcCall(std::uint32_t id, std::shared_ptr<RpcInterface> iface,
          std::shared_ptr<RpcBinding> binding);
  ~RpcCall();
  RpcCall(const RpcCall&) = delete;
  RpcCall& operator=(const RpcCall&) = delete;

  // Starts the call; on RPC_S_OK a notification with `key` will reach `port`.
  // Otherwise returns the status (or exception code) and nothing more will happen.
  long issue(void* port, std::uintptr_t key, const CallArguments& args);
  // Completion thread, after the notification: RpcAsyncCompleteCall under the guard.
  long complete();
  // Asks the runtime to cancel; the call still completes through the notification.
  long cancel(bool abortive);

  // RpcAsyncGetCallStatus: RPC_S_ASYNC_CALL_PENDING while in flight, without
  // completing or racing the completion.
  long runtime_status();

  static RpcCall* from_overlapped(void* overlapped);
  std::uint32_t id() const { return id_; }
  bool completed() const { return completed_.load(std::memory_order_acquire); }
  std::uint64_t reply() const { return reply_; }
  const std::uint8_t* arena() const { return arena_.get(); }
  std::size_t arena_size() const { return arena_size_; }
  const CallMemory& memory() const { return memory_; }

 private:
  struct AsyncState;
  std::uint32_t id_;
  std::shared_ptr<RpcInterface> iface_;
  std::shared_ptr<RpcBinding> binding_;
  std::unique_ptr<AsyncState> async_;
  struct FreeDeleter {
    void operator()(std::uint8_t* memory) const;
  };
  std::unique_ptr<std::uint8_t, FreeDeleter> arena_;  // malloc: 16-byte aligned on x64
  std::size_t arena_size_ = 0;
  std::uint64_t reply_ = 0;
  std::atomic<bool> completed_{false};
  CallMemory memory_;
};

}  // namespace winrpc
