// The "what users write today" baseline of `npm run bench`: a Node-API addon that
// runs a MIDL-style synchronous stub in a Napi::AsyncWorker, one libuv threadpool
// thread blocked per call in flight (so UV_THREADPOOL_SIZE caps the concurrency).
//   bind(stringBinding) -> External     add(binding, a, b) -> Promise<number>
#include <napi.h>

#include <string>

#include "sync_stub.h"

namespace {

class AddWorker : public Napi::AsyncWorker {
 public:
  AddWorker(Napi::Env env, Napi::External<void> binding, long a, long b)
      : Napi::AsyncWorker(env),
        deferred_(Napi::Promise::Deferred::New(env)),
        keep_binding_(Napi::Persistent(binding)),
        binding_(binding.Data()),
        a_(a),
        b_(b) {}

  Napi::Promise promise() const { return deferred_.Promise(); }

  void Execute() override { status_ = sync_stub_add(binding_, a_, b_, &result_); }

  void OnOK() override {
    Napi::Env env = Env();
    if (status_ == 0) {
      deferred_.Resolve(Napi::Number::New(env, result_));
      return;
    }
    auto error = Napi::Error::New(env, "Add failed with status " + std::to_string(status_));
    error.Set("status", Napi::Number::New(env, static_cast<double>(status_)));
    deferred_.Reject(error.Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  Napi::Reference<Napi::External<void>> keep_binding_;  // no finalizer mid-call
  void* binding_;
  long a_;
  long b_;
  long result_ = 0;
  unsigned long status_ = 0;
};

Napi::Value bind(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) throw Napi::TypeError::New(env, "bind(stringBinding)");
  void* binding = nullptr;
  const long status = sync_stub_bind(info[0].As<Napi::String>().Utf8Value().c_str(), &binding);
  if (status != 0)
    throw Napi::Error::New(env, "RpcBindingFromStringBinding: " + std::to_string(status));
  return Napi::External<void>::New(env, binding,
                                   [](Napi::Env, void* handle) { sync_stub_unbind(handle); });
}

Napi::Value add(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsExternal() || !info[1].IsNumber() || !info[2].IsNumber()) {
    throw Napi::TypeError::New(env, "add(binding, a, b)");
  }
  auto* worker = new AddWorker(env, info[0].As<Napi::External<void>>(),
                               info[1].As<Napi::Number>().Int32Value(),
                               info[2].As<Napi::Number>().Int32Value());
  Napi::Promise promise = worker->promise();
  worker->Queue();  // the worker deletes itself after OnOK
  return promise;
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
  exports.Set("bind", Napi::Function::New(env, bind));
  exports.Set("add", Napi::Function::New(env, add));
  return exports;
}

}  // namespace

NODE_API_MODULE(sync_addon, init)
