// What one environment's native objects hold right now, for diagnostics(): counted
// where they are made and freed, on whichever thread that happens (a call the runtime
// completes after its environment is gone is freed on the completion thread).
#pragma once

#include <atomic>
#include <cstdint>

namespace winrpc {

struct LiveCounters {
  std::atomic<std::int64_t> calls{0};        // RpcCall objects alive
  std::atomic<std::int64_t> abandoned{0};    // of those, calls JS let go before the runtime did
  std::atomic<std::int64_t> arena_bytes{0};  // [in] arenas plus the NDR engine's blocks
  // Arenas of taken calls that JS values still hold (takeCall hands the block over as an
  // external ArrayBuffer): native memory until V8 frees the buffer, no call's any more.
  std::atomic<std::int64_t> taken_arena_bytes{0};
  std::atomic<std::int64_t> bindings{0};  // binding handles not yet freed
};

}  // namespace winrpc
