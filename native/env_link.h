// The part of one environment the completion thread may reach: its queue of
// completions and the ThreadSafeFunction that wakes its JS thread. Shared between the
// environment and every call it issued, so it outlives an environment whose calls the
// runtime has not completed yet; once detached, completions for it are dropped.
#pragma once

#include <node_api.h>

#include <cstddef>

#include "completion_queue.h"
#include "win/live_counters.h"
#include "win/sync.h"

namespace winrpc {

class EnvLink {
 public:
  // JS thread: completions are delivered through `tsfn` from now on.
  void attach(napi_threadsafe_function tsfn) {
    std::lock_guard<Mutex> lock(mutex_);
    tsfn_ = tsfn;
  }
  // JS thread, before the TSFN is released: the completion thread never calls it again.
  void detach() {
    std::lock_guard<Mutex> lock(mutex_);
    tsfn_ = nullptr;
  }

  // Completion thread: queues records and schedules one delivery for all pending ones.
  void deliver(const CompletionRecord* records, std::size_t count) {
    std::lock_guard<Mutex> lock(mutex_);
    if (tsfn_ == nullptr) return;
    // napi_closing (the env is tearing down) is fine: the records die with the queue.
    if (queue_.append(records, count)) {
      napi_call_threadsafe_function(tsfn_, nullptr, napi_tsfn_nonblocking);
    }
  }

  CompletionQueue& queue() { return queue_; }
  LiveCounters counters;

 private:
  Mutex mutex_;
  napi_threadsafe_function tsfn_ = nullptr;  // under mutex_
  CompletionQueue queue_;
};

}  // namespace winrpc
