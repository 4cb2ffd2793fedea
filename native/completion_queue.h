// Completions on their way from the completion thread to the JS thread. The thread
// appends records; the first append after a delivery schedules one ThreadSafeFunction
// call, which takes everything pending at once. So a burst of any size costs one
// hop into JS, and records keep the order in which the port produced them.
#pragma once

#include <cstdint>
#include <vector>

#include "win/sync.h"

namespace winrpc {

struct CompletionRecord {
  std::uint32_t id;  // the JS-side identity of the call (or synthetic packet)
  std::int32_t status;
};

class CompletionQueue {
 public:
  // Appends records; returns true when the caller must schedule a delivery.
  bool append(const CompletionRecord* records, std::size_t count) {
    std::lock_guard<Mutex> lock(mutex_);
    pending_.insert(pending_.end(), records, records + count);
    if (scheduled_) return false;
    scheduled_ = true;
    return true;
  }

  // Takes every pending record into `taken` (emptied first); the next append schedules
  // a new delivery. The two vectors trade places, so once both have grown to the
  // largest burst, neither side allocates again.
  void take(std::vector<CompletionRecord>* taken) {
    taken->clear();
    std::lock_guard<Mutex> lock(mutex_);
    taken->swap(pending_);
    scheduled_ = false;
  }

 private:
  Mutex mutex_;
  std::vector<CompletionRecord> pending_;
  bool scheduled_ = false;
};

}  // namespace winrpc
