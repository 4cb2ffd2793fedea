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
                 std::shared_ptr<RpcBinding> binding)
    : id_(id),
      iface_(std::move(iface)),
      binding_(std::move(binding)),
      async_(std::make_unique<AsyncState>()) {
  std::memset(async_.get(), 0, sizeof(AsyncState));
  async_->owner = this;
}

RpcCall::~RpcCall() = default;

RpcCall* RpcCall::from_overlapped(void* overlapped) {
  return CONTAINING_RECORD(static_cast<OVERLAPPED*>(overlapped), AsyncState, overlapped)->owner;
}

long RpcCall::issue(void* port, std::uintptr_t key, const CallArguments& args) {
  if (args.slot_count > WINRPC_MAX_SLOTS || args.slot_count < 2) return RPC_S_INVALID_ARG;
  if (args.proc_format_offset >= iface_->proc_format_size()) return RPC_S_INVALID_ARG;

  arena_size_ = args.arena_size;
  arena_.reset(
      static_cast<std::uint8_t*>(std::malloc(args.arena_size == 0 ? 16 : args.arena_size)));
  if (!arena_) return RPC_S_OUT_OF_MEMORY;
  std::memcpy(arena_.get(), args.arena, args.arena_size);
  const auto base = reinterpret_cast<std::uint64_t>(arena_.get());
  for (std::size_t i = 0; i < args.relocation_count; ++i) {
    const std::uint32_t at = args.relocations[i];
    if (at + sizeof(std::uint64_t) > arena_size_) return RPC_S_INVALID_ARG;
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

  CallMemory::Scope scope(&memory_);
  const unsigned long exception = winrpc_guarded_async_call(
      iface_->stub_desc(), iface_->proc_format() + args.proc_format_offset, slots);
  return static_cast<long>(exception);
}

long RpcCall::complete() {
  long status = RPC_S_OK;
  CallMemory::Scope scope(&memory_);
  const unsigned long exception = winrpc_guarded_complete_call(&async_->state, &reply_, &status);
  if (exception != 0) status = static_cast<long>(exception);
  completed_.store(true, std::memory_order_release);
  return status;
}

long RpcCall::cancel(bool abortive) {
  long status = RPC_S_OK;
  const unsigned long exception =
      winrpc_guarded_cancel_call(&async_->state, abortive ? TRUE : FALSE, &status);
  return exception != 0 ? static_cast<long>(exception) : status;
}

long RpcCall::runtime_status() {
  long status = RPC_S_OK;
  const unsigned long exception = winrpc_guarded_call_status(&async_->state, &status);
  return exception != 0 ? static_cast<long>(exception) : status;
}

}  // namespace winrpc
