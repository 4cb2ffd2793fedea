// The process's one I/O completion port and the one thread that drains it. Neutral
// header: no windows.h here, so the N-API glue never sees Win32 types.
//
// The port is never closed: a call the runtime has not completed holds its handle in
// its RPC_ASYNC_STATE, and a late notification to a closed (and recycled) handle value
// would land in someone else's port. So it lives, with its thread, until the process
// ends, and serves every environment (docs: DESIGN.md, "Threads and lifetime").
#pragma once

#include <cstdint>
#include <functional>
#include <thread>

namespace winrpc {

// One dequeued packet, as GetQueuedCompletionStatusEx returned it.
struct CompletionPacket {
  std::uintptr_t key;
  void* overlapped;
  std::uint32_t bytes;
};

class CompletionPort {
 public:
  // Called on the completion thread with every packet of one dequeue, in order.
  using BatchHandler = std::function<void(const CompletionPacket* packets, std::size_t count)>;

  // Creates the port and starts its thread. Throws std::runtime_error (port) or
  // std::system_error (thread) with nothing left behind; never destroyed once made.
  explicit CompletionPort(BatchHandler handler);
  CompletionPort(const CompletionPort&) = delete;
  CompletionPort& operator=(const CompletionPort&) = delete;

  // Returns false (with the Win32 error in *error) when the packet could not be queued.
  bool post(std::uintptr_t key, void* overlapped, std::uint32_t bytes, std::uint32_t* error);
  // The raw HANDLE, for RPC_ASYNC_STATE's notification (opaque to callers).
  void* handle() const { return port_; }

 private:
  void run();

  void* port_;
  BatchHandler handler_;
  std::thread thread_;
};

}  // namespace winrpc
