// Completions on their way from the completion thread to the JS thread. The thread
// appends records; the first append (or announcement) after a delivery schedules one
// ThreadSafeFunction call, which takes everything pending at once. So a burst of any
// size costs one hop into JS, and records keep the order in which the port produced
// them.
//
// Early wake: the completion thread announces a call as soon as it dequeues its
// notification, before RpcAsyncCompleteCall (under Wine several wineserver round trips),
// so the JS thread's wake-up overlaps that work instead of following it. A delivery
// that finds nothing yet waits briefly for the announced records.
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "win/slim_sync.h"

namespace winrpc {

struct CompletionRecord {
  std::uint32_t id;  // the JS-side identity of the call (or synthetic packet)
  std::int32_t status;
};

class CompletionQueue {
 public:
  // How long a delivery that finds no record waits for announced ones. A call's
  // RpcAsyncCompleteCall takes well under this unless its reply is large (then the JS
  // thread gives up and the record's append schedules a delivery of its own).
  static constexpr unsigned long kAnnouncedWaitMs = 1;

  // Completion thread: a record will follow (append with `announced`) or the
  // announcement is retracted. Returns true when the caller must schedule a delivery.
  bool announce() {
    std::lock_guard<SlimLock> lock(lock_);
    ++announced_;
    return schedule_locked();
  }

  void retract(std::size_t count) {
    {
      std::lock_guard<SlimLock> lock(lock_);
      announced_ -= count;
    }
    arrived_.notify_all();
  }

  // Appends records, `announced` of them announced before; returns true when the caller
  // must schedule a delivery.
  bool append(const CompletionRecord* records, std::size_t count, std::size_t announced) {
    bool schedule;
    {
      std::lock_guard<SlimLock> lock(lock_);
      pending_.insert(pending_.end(), records, records + count);
      announced_ -= announced;
      schedule = schedule_locked();
    }
    if (announced > 0) arrived_.notify_all();
    return schedule;
  }

  // Takes every pending record into `taken` (emptied first), after waiting up to
  // kAnnouncedWaitMs when none is pending but some are announced; the next append or
  // announcement schedules a new delivery. The two vectors trade places, so once both
  // have grown to the largest burst, neither side allocates again.
  void take(std::vector<CompletionRecord>* taken) {
    taken->clear();
    std::lock_guard<SlimLock> lock(lock_);
    while (pending_.empty() && announced_ > 0) {
      if (!arrived_.wait_for(lock_, kAnnouncedWaitMs)) break;
    }
    taken->swap(pending_);
    scheduled_ = false;
  }

 private:
  bool schedule_locked() {
    if (scheduled_) return false;
    scheduled_ = true;
    return true;
  }

  SlimLock lock_;
  SlimCondition arrived_;
  std::vector<CompletionRecord> pending_;
  std::size_t announced_ = 0;  // announced records not appended or retracted yet
  bool scheduled_ = false;
};

}  // namespace winrpc
