// A lock and a condition variable on Win32's SRW lock and CONDITION_VARIABLE. Under
// Wine both wait on futexes without a wineserver round trip, where std::mutex and
// std::condition_variable of the mingw-w64 posix build wait on winpthreads' events
// (a round trip per wait and per wake).
#pragma once

namespace winrpc {

class SlimLock {
 public:
  SlimLock() = default;
  SlimLock(const SlimLock&) = delete;
  SlimLock& operator=(const SlimLock&) = delete;
  void lock();
  void unlock();

 private:
  friend class SlimCondition;
  void* srw_ = nullptr;  // an SRWLOCK: one pointer, zero when unlocked
};

class SlimCondition {
 public:
  SlimCondition() = default;
  SlimCondition(const SlimCondition&) = delete;
  SlimCondition& operator=(const SlimCondition&) = delete;
  // With `lock` held: releases it while waiting, holds it again on return. False when
  // `milliseconds` passed without a wake (wakes may also be spurious).
  bool wait_for(SlimLock& lock, unsigned long milliseconds);
  void notify_all();

 private:
  void* cv_ = nullptr;  // a CONDITION_VARIABLE: one pointer, zero when unused
};

}  // namespace winrpc
