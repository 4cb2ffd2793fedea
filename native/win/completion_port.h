// An I/O completion port and the one thread that drains it. Neutral header: no
// windows.h here, so the N-API glue never sees Win32 types.
#pragma once

#include <atomic>
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

  CompletionPort();   // throws std::runtime_error when the port cannot be created
  ~CompletionPort();  // stops the thread and closes the port
  CompletionPort(const CompletionPort&) = delete;
  CompletionPort& operator=(const CompletionPort&) = delete;

  void start(BatchHandler handler);
  // Wakes the thread, which exits after the batch it is handling; joins it.
  void stop();
  // Returns false (with the Win32 error in *error) when the packet could not be queued.
  bool post(std::uintptr_t key, void* overlapped, std::uint32_t bytes, std::uint32_t* error);
  // The raw HANDLE, for RPC_ASYNC_STATE's notification (opaque to callers).
  void* handle() const { return port_; }

 private:
  void run(BatchHandler handler);

  void* port_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
};

// Keys at or above this value are reserved for the port itself.
constexpr std::uintptr_t kReservedKeyBase = ~std::uintptr_t{0} - 15;

}  // namespace winrpc
