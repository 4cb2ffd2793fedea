#include "completion_hub.h"

#include <atomic>

#include "win/sync.h"

namespace winrpc {

namespace {

struct SyntheticPacket {
  std::shared_ptr<EnvLink> link;
  std::uint32_t first;
  std::uint32_t count;
};

// Records of one environment are handed over in runs of at most this many.
constexpr std::size_t kFlushAt = 4096;

Mutex hub_mutex;
std::atomic<CompletionHub*> hub{nullptr};

}  // namespace

CompletionHub& CompletionHub::instance() {
  if (CompletionHub* made = hub.load(std::memory_order_acquire)) return *made;
  std::lock_guard<Mutex> lock(hub_mutex);
  if (hub.load(std::memory_order_relaxed) == nullptr) {
    // Never deleted: the port must outlive every call (see completion_port.h).
    hub.store(new CompletionHub(), std::memory_order_release);
  }
  return *hub.load(std::memory_order_relaxed);
}

bool CompletionHub::started() { return hub.load(std::memory_order_acquire) != nullptr; }

// The thread starts last, once everything it uses exists; if it cannot start, the
// constructor throws and the half-made hub is freed (the port closed by CompletionPort).
CompletionHub::CompletionHub() {
  port_ = std::make_unique<CompletionPort>(
      [this](const CompletionPacket* packets, std::size_t count) { on_packets(packets, count); });
}

bool CompletionHub::post_synthetic(const std::shared_ptr<EnvLink>& link, std::uint32_t id,
                                   std::uint32_t* error) {
  auto* packet = new SyntheticPacket{link, id, 1};
  if (port_->post(static_cast<std::uintptr_t>(PacketKey::kSynthetic), packet, 0, error)) {
    return true;
  }
  delete packet;
  return false;
}

bool CompletionHub::post_bench(const std::shared_ptr<EnvLink>& link, std::uint32_t count,
                               std::uint32_t first, std::uint32_t* error) {
  auto* packet = new SyntheticPacket{link, first, count};
  if (port_->post(static_cast<std::uintptr_t>(PacketKey::kBenchDeliver), packet, 0, error)) {
    return true;
  }
  delete packet;
  return false;
}

#ifdef WINRPC_TEST_HOOKS
bool CompletionHub::post_notification(void* overlapped, std::uint32_t* error) {
  return port_->post(call_key(), overlapped, 0, error);
}
#endif

void CompletionHub::on_packets(const CompletionPacket* packets, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    const CompletionPacket& packet = packets[i];
    switch (static_cast<PacketKey>(packet.key)) {
      case PacketKey::kRpcCall: {
        RpcCall* call = RpcCall::from_overlapped(packet.overlapped);
        CallCompletion done = call->complete();
        // From here on the call belongs to its environment's JS thread, unless nobody
        // holds it there any more: then it is freed now that the runtime let go.
        if (done.ignored) break;
        if (done.orphaned) {
          delete call;
          break;
        }
        add(std::static_pointer_cast<EnvLink>(std::move(done.route)),
            {done.id, static_cast<std::int32_t>(done.status)});
        break;
      }
      case PacketKey::kSynthetic:
      case PacketKey::kBenchDeliver: {
        std::unique_ptr<SyntheticPacket> synthetic(
            static_cast<SyntheticPacket*>(packet.overlapped));
        for (std::uint32_t n = 0; n < synthetic->count; ++n) {
          add(synthetic->link, {synthetic->first + n, 0});
        }
        break;
      }
      default:
        break;  // no other keys are posted
    }
  }
  flush_all();
}

void CompletionHub::add(std::shared_ptr<EnvLink> link, CompletionRecord record) {
  Route* route = nullptr;
  Route* empty = nullptr;
  for (Route& candidate : routes_) {
    if (candidate.link == link) {
      route = &candidate;
      break;
    }
    if (!candidate.link && empty == nullptr) empty = &candidate;
  }
  if (route == nullptr) {
    if (empty == nullptr) {
      routes_.emplace_back();
      empty = &routes_.back();
    }
    route = empty;
    route->link = std::move(link);
  }
  route->records.push_back(record);
  if (route->records.size() >= kFlushAt) {
    route->link->deliver(route->records.data(), route->records.size());
    route->records.clear();
  }
}

// One delivery per environment per batch; the routes keep their vectors' capacity but
// let go of the links, so an environment's link dies with its last call.
void CompletionHub::flush_all() {
  for (Route& route : routes_) {
    if (!route.link) continue;
    if (!route.records.empty()) route.link->deliver(route.records.data(), route.records.size());
    route.records.clear();
    route.link.reset();
  }
}

}  // namespace winrpc
