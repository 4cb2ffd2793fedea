// The addon's locks: Windows' own SRW lock and condition variable behind the parts of
// std::mutex and std::condition_variable the addon uses (std::lock_guard and
// std::unique_lock work with them).
//
// Why not std::mutex: mingw-w64's libstdc++ (the cross build, and so the prebuilds)
// implements it and std::condition_variable on winpthreads, whose spin locks serialise
// every thread that touches a lazily initialised mutex or condition, or that is not a
// pthread (the RPC runtime's threads are not). Each served call made a mutex and a
// condition on a runtime thread: with 16 calls in flight a JS server spent about
// 1,000 µs of CPU per call, most of it spinning in pthread_spin_lock (perf under Wine,
// docs/notes.md). MSVC's std::mutex is an SRW lock already; this makes both builds alike.
#pragma once

#include <windows.h>

#include <mutex>

namespace winrpc {

class Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock() { AcquireSRWLockExclusive(&lock_); }
  bool try_lock() { return TryAcquireSRWLockExclusive(&lock_) != 0; }
  void unlock() { ReleaseSRWLockExclusive(&lock_); }

 private:
  friend class CondVar;
  SRWLOCK lock_ = SRWLOCK_INIT;
};

class CondVar {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  // `lock` holds its mutex. Wakes may be spurious, hence the predicate.
  template <typename Predicate>
  void wait(std::unique_lock<Mutex>& lock, Predicate ready) {
    while (!ready()) SleepConditionVariableSRW(&condition_, &lock.mutex()->lock_, INFINITE, 0);
  }
  void notify_one() { WakeConditionVariable(&condition_); }
  void notify_all() { WakeAllConditionVariable(&condition_); }

 private:
  CONDITION_VARIABLE condition_ = CONDITION_VARIABLE_INIT;
};

}  // namespace winrpc
