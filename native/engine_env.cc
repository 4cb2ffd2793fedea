#include "engine_env.h"

#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <vector>

namespace winrpc {

namespace {
std::atomic<std::int64_t> open_port_count{0};
}  // namespace

EngineEnv& EngineEnv::of(Napi::Env env) {
  auto* state = env.GetInstanceData<EngineEnv>();
  if (state == nullptr) {
    state = new EngineEnv(env);
    env.SetInstanceData(state);
  }
  return *state;
}

EngineEnv::EngineEnv(Napi::Env env) : env_(env) {}

EngineEnv::~EngineEnv() { shutdown(); }

std::int64_t EngineEnv::open_ports() { return open_port_count.load(); }

void EngineEnv::set_completion_callback(Napi::Function callback) {
  callback_ = Napi::Persistent(callback);
}

CompletionPort& EngineEnv::port() {
  if (port_) return *port_;
  if (stopping()) throw Napi::Error::New(env_, "winrpc: the environment is shutting down");
  if (callback_.IsEmpty()) throw Napi::Error::New(env_, "winrpc: no completion callback set");
  try {
    port_ = std::make_unique<CompletionPort>();
  } catch (const std::runtime_error& error) {
    throw Napi::Error::New(env_, std::string("winrpc: ") + error.what());
  }
  ++open_port_count;
  tsfn_ = DeliveryFunction::New(env_, callback_.Value(), "winrpc completions", 0, 1, this);
  tsfn_.Unref(env_);
  // Registered after the TSFN, so it runs before the TSFN's own cleanup (hooks run
  // in reverse order): the thread is joined while the TSFN still accepts calls.
  napi_add_env_cleanup_hook(env_, &EngineEnv::cleanup, this);
  port_->start(
      [this](const CompletionPacket* packets, std::size_t count) { on_packets(packets, count); });
  return *port_;
}

void EngineEnv::begin_work(std::uint32_t count) {
  if (count == 0) return;
  if (in_flight_ == 0 && port_) tsfn_.Ref(env_);
  in_flight_ += count;
}

void EngineEnv::end_work(std::uint32_t count) {
  in_flight_ = count >= in_flight_ ? 0 : in_flight_ - count;
  if (in_flight_ == 0 && port_) tsfn_.Unref(env_);
}

// Completion thread.
void EngineEnv::on_packets(const CompletionPacket* packets, std::size_t count) {
  CompletionRecord records[512];
  std::size_t used = 0;
  auto flush = [&] {
    if (used > 0 && queue_.append(records, used) && !stopping()) {
      // napi_closing during teardown is fine: the records die with the queue.
      tsfn_.NonBlockingCall();
    }
    used = 0;
  };
  for (std::size_t i = 0; i < count; ++i) {
    const CompletionPacket& packet = packets[i];
    if (packet.key == static_cast<std::uintptr_t>(PacketKey::kSynthetic)) {
      auto id = static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(packet.overlapped));
      records[used++] = {id, 0};
    } else if (packet.key == static_cast<std::uintptr_t>(PacketKey::kRpcCall)) {
      RpcCall* call = RpcCall::from_overlapped(packet.overlapped);
      const long status = call->complete();
      outstanding_.fetch_sub(1, std::memory_order_acq_rel);
      records[used++] = {call->id(), static_cast<std::int32_t>(status)};
    } else if (packet.key == static_cast<std::uintptr_t>(PacketKey::kBenchDeliver)) {
      const auto total =
          static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(packet.overlapped));
      for (std::uint32_t n = 0; n < total; ++n) {
        records[used++] = {packet.bytes + n, 0};
        if (used == sizeof records / sizeof records[0]) flush();
      }
    }
    if (used == sizeof records / sizeof records[0]) flush();
  }
  flush();
}

// The TSFN's own function is ignored: the callback may have been replaced since the
// TSFN was made (setCompletionCallback), so deliveries go to the current one.
void EngineEnv::deliver_batch(Napi::Env env, Napi::Function, EngineEnv* self, void*) {
  // No env: the TSFN is being torn down with a delivery pending; the records die with
  // the queue.
  if (env == nullptr || self == nullptr) return;
  self->deliver(env);
}

// JS thread: one call per scheduled delivery, carrying every pending record.
void EngineEnv::deliver(Napi::Env env) {
  queue_.take(&batch_);
  const std::vector<CompletionRecord>& batch = batch_;
  if (batch.empty() || callback_.IsEmpty()) return;
  // Calls JS gave up on (timeouts) are freed now that the runtime has let go of them;
  // they stopped counting as work in flight when they were abandoned.
  std::uint32_t abandoned_now = 0;
  if (!abandoned_.empty()) {
    for (const CompletionRecord& record : batch) {
      if (abandoned_.erase(record.id) > 0 && calls_.erase(record.id) > 0) ++abandoned_now;
    }
  }
  end_work(static_cast<std::uint32_t>(batch.size()) - abandoned_now);
  // No C++ exception may leave: node-addon-api's TSFN trampoline has no handler, and
  // a JS exception from the callback (or a terminating Worker) arrives here as one.
  try {
    const std::size_t bytes = batch.size() * sizeof(CompletionRecord);
    auto buffer = Napi::ArrayBuffer::New(env, bytes);
    std::memcpy(buffer.Data(), batch.data(), bytes);
    callback_.Call({Napi::Uint32Array::New(env, batch.size() * 2, buffer, 0)});
  } catch (const Napi::Error& error) {
    error.ThrowAsJavaScriptException();  // swallowed when the env is terminating
  }
}

RpcCall* EngineEnv::find_call(std::uint32_t id) {
  auto found = calls_.find(id);
  return found == calls_.end() ? nullptr : found->second.get();
}

long EngineEnv::start_call(std::unique_ptr<RpcCall> call, const CallArguments& args) {
  CompletionPort& completion_port = port();
  const std::uint32_t id = call->id();
  if (calls_.count(id) > 0) return 87;  // ERROR_INVALID_PARAMETER: id in use
  RpcCall* issued = call.get();
  calls_.emplace(id, std::move(call));
  outstanding_.fetch_add(1, std::memory_order_acq_rel);
  const long status = issued->issue(completion_port.handle(),
                                    static_cast<std::uintptr_t>(PacketKey::kRpcCall), args);
  if (status != 0) {
    outstanding_.fetch_sub(1, std::memory_order_acq_rel);
    calls_.erase(id);
    return status;
  }
  begin_work(1);
  return 0;
}

std::unique_ptr<RpcCall> EngineEnv::take_call(std::uint32_t id) {
  auto found = calls_.find(id);
  if (found == calls_.end() || !found->second->completed()) return nullptr;
  std::unique_ptr<RpcCall> call = std::move(found->second);
  calls_.erase(found);
  return call;
}

void EngineEnv::abandon_call(std::uint32_t id) {
  auto found = calls_.find(id);
  if (found == calls_.end()) return;
  if (found->second->completed()) {
    calls_.erase(found);
  } else {
    // Kept until the runtime completes it, but no longer holding the process open.
    abandoned_.insert(id);
    end_work(1);
  }
}

void EngineEnv::cleanup(void* self) { static_cast<EngineEnv*>(self)->shutdown(); }

void EngineEnv::shutdown() {
  if (stopping_.exchange(true)) return;
  if (!port_) return;
  napi_remove_env_cleanup_hook(env_, &EngineEnv::cleanup, this);
  cancel_outstanding_calls();
  port_->stop();
  tsfn_.Release();
  port_.reset();  // CloseHandle on the port
  --open_port_count;
  // A call the runtime never completed still owns its RPC_ASYNC_STATE: its memory is
  // left to the process rather than freed under the runtime's feet.
  for (auto& entry : calls_) {
    if (!entry.second->completed()) entry.second.release();
  }
  calls_.clear();
}

// Cancels calls in flight (abortively: the env is going away) and gives the runtime a
// moment to complete them through the port, as Microsoft's docs require.
void EngineEnv::cancel_outstanding_calls() {
  if (outstanding_.load(std::memory_order_acquire) == 0) return;
  for (auto& entry : calls_) {
    if (!entry.second->completed()) entry.second->cancel(true);
  }
  for (int waited = 0; waited < 200 && outstanding_.load(std::memory_order_acquire) > 0; ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace winrpc
