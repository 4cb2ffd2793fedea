#include "slim_sync.h"

#include <windows.h>

namespace winrpc {

static_assert(sizeof(SRWLOCK) == sizeof(void*), "an SRWLOCK is one pointer");
static_assert(sizeof(CONDITION_VARIABLE) == sizeof(void*), "a CONDITION_VARIABLE is one pointer");

void SlimLock::lock() { AcquireSRWLockExclusive(reinterpret_cast<PSRWLOCK>(&srw_)); }

void SlimLock::unlock() { ReleaseSRWLockExclusive(reinterpret_cast<PSRWLOCK>(&srw_)); }

bool SlimCondition::wait_for(SlimLock& lock, unsigned long milliseconds) {
  return SleepConditionVariableSRW(reinterpret_cast<PCONDITION_VARIABLE>(&cv_),
                                   reinterpret_cast<PSRWLOCK>(&lock.srw_), milliseconds, 0) != 0;
}

void SlimCondition::notify_all() {
  WakeAllConditionVariable(reinterpret_cast<PCONDITION_VARIABLE>(&cv_));
}

}  // namespace winrpc
