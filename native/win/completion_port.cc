#include "completion_port.h"

#include <windows.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace winrpc {

namespace {
constexpr std::uintptr_t kWakeKey = kReservedKeyBase;
// Enough to drain a burst in one kernel transition. Its buffers (28 KB) live on the
// heap: on the stack they exceed MSVC's /analyze frame limit (C6262, 16 KB), which
// node-addon-api's except.gypi turns on.
constexpr ULONG kBatchSize = 512;
// Single dequeues between two batch-sized ones while packets arrive one at a time.
constexpr unsigned kProbeEvery = 16;
}  // namespace

CompletionPort::CompletionPort()
    : port_(CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 1)) {
  if (port_ == nullptr) {
    throw std::runtime_error("CreateIoCompletionPort failed: " + std::to_string(GetLastError()));
  }
}

CompletionPort::~CompletionPort() {
  stop();
  CloseHandle(port_);
}

void CompletionPort::start(BatchHandler handler) {
  thread_ = std::thread([this, handler = std::move(handler)] { run(handler); });
}

void CompletionPort::stop() {
  if (!thread_.joinable()) return;
  stopping_.store(true, std::memory_order_release);
  PostQueuedCompletionStatus(port_, 0, kWakeKey, nullptr);
  thread_.join();
}

bool CompletionPort::post(std::uintptr_t key, void* overlapped, std::uint32_t bytes,
                          std::uint32_t* error) {
  if (PostQueuedCompletionStatus(port_, bytes, key, static_cast<LPOVERLAPPED>(overlapped))) {
    return true;
  }
  if (error != nullptr) *error = GetLastError();
  return false;
}

void CompletionPort::run(BatchHandler handler) {
  const auto entry_buffer = std::make_unique<OVERLAPPED_ENTRY[]>(kBatchSize);
  const auto packet_buffer = std::make_unique<CompletionPacket[]>(kBatchSize);
  OVERLAPPED_ENTRY* const entries = entry_buffer.get();
  CompletionPacket* const packets = packet_buffer.get();
  // How many entries to ask for. A dequeue that asks for more than it gets looks at
  // the port once more after the last packet; under Wine every look is a wineserver
  // round trip, paid before the call can be completed. So while packets come one at
  // a time, ask for one; every kProbeEvery single dequeues, and for as long as the
  // answer is more than one packet, ask for a whole batch, so a burst still drains
  // in batches.
  ULONG wanted = kBatchSize;
  unsigned singles = 0;
  while (!stopping_.load(std::memory_order_acquire)) {
    ULONG count = 0;
    if (!GetQueuedCompletionStatusEx(port_, entries, wanted, &count, INFINITE, FALSE)) {
      continue;  // only WAIT_TIMEOUT or an alert could get here; neither ends the loop
    }
    if (wanted == kBatchSize) {
      wanted = count > 1 ? kBatchSize : 1;
    } else {
      wanted = ++singles % kProbeEvery == 0 ? kBatchSize : 1;
    }
    std::size_t delivered = 0;
    for (ULONG i = 0; i < count; ++i) {
      const OVERLAPPED_ENTRY& entry = entries[i];
      if (entry.lpCompletionKey == kWakeKey) continue;
      packets[delivered++] = {entry.lpCompletionKey, entry.lpOverlapped,
                              entry.dwNumberOfBytesTransferred};
    }
    // A stop that arrived mid-batch still lets this batch be handled: the handler
    // owns whatever the packets point at and must not lose it.
    if (delivered > 0) handler(packets, delivered);
  }
}

}  // namespace winrpc
