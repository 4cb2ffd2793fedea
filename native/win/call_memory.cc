#include "call_memory.h"

#include <cstdlib>

namespace winrpc {

namespace {
thread_local CallMemory* current_call_memory = nullptr;
}

CallMemory::Scope::Scope(CallMemory* memory) : previous_(current_call_memory) {
  current_call_memory = memory;
}

CallMemory::Scope::~Scope() { current_call_memory = previous_; }

CallMemory::~CallMemory() {
  BlockHeader* block = first_;
  while (block != nullptr) {
    BlockHeader* next = block->next;
    if (bytes_ != nullptr) *bytes_ -= static_cast<std::int64_t>(block->size);
    std::free(block);
    block = next;
  }
}

void* call_memory_allocate_block(std::size_t size) {
  // malloc is 16-byte aligned on x64 Windows and the header keeps it so.
  auto* block = static_cast<BlockHeader*>(std::malloc(sizeof(BlockHeader) + size));
  if (block == nullptr) return nullptr;  // the engine raises RPC_S_OUT_OF_MEMORY
  CallMemory* owner = current_call_memory;
  *block = {owner, nullptr, nullptr, size};
  if (owner != nullptr) {
    std::lock_guard<Mutex> lock(owner->mutex_);
    block->previous = owner->last_;
    if (owner->last_ != nullptr)
      owner->last_->next = block;
    else
      owner->first_ = block;
    owner->last_ = block;
    if (owner->bytes_ != nullptr) *owner->bytes_ += static_cast<std::int64_t>(size);
  }
  return block->data();
}

void call_memory_free_block(void* data) {
  if (data == nullptr) return;
  BlockHeader* block = static_cast<BlockHeader*>(data) - 1;
  if (CallMemory* owner = block->owner) {
    std::lock_guard<Mutex> lock(owner->mutex_);
    if (block->previous != nullptr)
      block->previous->next = block->next;
    else
      owner->first_ = block->next;
    if (block->next != nullptr)
      block->next->previous = block->previous;
    else
      owner->last_ = block->previous;
    if (owner->bytes_ != nullptr) *owner->bytes_ -= static_cast<std::int64_t>(block->size);
  }
  std::free(block);
}

}  // namespace winrpc

extern "C" void* __stdcall call_memory_allocate(std::size_t size) {
  return winrpc::call_memory_allocate_block(size);
}

extern "C" void __stdcall call_memory_free(void* block) { winrpc::call_memory_free_block(block); }
