#include "rpc_call.h"

#include <rpc.h>
#include <rpcasync.h>
#include <windows.h>

#include <cstdlib>
#include <cstring>

#include "seh_guard.h"

namespace winrpc {

struct RpcCall::AsyncState {
  RPC_ASYNC_STATE state;
  OVERLAPPED overlapped;  // comes back with the notification; leads to this call
  RpcCall* owner;
};

void RpcCall::FreeDeleter::operator()(std::uint8_t* memory) const { std::free(memory); }

RpcCall::RpcCall(std::uint32_t id, std::shared_ptr<RpcInterface> iface,
                 std::shared_ptr<RpcBinding> binding, std::shared_ptr<void> route,
                 std::shared_ptr<LiveCounters> counters)
    : id_(id),
      iface_(std::move(iface)),
      binding_(std::move(binding)),
      route_(std::move(route)),
      counters_(std::move(counters)),
      async_(std::make_unique<AsyncState>()) {
  std::memset(async_.get(), 0, sizeof(AsyncState));
  async_->owner = this;
  memory_.count_in(&counters_->arena_bytes);
  ++counters_->calls;
}

RpcCall::~RpcCall() {
  counters_->arena_bytes -= static_cast<std::int64_t>(arena_size_);
  if (counted_abandoned_) --counters_->abandoned;
  --counters_->calls;
}

RpcCall* RpcCall::from_overlapped(void* overlapped) {
  return CONTAINING_RECORD(static_cast<OVERLAPPED*>(overlapped), AsyncState, overlapped)->owner;
}

void* RpcCall::overlapped() { return &async_->overlapped; }

long RpcCall::issue(void* port, std::uintptr_t key, const CallArguments& args) {
  if (args.slot_count > WINRPC_MAX_SLOTS || args.slot_count < 2) return RPC_S_INVALID_ARG;
  if (args.proc_format_offset >= iface_->proc_format_size()) return RPC_S_INVALID_ARG;

  if (args.arena_capacity < args.arena_size || args.arena_capacity > kMaxArenaBytes) {
    return RPC_S_INVALID_ARG;
  }
  arena_.reset(
      static_cast<std::uint8_t*>(std::malloc(args.arena_capacity == 0 ? 16 : args.arena_capacity)));
  if (!arena_) return RPC_S_OUT_OF_MEMORY;
  arena_size_ = args.arena_capacity;
  counters_->arena_bytes += static_cast<std::int64_t>(arena_size_);
  std::memcpy(arena_.get(), args.arena, args.arena_size);
  // Past what JS wrote: [out] memory (lib/runtime's ArenaWriter.reserve), zeroed here
  // rather than in JS and copied. The engine needs NULL in [out] pointers and context
  // handles (it writes into, or updates, what a non-NULL one holds); the rest is zeroed
  // too, because Wine's engine accepts an [out] array shorter than its size_is and
  // leaves the remainder unwritten, which JS then reads (and a byte value is a view of
  // this memory). Under Wine the memset cost nothing measurable next to the fresh
  // pages of a large block (0.23-0.24 ms per MiB with or without it).
  std::memset(arena_.get() + args.arena_size, 0, args.arena_capacity - args.arena_size);
  const auto base = reinterpret_cast<std::uint64_t>(arena_.get());
  for (std::size_t i = 0; i < args.relocation_count; ++i) {
    // Pointer fields lie in what JS wrote; their targets may lie anywhere in the arena.
    const std::uint32_t at = args.relocations[i];
    if (at > args.arena_size || args.arena_size - at < sizeof(std::uint64_t)) {
      return RPC_S_INVALID_ARG;
    }
    std::uint64_t value;
    std::memcpy(&value, arena_.get() + at, sizeof value);
    if (value >= arena_size_) return RPC_S_INVALID_ARG;
    value += base;
    std::memcpy(arena_.get() + at, &value, sizeof value);
  }

  unsigned long long slots[WINRPC_MAX_SLOTS] = {};
  std::memcpy(slots, args.slots, args.slot_count * sizeof(std::uint64_t));
  for (std::size_t i = 0; i < args.pointer_slot_count; ++i) {
    const std::uint32_t index = args.pointer_slots[i];
    if (index < 2 || index >= args.slot_count || slots[index] >= arena_size_) {
      return RPC_S_INVALID_ARG;
    }
    slots[index] += base;
  }

  RPC_ASYNC_STATE& state = async_->state;
  RPC_STATUS status = RpcAsyncInitializeHandle(&state, sizeof(RPC_ASYNC_STATE));
  if (status != RPC_S_OK) return status;
  state.UserInfo = this;
  state.NotificationType = RpcNotificationTypeIoc;
  state.u.IOC.hIOPort = static_cast<HANDLE>(port);
  state.u.IOC.dwCompletionKey = key;
  state.u.IOC.lpOverlapped = &async_->overlapped;
  slots[0] = reinterpret_cast<std::uint64_t>(&state);
  slots[1] = reinterpret_cast<std::uint64_t>(binding_->handle());

  // Issued before the runtime sees the call: its notification may reach the completion
  // thread before NdrAsyncClientCall returns here.
  {
    std::lock_guard<Mutex> lock(mutex_);
    state_ = State::kIssued;
  }
  CallMemory::Scope scope(&memory_);
  const unsigned long exception = winrpc_guarded_async_call(
      iface_->stub_desc(), iface_->proc_format() + args.proc_format_offset, slots);
  if (exception != 0) {
    // Refused as it was issued: no notification follows.
    std::lock_guard<Mutex> lock(mutex_);
    state_ = State::kDone;
  }
  return static_cast<long>(exception);
}

long RpcCall::run_complete() {
  long status = RPC_S_OK;
  unsigned long exception;
  {
    CallMemory::Scope scope(&memory_);
    exception = winrpc_guarded_complete_call(&async_->state, &reply_, &status);
  }
  return exception != 0 ? static_cast<long>(exception) : status;
}

CallCompletion RpcCall::complete() {
  {
    std::lock_guard<Mutex> lock(mutex_);
    if (state_ == State::kCompletedEarly) {
      state_ = State::kDone;
      uncount_abandoned();
      return {false, orphaned_, id_, early_status_, route_};
    }
    // Only an issued call completes; a second packet for a call already done (none
    // should come) is ignored rather than completing it twice. One that arrives while
    // a test completes the call early is posted again by that test (complete_early).
    if (state_ != State::kIssued) {
      if (state_ == State::kCompleting) notified_early_ = true;
      return {true, false, id_, RPC_S_OK, nullptr};
    }
    state_ = State::kCompleting;
  }
  const long status = run_complete();
  std::lock_guard<Mutex> lock(mutex_);
  state_ = State::kDone;
  uncount_abandoned();
  return {false, orphaned_, id_, status, route_};
}

#ifdef WINRPC_TEST_HOOKS
long RpcCall::complete_early(bool* renotify) {
  *renotify = false;
  {
    std::lock_guard<Mutex> lock(mutex_);
    if (state_ != State::kIssued) return -1;
    state_ = State::kCompleting;
    notified_early_ = false;
  }
  const long status = run_complete();
  std::lock_guard<Mutex> lock(mutex_);
  // Before the notification, 997 means "not complete yet": the runtime keeps the call
  // (and its state) and will notify; until then it can still be cancelled.
  state_ = status == RPC_S_ASYNC_CALL_PENDING ? State::kIssued : State::kCompletedEarly;
  early_status_ = status;
  *renotify = notified_early_;
  return status;
}
#endif

long RpcCall::cancel(bool abortive) {
  std::lock_guard<Mutex> lock(mutex_);
  return cancel_locked(abortive);
}

long RpcCall::cancel_locked(bool abortive) {
  if (state_ != State::kIssued) return RPC_S_OK;
  long status = RPC_S_OK;
  const unsigned long exception =
      winrpc_guarded_cancel_call(&async_->state, abortive ? TRUE : FALSE, &status);
  return exception != 0 ? static_cast<long>(exception) : status;
}

long RpcCall::runtime_status() {
  std::lock_guard<Mutex> lock(mutex_);
  if (state_ == State::kCompleting || state_ == State::kCompletedEarly) {
    return RPC_S_ASYNC_CALL_PENDING;
  }
  if (state_ != State::kIssued) return RPC_S_OK;
  long status = RPC_S_OK;
  const unsigned long exception = winrpc_guarded_call_status(&async_->state, &status);
  return exception != 0 ? static_cast<long>(exception) : status;
}

bool RpcCall::done() {
  std::lock_guard<Mutex> lock(mutex_);
  return state_ == State::kDone || state_ == State::kNew;
}

void RpcCall::mark_abandoned(bool keep) {
  std::lock_guard<Mutex> lock(mutex_);
  abandoned_ = true;
  kept_ = keep;
  count_abandoned();
}

void RpcCall::count_abandoned() {
  if (counted_abandoned_ || state_ == State::kDone || state_ == State::kNew) return;
  counted_abandoned_ = true;
  ++counters_->abandoned;
}

void RpcCall::uncount_abandoned() {
  if (!counted_abandoned_) return;
  counted_abandoned_ = false;
  --counters_->abandoned;
}

bool RpcCall::release_for_teardown() {
  std::lock_guard<Mutex> lock(mutex_);
  if (state_ == State::kDone || state_ == State::kNew) return true;
  count_abandoned();
  orphaned_ = true;
  cancel_locked(true);
  return false;
}

}  // namespace winrpc
