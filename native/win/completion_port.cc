#include "completion_port.h"

#include <windows.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

namespace winrpc {

namespace {
// Enough to drain a burst in one kernel transition.
constexpr ULONG kBatchSize = 512;
// Single dequeues between two batch-sized ones while packets arrive one at a time.
constexpr unsigned kProbeEvery = 16;
}  // namespace

CompletionPort::CompletionPort(BatchHandler handler)
    : port_(CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 1)),
      handler_(std::move(handler)) {
  if (port_ == nullptr) {
    throw std::runtime_error("CreateIoCompletionPort failed: " + std::to_string(GetLastError()));
  }
  try {
    thread_ = std::thread([this] { run(); });
  } catch (...) {
    // No thread, so nothing can be waiting on the port yet: closing it is safe.
    CloseHandle(port_);
    throw;
  }
}

bool CompletionPort::post(std::uintptr_t key, void* overlapped, std::uint32_t bytes,
                          std::uint32_t* error) {
  if (PostQueuedCompletionStatus(port_, bytes, key, static_cast<LPOVERLAPPED>(overlapped))) {
    return true;
  }
  if (error != nullptr) *error = GetLastError();
  return false;
}

void CompletionPort::run() {
  // On the heap: together they would take 28 KB of the thread's stack.
  std::vector<OVERLAPPED_ENTRY> entries(kBatchSize);
  std::vector<CompletionPacket> packets(kBatchSize);
  // How many entries to ask for. A dequeue that asks for more than it gets looks at
  // the port once more after the last packet; under Wine every look is a wineserver
  // round trip, paid before the call can be completed. So while packets come one at
  // a time, ask for one; every kProbeEvery single dequeues, and for as long as the
  // answer is more than one packet, ask for a whole batch, so a burst still drains
  // in batches.
  ULONG wanted = kBatchSize;
  unsigned singles = 0;
  for (;;) {
    ULONG count = 0;
    if (!GetQueuedCompletionStatusEx(port_, entries.data(), wanted, &count, INFINITE, FALSE)) {
      // With an infinite wait and no alertable wait, any failure means the port is
      // broken: calls could never complete again. Going on would spin; stop, as libuv
      // does on the same failure.
      std::fprintf(stderr, "winrpc: GetQueuedCompletionStatusEx failed (%lu)\n", GetLastError());
      std::abort();
    }
    if (wanted == kBatchSize) {
      wanted = count > 1 ? kBatchSize : 1;
    } else {
      wanted = ++singles % kProbeEvery == 0 ? kBatchSize : 1;
    }
    for (ULONG i = 0; i < count; ++i) {
      const OVERLAPPED_ENTRY& entry = entries[i];
      packets[i] = {entry.lpCompletionKey, entry.lpOverlapped, entry.dwNumberOfBytesTransferred};
    }
    if (count > 0) handler_(packets.data(), count);
  }
}

}  // namespace winrpc
