#include "engine_env.h"

#include <cstring>
#include <exception>
#include <string>

namespace winrpc {

EngineEnv& EngineEnv::of(Napi::Env env) {
  auto* state = env.GetInstanceData<EngineEnv>();
  if (state == nullptr) {
    state = new EngineEnv(env);
    env.SetInstanceData(state);
  }
  return *state;
}

EngineEnv::EngineEnv(Napi::Env env) : env_(env), link_(std::make_shared<EnvLink>()) {}

EngineEnv::~EngineEnv() { shutdown(); }

void EngineEnv::set_completion_callback(Napi::Function callback) {
  callback_ = Napi::Persistent(callback);
}

CompletionHub& EngineEnv::hub() {
  if (hub_ != nullptr) return *hub_;
  if (stopping_) throw Napi::Error::New(env_, "winrpc: the environment is shutting down");
  if (callback_.IsEmpty()) throw Napi::Error::New(env_, "winrpc: no completion callback set");
  // Each step either succeeds or leaves nothing behind, so a failure here can be
  // reported as a JS error and the next call can try again.
  CompletionHub* made = nullptr;
  try {
    made = &CompletionHub::instance();
  } catch (const std::exception& error) {
    throw Napi::Error::New(
        env_, std::string("winrpc: cannot start the completion thread: ") + error.what());
  }
  tsfn_ = DeliveryFunction::New(env_, callback_.Value(), "winrpc completions", 0, 1, this);
  tsfn_.Unref(env_);
  // Registered after the TSFN, so it runs before the TSFN's own cleanup (hooks run
  // in reverse order): the link is detached while the TSFN still accepts calls.
  if (napi_add_env_cleanup_hook(env_, &EngineEnv::cleanup, this) != napi_ok) {
    tsfn_.Release();
    throw Napi::Error::New(env_, "winrpc: cannot register the environment's cleanup");
  }
  link_->attach(tsfn_);
  hub_ = made;
  return *hub_;
}

void EngineEnv::begin_work(std::uint32_t count) {
  if (count == 0) return;
  if (in_flight_ == 0 && hub_ != nullptr) tsfn_.Ref(env_);
  in_flight_ += count;
}

void EngineEnv::end_work(std::uint32_t count) {
  if (count == 0) return;
  in_flight_ = count >= in_flight_ ? 0 : in_flight_ - count;
  if (in_flight_ == 0 && hub_ != nullptr) tsfn_.Unref(env_);
}

void EngineEnv::post_synthetic(std::uint32_t count, std::uint32_t first_id) {
  CompletionHub& completion = hub();
  begin_work(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint32_t error = 0;
    if (!completion.post_synthetic(link_, first_id + i, &error)) {
      end_work(count - i);
      throw Napi::Error::New(env_,
                             "winrpc: PostQueuedCompletionStatus failed: " + std::to_string(error));
    }
  }
}

void EngineEnv::bench_deliver(std::uint32_t count, std::uint32_t first_id) {
  if (count == 0) return;
  CompletionHub& completion = hub();
  begin_work(count);
  std::uint32_t error = 0;
  if (!completion.post_bench(link_, count, first_id, &error)) {
    end_work(count);
    throw Napi::Error::New(env_,
                           "winrpc: PostQueuedCompletionStatus failed: " + std::to_string(error));
  }
}

#ifdef WINRPC_TEST_HOOKS
// On the JS thread, with the call found in calls_: nothing is posted that could outlive
// the call. A call completed here stays listed (not done()) until its notification.
long EngineEnv::complete_early(std::uint32_t id) {
  RpcCall* call = find_call(id);
  if (call == nullptr || hub_ == nullptr) return -1;
  bool renotify = false;
  const long status = call->complete_early(&renotify);
  std::uint32_t error = 0;
  if (renotify && !hub_->post_notification(call->overlapped(), &error)) {
    throw Napi::Error::New(env_,
                           "winrpc: PostQueuedCompletionStatus failed: " + std::to_string(error));
  }
  return status;
}
#endif

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
  link_->queue().take(&batch_);
  const std::vector<CompletionRecord>& batch = batch_;
  if (batch.empty() || callback_.IsEmpty()) return;
  // Calls JS gave up on (timeouts, aborts) are freed now that the runtime has let go
  // of them, unless JS keeps them to take; they stopped counting as work in flight when
  // they were abandoned. Their records still go to JS, which keeps their ids reserved
  // until now.
  std::uint32_t abandoned_now = 0;
  for (const CompletionRecord& record : batch) {
    auto found = calls_.find(record.id);
    if (found == calls_.end() || !found->second->abandoned()) continue;
    ++abandoned_now;
    if (found->second->kept()) continue;
    delete found->second;
    calls_.erase(found);
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
  return found == calls_.end() ? nullptr : found->second;
}

long EngineEnv::start_call(std::uint32_t id, std::shared_ptr<RpcInterface> iface,
                           std::shared_ptr<RpcBinding> binding, const CallArguments& args) {
  CompletionHub& completion = hub();
  if (calls_.count(id) > 0) return 87;  // ERROR_INVALID_PARAMETER: id in use
  auto call = std::make_unique<RpcCall>(id, std::move(iface), std::move(binding), link_,
                                        binding_counters());
  const long status = call->issue(completion.port_handle(), CompletionHub::call_key(), args);
  if (status != 0) return status;  // refused: no notification follows, freed here
  calls_.emplace(id, call.release());
  begin_work(1);
  return 0;
}

std::unique_ptr<RpcCall> EngineEnv::take_call(std::uint32_t id) {
  auto found = calls_.find(id);
  if (found == calls_.end() || !found->second->done() ||
      (found->second->abandoned() && !found->second->kept())) {
    return nullptr;
  }
  std::unique_ptr<RpcCall> call(found->second);
  calls_.erase(found);
  return call;
}

void EngineEnv::abandon_call(std::uint32_t id, bool keep) {
  auto found = calls_.find(id);
  if (found == calls_.end() || found->second->abandoned()) return;
  // It stays listed (still cancellable) until its completion arrives, but no longer
  // holds the process open.
  found->second->mark_abandoned(keep);
  end_work(1);
}

void EngineEnv::cleanup(void* self) { static_cast<EngineEnv*>(self)->shutdown(); }

// Env teardown: nothing waits for the runtime. Calls it has completed are freed now;
// the others are cancelled abortively and left to the completion thread, which frees
// each once the runtime lets go of it. The port stays open for them.
void EngineEnv::shutdown() {
  if (stopping_) return;
  stopping_ = true;
  if (hub_ == nullptr) return;
  napi_remove_env_cleanup_hook(env_, &EngineEnv::cleanup, this);
  link_->detach();
  for (auto& entry : calls_) {
    if (entry.second->release_for_teardown()) delete entry.second;
  }
  calls_.clear();
  tsfn_.Release();
}

}  // namespace winrpc
