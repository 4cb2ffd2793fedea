#include "engine_env.h"

#include <cstring>
#include <stdexcept>
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
  tsfn_ = Napi::ThreadSafeFunction::New(env_, callback_.Value(), "winrpc completions", 0, 1);
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
      tsfn_.NonBlockingCall([this](Napi::Env env, Napi::Function) { deliver(env); });
    }
    used = 0;
  };
  for (std::size_t i = 0; i < count; ++i) {
    const CompletionPacket& packet = packets[i];
    if (packet.key == static_cast<std::uintptr_t>(PacketKey::kSynthetic)) {
      auto id = static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(packet.overlapped));
      records[used++] = {id, 0};
    }
    if (used == sizeof records / sizeof records[0]) flush();
  }
  flush();
}

// JS thread: one call per scheduled delivery, carrying every pending record.
void EngineEnv::deliver(Napi::Env env) {
  std::vector<CompletionRecord> batch = queue_.take();
  if (batch.empty() || callback_.IsEmpty()) return;
  end_work(static_cast<std::uint32_t>(batch.size()));
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

void EngineEnv::cleanup(void* self) { static_cast<EngineEnv*>(self)->shutdown(); }

void EngineEnv::shutdown() {
  if (stopping_.exchange(true)) return;
  if (!port_) return;
  napi_remove_env_cleanup_hook(env_, &EngineEnv::cleanup, this);
  port_->stop();
  tsfn_.Release();
  port_.reset();  // CloseHandle on the port
  --open_port_count;
}

}  // namespace winrpc
