// Memory the NDR engine allocates while it (un)marshals a call: winrpc's pfnAllocate
// and pfnFree. Each block belongs to the call that was current on the allocating
// thread, so after completion TS can read every [out] block and the call frees them
// all in one step. A thread-local names the current call around every entry into
// rpcrt4 for that call.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "sync.h"

namespace winrpc {

struct BlockHeader;

class CallMemory {
 public:
  CallMemory() = default;
  ~CallMemory();  // frees every block still owned
  CallMemory(const CallMemory&) = delete;
  CallMemory& operator=(const CallMemory&) = delete;

  // Adds the bytes of every block to `bytes` while it lives (set before any allocation).
  void count_in(std::atomic<std::int64_t>* bytes) { bytes_ = bytes; }

  // Visits every live block (address, size) in allocation order.
  template <typename Visit>
  void for_each_block(Visit visit) const;

  // Makes this the current call on this thread for the scope's lifetime.
  class Scope {
   public:
    explicit Scope(CallMemory* memory);
    ~Scope();

   private:
    CallMemory* previous_;
  };

 private:
  friend void* call_memory_allocate_block(std::size_t size);
  friend void call_memory_free_block(void* block);
  mutable Mutex mutex_;
  BlockHeader* first_ = nullptr;
  BlockHeader* last_ = nullptr;
  std::atomic<std::int64_t>* bytes_ = nullptr;
};

struct BlockHeader {
  CallMemory* owner;
  BlockHeader* previous;
  BlockHeader* next;
  std::size_t size;
  void* data() { return this + 1; }
};
static_assert(sizeof(BlockHeader) % 16 == 0, "blocks must stay 16-byte aligned");

template <typename Visit>
void CallMemory::for_each_block(Visit visit) const {
  std::lock_guard<Mutex> lock(mutex_);
  for (BlockHeader* block = first_; block != nullptr; block = block->next) {
    visit(block->data(), block->size);
  }
}

}  // namespace winrpc

// The MIDL_STUB_DESC allocator pair (__RPC_API is __stdcall, a no-op on x64).
extern "C" void* __stdcall call_memory_allocate(std::size_t size);
extern "C" void __stdcall call_memory_free(void* block);
