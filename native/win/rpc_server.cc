#include "rpc_server.h"

#include <rpc.h>
#include <rpcasync.h>
#include <rpcndr.h>
#include <windows.h>

#include <atomic>
#include <cstdarg>
#include <cstdlib>
#include <cstring>
#include <unordered_set>

#include "seh_guard.h"
#include "stub_descriptor.h"

namespace winrpc {

namespace {

constexpr std::size_t kMaxSlots = WINRPC_MAX_SLOTS;
// MIDL sets this in the RPC_SERVER_INTERFACE of /Oicf (interpreted) stubs.
constexpr unsigned int kInterpretedServerFlag = 0x04000000;

// The call a runtime thread is dispatching: its server, and the blocks JS filled with
// [out] data, which the engine frees (pfnFree) as if each pointer had its own block.
struct DispatchRecord {
  RpcServer* server;
  std::uint32_t opnum;
  std::vector<ServerCall::Block> blocks;
  // What the engine allocated (pfnAllocate) during the call and has not freed yet. A set:
  // the engine frees in its own order, and a large call makes many blocks (a vector
  // searched on each free was quadratic).
  std::unordered_set<void*> allocated;
};
thread_local DispatchRecord* current_dispatch = nullptr;

// Process-wide, for tests (testServerCounters): engine blocks not yet freed, the ones
// winrpc freed after a call because the engine left them, and dispatches that ended
// after their server was destroyed (each one a use of freed descriptors).
std::atomic<std::int64_t> engine_blocks_live{0};
std::atomic<std::int64_t> engine_blocks_swept{0};
std::atomic<std::int64_t> dispatches_outliving_server{0};
std::atomic<std::int64_t> servers_live{0};

// Servers by key, for rundowns (a server leaves before it is destroyed).
Mutex registry_mutex;
std::unordered_map<std::uint32_t, RpcServer*> registry;
std::uint32_t next_key = 1;

// Interfaces (uuid and version) registered by a live server of this process. The
// runtime keys registrations by interface, and its endpoints are process-wide: a second
// server of one interface would share the first one's calls (Wine dispatched them to
// whichever registered last, and unregistered the other's entry on close). Windows
// refuses a second nil-type registration of an interface (RPC_S_TYPE_ALREADY_REGISTERED,
// as DCE's rpc_server_register_if does); winrpc refuses it the same way everywhere.
Mutex interfaces_mutex;
std::vector<RPC_SYNTAX_IDENTIFIER> interfaces_registered;

bool same_interface(const RPC_SYNTAX_IDENTIFIER& a, const RPC_SYNTAX_IDENTIFIER& b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

bool interface_registered(const RPC_SYNTAX_IDENTIFIER& id) {
  for (const auto& known : interfaces_registered) {
    if (same_interface(known, id)) return true;
  }
  return false;
}

void release_interface(const RPC_SYNTAX_IDENTIFIER& id) {
  std::lock_guard<Mutex> lock(interfaces_mutex);
  for (auto it = interfaces_registered.begin(); it != interfaces_registered.end(); ++it) {
    if (same_interface(*it, id)) {
      interfaces_registered.erase(it);
      return;
    }
  }
}

bool inside_answer_block(const void* p) {
  if (current_dispatch == nullptr) return false;
  const char* c = static_cast<const char*>(p);
  for (const auto& block : current_dispatch->blocks) {
    const char* start = static_cast<const char*>(block.data);
    if (c >= start && c < start + (block.size == 0 ? 1 : block.size)) return true;
  }
  return false;
}

// The server's pfnAllocate/pfnFree (midl_user_allocate/free semantics). [out] data JS
// wrote lies in blocks freed after the call as a whole: frees of pointers into them are
// no-ops here.
// No C++ exception may leave it (it runs inside the engine's C frames): out of memory is
// a NULL return, as midl_user_allocate's contract says, and the engine raises
// RPC_S_OUT_OF_MEMORY.
void* __RPC_API server_allocate(std::size_t size) noexcept {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) return nullptr;
  if (current_dispatch != nullptr) {
    try {
      current_dispatch->allocated.insert(p);
    } catch (...) {
      std::free(p);
      return nullptr;
    }
  }
  ++engine_blocks_live;
  return p;
}
void __RPC_API server_free(void* p) {
  if (p == nullptr || inside_answer_block(p)) return;
  if (current_dispatch != nullptr) current_dispatch->allocated.erase(p);
  --engine_blocks_live;
  std::free(p);
}

// The manager routines: NdrServerCall2 calls one with the argument slots the
// procedure's format string describes. Read as varargs (x64: the same 8-byte slots), so
// one routine serves every procedure with the same kind of return value (float and
// double come back in xmm0, everything else in rax). Each raises what JS answered with;
// its frame holds nothing that needs unwinding.
std::uint64_t serve_slots(std::uint64_t first, va_list rest, long* status) {
  DispatchRecord* record = current_dispatch;
  if (record == nullptr) {
    *status = RPC_S_INTERNAL_ERROR;
    return 0;
  }
  std::uint64_t slots[kMaxSlots] = {};
  const std::size_t count = record->server->slot_count(record->opnum);
  slots[0] = first;
  for (std::size_t i = 1; i < count && i < kMaxSlots; ++i) slots[i] = va_arg(rest, std::uint64_t);
  return record->server->serve(record->opnum, slots, status, &record->blocks);
}

extern "C" std::uint64_t winrpc_manager_routine(std::uint64_t first, ...) {
  va_list rest;
  va_start(rest, first);
  long status = 0;
  const std::uint64_t value = serve_slots(first, rest, &status);
  va_end(rest);
  if (status != 0) RpcRaiseException(status);
  return value;
}

// The x64 convention returns float and double in xmm0; Wine's engine takes every return
// value from rax instead (measured: EchoFloat read 0). Both get the value: xmm0 as the
// convention says, and rax with its bits (a float's in the low half) set last. MSVC
// builds run on Windows, whose engine reads xmm0 as MIDL's own managers return there
// (and MSVC has no x64 inline assembly): the convention alone.
#if defined(_MSC_VER) && !defined(__clang__)
#define WINRPC_ALSO_IN_RAX(bits) static_cast<void>(bits)
#define WINRPC_RAX_KEPT __declspec(noinline)
#else
#define WINRPC_ALSO_IN_RAX(bits)                    \
  do {                                              \
    register std::uint64_t rax asm("rax") = (bits); \
    asm volatile("" : : "r"(rax));                  \
  } while (0)

// No stack protector in these two: its epilogue check would reuse rax.
#define WINRPC_RAX_KEPT __attribute__((no_stack_protector, noinline))
#endif

// lib/runtime encodes a float result as a double in its slot, as it does arguments.
extern "C" WINRPC_RAX_KEPT double winrpc_manager_routine_double(std::uint64_t first, ...) {
  va_list rest;
  va_start(rest, first);
  long status = 0;
  const std::uint64_t bits = serve_slots(first, rest, &status);
  va_end(rest);
  if (status != 0) RpcRaiseException(status);
  double value;
  std::memcpy(&value, &bits, sizeof value);
  WINRPC_ALSO_IN_RAX(bits);
  return value;
}

extern "C" WINRPC_RAX_KEPT float winrpc_manager_routine_float(std::uint64_t first, ...) {
  va_list rest;
  va_start(rest, first);
  long status = 0;
  const std::uint64_t bits = serve_slots(first, rest, &status);
  va_end(rest);
  if (status != 0) RpcRaiseException(status);
  double value;
  std::memcpy(&value, &bits, sizeof value);
  const float narrow = static_cast<float>(value);
  std::uint32_t narrow_bits;
  std::memcpy(&narrow_bits, &narrow, sizeof narrow_bits);
  WINRPC_ALSO_IN_RAX(narrow_bits);
  return narrow;
}

// Everything with a destructor lives here, so that the exception the dispatch function
// re-raises unwinds through no C++ frame that owns anything.
unsigned long dispatch_guarded(PRPC_MESSAGE message) {
  RpcServer* server = RpcServer::from_interface_information(message->RpcInterfaceInformation);
  const std::uint32_t key = server->key();
  DispatchRecord record{server, message->ProcNum, {}, {}};
  DispatchRecord* previous = current_dispatch;
  current_dispatch = &record;
  const unsigned long code = winrpc_guarded_server_call(message);
  current_dispatch = previous;
  for (const auto& block : record.blocks) std::free(block.data);
  // The engine frees what it allocated for a call before NdrServerCall2 returns, walking
  // the call's memory as the manager left it. What it allocated and did not free is out
  // of its reach: a pointee the answer replaced (an [in, out] embedded pointer now aims
  // into JS's block), or, under Wine, all of a call whose manager raised (its engine
  // does not free on that path). Nothing allocated for a call outlives it, so each such
  // block is freed here.
  for (void* p : record.allocated) {
    std::free(p);
    --engine_blocks_live;
    ++engine_blocks_swept;
  }
  {
    std::lock_guard<Mutex> lock(registry_mutex);
    if (registry.count(key) == 0) ++dispatches_outliving_server;
  }
  return code;
}

// The RPC_DISPATCH_TABLE's one function: NdrServerCall2 with the call's record set.
void __RPC_STUB dispatch(PRPC_MESSAGE message) {
  const unsigned long code = dispatch_guarded(message);
  if (code != 0) RpcRaiseException(static_cast<RPC_STATUS>(code));
}

using RegisterIf3 = RPC_STATUS(RPC_ENTRY*)(RPC_IF_HANDLE, UUID*, RPC_MGR_EPV*, unsigned int,
                                           unsigned int, unsigned int, RPC_IF_CALLBACK_FN*, void*);

// RpcServerRegisterIf3 is not in mingw's import library: looked up once.
RegisterIf3 register_if3() {
  static const RegisterIf3 fn = reinterpret_cast<RegisterIf3>(reinterpret_cast<void*>(
      GetProcAddress(GetModuleHandleW(L"rpcrt4.dll"), "RpcServerRegisterIf3")));
  return fn;
}

// The IfCallback: the runtime asks before dispatching a call to the interface. It runs
// on a runtime thread; nothing may escape it, and any failure refuses the caller.
RPC_STATUS RPC_ENTRY security_callback(RPC_IF_HANDLE ifspec, void* binding) {
  try {
    RpcServer* server = RpcServer::from_ifspec(ifspec);
    return server != nullptr ? server->check_caller(binding) : RPC_S_ACCESS_DENIED;
  } catch (...) {
    return RPC_S_ACCESS_DENIED;
  }
}

// The process listens once, for every server (RpcServerListen is process-wide).
Mutex listen_mutex;
bool process_listening = false;

long ensure_listening() {
  std::lock_guard<Mutex> lock(listen_mutex);
  if (process_listening) return RPC_S_OK;
  RPC_STATUS status = RpcServerListen(1, RPC_C_LISTEN_MAX_CALLS_DEFAULT, TRUE);
  if (status == RPC_S_ALREADY_LISTENING) status = RPC_S_OK;
  if (status == RPC_S_OK) process_listening = true;
  return status;
}

// The endpoints this process has on `protseq`, from RpcServerInqBindings.
std::vector<std::u16string> endpoints_of(const std::u16string& protseq) {
  std::vector<std::u16string> found;
  RPC_BINDING_VECTOR* bindings = nullptr;
  if (RpcServerInqBindings(&bindings) != RPC_S_OK) return found;
  for (unsigned long i = 0; i < bindings->Count; ++i) {
    RPC_WSTR text = nullptr;
    if (RpcBindingToStringBindingW(bindings->BindingH[i], &text) != RPC_S_OK) continue;
    RPC_WSTR seq = nullptr;
    RPC_WSTR endpoint = nullptr;
    if (RpcStringBindingParseW(text, nullptr, &seq, nullptr, &endpoint, nullptr) == RPC_S_OK) {
      std::u16string s(reinterpret_cast<char16_t*>(seq));
      if (s == protseq && endpoint != nullptr)
        found.emplace_back(reinterpret_cast<char16_t*>(endpoint));
      RpcStringFreeW(&seq);
      RpcStringFreeW(&endpoint);
    }
    RpcStringFreeW(&text);
  }
  RpcBindingVectorFree(&bindings);
  return found;
}

// apfnNdrRundownRoutines: every context handle type runs down through the same routine.
constexpr std::size_t kRundownRoutines = 256;
void __RPC_USER rundown(void* context) { RpcServer::run_down(context); }

}  // namespace

struct RpcServer::Descriptors {
  RPC_SERVER_INTERFACE server_interface{};
  StubDescriptor stub;
  MIDL_SERVER_INFO server_info{};
  RPC_DISPATCH_TABLE dispatch_table{};
  std::vector<RPC_DISPATCH_FUNCTION> dispatch_functions;
  std::vector<SERVER_ROUTINE> managers;
  std::vector<unsigned short> format_offsets;
  std::vector<NDR_RUNDOWN> rundowns;
  RpcServer* owner = nullptr;
};

bool ServerCall::answer(long status, std::uint64_t value, std::vector<Block> blocks) {
  if (!claim()) return false;
  finish(status, value, std::move(blocks));
  return true;
}

bool ServerCall::claim() {
  std::lock_guard<Mutex> lock(mutex_);
  if (claimed_) return false;
  claimed_ = true;
  return true;
}

void ServerCall::finish(long status, std::uint64_t value, std::vector<Block> blocks) {
  {
    std::lock_guard<Mutex> lock(mutex_);
    answered_ = true;
    status_ = status;
    value_ = value;
    blocks_ = std::move(blocks);
  }
  answered_cv_.notify_all();
}

void ServerCall::wait() {
  std::unique_lock<Mutex> lock(mutex_);
  answered_cv_.wait(lock, [this] { return answered_; });
}

RpcServer::RpcServer(ServerSpec spec, Deliver deliver)
    : spec_(std::move(spec)),
      key_(0),
      descriptors_(std::make_unique<Descriptors>()),
      deliver_(std::move(deliver)) {
  {
    std::lock_guard<Mutex> lock(registry_mutex);
    while (key_ == 0 || registry.count(key_) != 0) key_ = next_key++;
    registry.emplace(key_, this);
  }
  ++servers_live;
  spec_.proc_format.push_back(0);  // the engine reads past the last descriptor
  spec_.type_format.push_back(0);
  Descriptors& d = *descriptors_;
  d.owner = this;
  const std::size_t procedures = spec_.proc_offsets.size();
  d.dispatch_functions.assign(procedures, dispatch);
  for (std::size_t i = 0; i < procedures; ++i) {
    const std::uint8_t kind = i < spec_.return_kinds.size() ? spec_.return_kinds[i] : 0;
    void* routine = kind == 1   ? reinterpret_cast<void*>(winrpc_manager_routine_float)
                    : kind == 2 ? reinterpret_cast<void*>(winrpc_manager_routine_double)
                                : reinterpret_cast<void*>(winrpc_manager_routine);
    d.managers.push_back(reinterpret_cast<SERVER_ROUTINE>(routine));
  }
  d.format_offsets.assign(spec_.proc_offsets.begin(), spec_.proc_offsets.end());
  d.dispatch_table.DispatchTableCount = static_cast<unsigned int>(procedures);
  d.dispatch_table.DispatchTable = d.dispatch_functions.data();

  RPC_SERVER_INTERFACE& si = d.server_interface;
  si.Length = sizeof(RPC_SERVER_INTERFACE);
  std::memcpy(&si.InterfaceId.SyntaxGUID, spec_.uuid, sizeof(GUID));
  si.InterfaceId.SyntaxVersion.MajorVersion = spec_.major;
  si.InterfaceId.SyntaxVersion.MinorVersion = spec_.minor;
  si.TransferSyntax = kNdr20;
  si.DispatchTable = &d.dispatch_table;
  si.InterpreterInfo = &d.server_info;
  si.Flags = kInterpretedServerFlag;

  fill_stub_descriptor(&d.stub, &si, spec_.type_format.data(), std::move(spec_.expr_programs),
                       server_allocate, server_free);
  d.rundowns.assign(kRundownRoutines, rundown);
  d.stub.desc.apfnNdrRundownRoutines = d.rundowns.data();
  MIDL_SERVER_INFO& info = d.server_info;
  info.pStubDesc = &d.stub.desc;
  info.DispatchTable = d.managers.data();
  info.ProcString = spec_.proc_format.data();
  info.FmtStringOffset = d.format_offsets.data();
}

RpcServer::~RpcServer() {
  // Registered still only if neither close() nor abort_calls() ran (not a path winrpc
  // takes): the runtime must let go of the descriptors before they are freed.
  bool registered;
  {
    std::lock_guard<Mutex> lock(mutex_);
    registered = registered_;
  }
  if (registered) abort_calls(RPC_S_SERVER_UNAVAILABLE);
  std::lock_guard<Mutex> lock(registry_mutex);
  registry.erase(key_);
  --servers_live;
}

void RpcServer::run_down(void* context) {
  const auto bits = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(context));
  std::lock_guard<Mutex> lock(registry_mutex);
  auto it = registry.find(static_cast<std::uint32_t>(bits >> 32));
  if (it == registry.end()) return;
  auto call = std::make_shared<ServerCall>(0, kRundownOpnum, std::vector<std::uint64_t>{bits});
  call->answer(0, 0);  // nobody waits for it
  it->second->deliver_(call.get());
}

ServerTestCounters server_test_counters() {
  return {engine_blocks_live.load(), engine_blocks_swept.load(), dispatches_outliving_server.load(),
          servers_live.load()};
}

RpcServer* RpcServer::from_ifspec(const void* ifspec) {
  std::lock_guard<Mutex> lock(registry_mutex);
  for (const auto& entry : registry) {
    if (&entry.second->descriptors_->server_interface == ifspec) return entry.second;
  }
  return nullptr;
}

RpcServer* RpcServer::from_interface_information(void* info) {
  // RPC_SERVER_INTERFACE is the first member of Descriptors (standard layout).
  return static_cast<Descriptors*>(info)->owner;
}

std::size_t RpcServer::slot_count(std::uint32_t opnum) const {
  return opnum < spec_.slot_counts.size() ? spec_.slot_counts[opnum] : 0;
}

long RpcServer::listen(const ListenSettings& settings, std::u16string* endpoint) {
  auto* protseq = reinterpret_cast<RPC_WSTR>(const_cast<char16_t*>(settings.protseq.c_str()));
  RPC_STATUS status;
  const RPC_SYNTAX_IDENTIFIER& id = descriptors_->server_interface.InterfaceId;
  {
    // Refused before any endpoint opens; checked again where it registers (a race).
    std::lock_guard<Mutex> lock(mutex_);
    std::lock_guard<Mutex> claims(interfaces_mutex);
    if (!registered_ && interface_registered(id)) return RPC_S_TYPE_ALREADY_REGISTERED;
  }
  const bool dynamic = !settings.has_endpoint;
  std::vector<std::u16string> before;
  if (dynamic) {
    before = endpoints_of(settings.protseq);
    status = RpcServerUseProtseqW(protseq, RPC_C_PROTSEQ_MAX_REQS_DEFAULT, nullptr);
  } else {
    auto* ep = reinterpret_cast<RPC_WSTR>(const_cast<char16_t*>(settings.endpoint.c_str()));
    status = RpcServerUseProtseqEpW(protseq, RPC_C_PROTSEQ_MAX_REQS_DEFAULT, ep, nullptr);
    if (status == RPC_S_DUPLICATE_ENDPOINT) status = RPC_S_OK;  // this process has it already
    *endpoint = settings.endpoint;
  }
  if (status != RPC_S_OK) return status;
  if (settings.auth_service != 0) {
    auto* principal =
        settings.has_principal
            ? reinterpret_cast<RPC_WSTR>(const_cast<char16_t*>(settings.principal.c_str()))
            : nullptr;
    status = RpcServerRegisterAuthInfoW(principal, settings.auth_service, nullptr, nullptr);
    if (status != RPC_S_OK) return status;
  }

  RPC_IF_HANDLE ifspec = &descriptors_->server_interface;
  bool closed;
  bool registered_here = false;
  {
    std::lock_guard<Mutex> lock(mutex_);
    // A listen that finishes after the environment went away, or after close() began
    // (listen runs on libuv's pool, close on a thread of its own), registers nothing:
    // close() has already looked for a registration to remove, and nobody else would
    // unregister it before the descriptors are freed.
    closed = aborted_ || refusing_;
    if (!closed && !registered_) {
      std::lock_guard<Mutex> claims(interfaces_mutex);
      if (interface_registered(id)) return RPC_S_TYPE_ALREADY_REGISTERED;
      // Room first: once the runtime has the registration, recording it must not throw.
      interfaces_registered.reserve(interfaces_registered.size() + 1);
      RegisterIf3 if3 = register_if3();
      RPC_IF_CALLBACK_FN* callback = spec_.security_callback ? security_callback : nullptr;
      status = if3 != nullptr
                   ? if3(ifspec, nullptr, nullptr, settings.if_flags,
                         RPC_C_LISTEN_MAX_CALLS_DEFAULT, settings.max_rpc_size, callback, nullptr)
                   : RpcServerRegisterIf2(ifspec, nullptr, nullptr, settings.if_flags,
                                          RPC_C_LISTEN_MAX_CALLS_DEFAULT, settings.max_rpc_size,
                                          callback);
      if (status != RPC_S_OK) return status;
      interfaces_registered.push_back(id);
      registered_ = true;
      registered_here = true;
    }
  }
  if (closed) {
    // The endpoint stays open (RpcServerUseProtseqEp cannot be undone): with the process
    // listening, its callers get RPC_S_UNKNOWN_IF rather than wait for a listener.
    ensure_listening();
    return RPC_S_SERVER_UNAVAILABLE;
  }
  if (dynamic) {
    std::vector<std::u16string> after = endpoints_of(settings.protseq);
    for (const auto& e : after) {
      bool known = false;
      for (const auto& b : before) known = known || b == e;
      if (!known) *endpoint = e;
    }
    if (endpoint->empty() && !after.empty()) *endpoint = after.back();
    RPC_BINDING_VECTOR* bindings = nullptr;
    status = RpcServerInqBindings(&bindings);
    if (status != RPC_S_OK) return failed_listen(status, registered_here);
    status = RpcEpRegisterW(ifspec, bindings, nullptr, nullptr);
    if (status != RPC_S_OK) {
      RpcBindingVectorFree(&bindings);
      return failed_listen(status, registered_here);
    }
    bool closed;
    {
      std::lock_guard<Mutex> lock(mutex_);
      closed = aborted_ || refusing_;
      if (!closed) dynamic_protseqs_.push_back(settings.protseq);
    }
    // close() ran between the registration and here: it found no endpoint-mapper entry
    // to remove, so this one goes now.
    if (closed) RpcEpUnregister(ifspec, bindings, nullptr);
    RpcBindingVectorFree(&bindings);
    if (closed) return RPC_S_SERVER_UNAVAILABLE;
  }
  status = ensure_listening();
  return status == RPC_S_OK ? status : failed_listen(status, registered_here);
}

long RpcServer::failed_listen(long status, bool registered_here) {
  // The listen that registered the interface failed after it: nothing stays registered
  // (the caller sees a failure, and a new server of the interface must not be refused).
  // A listen that found it registered leaves it to the listen that succeeded.
  if (!registered_here) return status;
  bool registered;
  {
    std::lock_guard<Mutex> lock(mutex_);
    registered = registered_;
    registered_ = false;
  }
  if (registered) {  // else close() or abort_calls() has taken it
    RpcServerUnregisterIf(&descriptors_->server_interface, nullptr, 1);
    release_interface(descriptors_->server_interface.InterfaceId);
  }
  return status;
}

long RpcServer::close() {
  RPC_IF_HANDLE ifspec = &descriptors_->server_interface;
  bool registered;
  bool dynamic;
  std::vector<std::shared_ptr<ServerCall>> questions;
  {
    std::lock_guard<Mutex> lock(mutex_);
    // Callers still waiting for the security callback are refused now, and later ones at
    // once: a callback that never answers must not hold close() (which waits for calls).
    refusing_ = true;
    for (auto& entry : calls_) {
      if (entry.second->opnum() == kSecurityOpnum) questions.push_back(entry.second);
    }
    registered = registered_;
    dynamic = !dynamic_protseqs_.empty();
    registered_ = false;
    dynamic_protseqs_.clear();
  }
  for (auto& question : questions) question->answer(RPC_S_ACCESS_DENIED, 0);
  if (!registered) return RPC_S_OK;
  if (dynamic) {
    RPC_BINDING_VECTOR* bindings = nullptr;
    if (RpcServerInqBindings(&bindings) == RPC_S_OK) {
      RpcEpUnregister(ifspec, bindings, nullptr);
      RpcBindingVectorFree(&bindings);
    }
  }
  // Waits for calls in flight: their answers still come from the JS thread.
  const long status = RpcServerUnregisterIf(ifspec, nullptr, 1);
  release_interface(descriptors_->server_interface.InterfaceId);
  return status;
}

#ifdef WINRPC_TEST_HOOKS
long RpcServer::unregister_behind_for_test() {
  return RpcServerUnregisterIf(&descriptors_->server_interface, nullptr, 0);
}
#endif

void RpcServer::answer_waiting(long status) {
  std::vector<std::shared_ptr<ServerCall>> waiting;
  {
    std::lock_guard<Mutex> lock(mutex_);
    if (refuse_status_ == 0) refuse_status_ = status;
    for (auto& entry : calls_) waiting.push_back(entry.second);
  }
  slot_free_.notify_all();
  // A security-callback question gets its refusal whatever `status` says.
  for (auto& call : waiting) {
    call->answer(call->opnum() == kSecurityOpnum ? RPC_S_ACCESS_DENIED : status, 0);
  }
}

void RpcServer::abort_calls(long status) {
  std::vector<std::shared_ptr<ServerCall>> waiting;
  bool registered;
  {
    std::lock_guard<Mutex> lock(mutex_);
    aborted_ = true;
    if (refuse_status_ == 0) refuse_status_ = status;
    for (auto& entry : calls_) waiting.push_back(entry.second);
    registered = registered_;
    registered_ = false;
  }
  // Every runtime thread waiting for JS is answered first, and calls that arrive from now
  // on fail at once (aborted_), so nothing below waits for the JS thread, which may be
  // the one running this. Then the interface is unregistered waiting for the calls to
  // complete (RpcServerUnregisterIf: a nonzero WaitForCallsToComplete "wait[s] until all
  // active calls complete"): the NDR engine still reads the descriptors (format strings,
  // stub descriptor, pfnFree) while it finishes the calls just answered, and the caller
  // frees them next. Unregistering without waiting let calls finish in freed memory.
  slot_free_.notify_all();
  for (auto& call : waiting) call->answer(status, 0);
  if (registered) {
    RpcServerUnregisterIf(&descriptors_->server_interface, nullptr, 1);
    release_interface(descriptors_->server_interface.InterfaceId);
  }
}

std::shared_ptr<ServerCall> RpcServer::find_call(std::uint32_t id) {
  std::lock_guard<Mutex> lock(mutex_);
  auto it = calls_.find(id);
  return it == calls_.end() ? nullptr : it->second;
}

namespace {

// Whether rpcrt4's RpcServerInqCallAttributesW may be called: Wine 8 exports it as a
// stub that raises from a frame without unwind data, which no guard catches reliably
// (winrpc_guard_can_unwind). Called anyway, the exception skipped the guard around it
// whenever the stale stack slot the unwinder took for the stub's return address pointed
// past that guard: the guard around NdrServerCall2 caught it, unwinding the manager
// routine mid-call, and re-raised its code without the stub's parameters, which Wine's
// dispatcher then formatted as strings (strlen(0x10)): the client got 998. Looked up
// once per process (the module is pinned, see module_pin.h).
bool call_attributes_callable() {
  static const bool callable = [] {
    HMODULE rpcrt4 = GetModuleHandleW(L"rpcrt4.dll");
    FARPROC fn =
        rpcrt4 != nullptr ? GetProcAddress(rpcrt4, "RpcServerInqCallAttributesW") : nullptr;
    return winrpc_guard_can_unwind(reinterpret_cast<const void*>(fn)) != 0;
  }();
  return callable;
}

// Set once RpcServerInqCallAttributesW raised instead of answering.
std::atomic<bool> call_attributes_missing{false};

// RpcServerInqCallAttributesW under the guard: a status, whatever the runtime does.
long inquire_call_attributes(void* binding, RPC_CALL_ATTRIBUTES_V2_W* attrs) {
  if (!call_attributes_callable() || call_attributes_missing.load(std::memory_order_relaxed)) {
    return RPC_S_CANNOT_SUPPORT;
  }
  long status = 0;
  const unsigned long code = winrpc_guarded_call_attributes(binding, attrs, &status);
  if (code != 0) {
    call_attributes_missing = true;
    return static_cast<long>(code);
  }
  return status;
}

// Where RpcServerInqCallAttributes is missing (Wine 8): the protocol sequence from the
// binding's string form, the authentication from RpcBindingInqAuthClient, and the
// client's process from I_RpcBindingInqLocalClientPID (ncalrpc).
// `call_binding` is the call's binding handle as the manager got it (NULL: the current
// call, which is what Wine passes and what its RpcBindingInqAuthClient answers for).
long older_call_attributes(void* binding, void* call_binding, CallAttributes* attributes) {
  RPC_WSTR text = nullptr;
  long status = RpcBindingToStringBindingW(binding, &text);
  if (status != RPC_S_OK) return status;
  RPC_WSTR seq = nullptr;
  status = RpcStringBindingParseW(text, nullptr, &seq, nullptr, nullptr, nullptr);
  RpcStringFreeW(&text);
  if (status != RPC_S_OK) return status;
  const std::u16string protseq(reinterpret_cast<char16_t*>(seq));
  RpcStringFreeW(&seq);
  attributes->protseq = protseq == u"ncacn_ip_tcp" ? 1
                        : protseq == u"ncacn_np"   ? 2
                        : protseq == u"ncalrpc"    ? 3
                                                   : 0;
  RPC_AUTHZ_HANDLE privileges = nullptr;
  RPC_WSTR principal = nullptr;
  unsigned long level = 0, service = 0, authz = 0;
  if (RpcBindingInqAuthClientW(call_binding, &privileges, &principal, &level, &service, &authz) ==
      RPC_S_OK) {
    attributes->auth_level = level;
    attributes->auth_service = service;
    if (principal != nullptr) {
      attributes->client_principal.assign(reinterpret_cast<char16_t*>(principal));
      RpcStringFreeW(&principal);
    }
  } else if (RpcBindingInqAuthClientW(call_binding, nullptr, nullptr, &level, &service, nullptr) ==
             RPC_S_OK) {
    // Asked for the client's name too, Wine 8 fails an authenticated NTLM call as a
    // whole (its NTLM package cannot name the client); the level and service alone it
    // answers (bindings.test.ts: connect level, NTLM).
    attributes->auth_level = level;
    attributes->auth_service = service;
  }
  if (attributes->protseq == 3) {
    unsigned long pid = 0;
    if (I_RpcBindingInqLocalClientPID(binding, &pid) == RPC_S_OK) attributes->client_pid = pid;
  }
  return RPC_S_OK;
}

}  // namespace

void RpcServer::query_attributes(void* call_binding, CallAttributes* attributes) {
  void* binding = call_binding != nullptr ? call_binding : I_RpcGetCurrentCallHandle();
  RPC_CALL_ATTRIBUTES_V2_W attrs{};
  wchar_t principal[512] = {};
  attrs.Version = 2;
  attrs.Flags = RPC_QUERY_CLIENT_PRINCIPAL_NAME;
  attrs.ClientPrincipalNameBufferLength = sizeof principal;
  attrs.ClientPrincipalName = reinterpret_cast<unsigned short*>(principal);
  long status = inquire_call_attributes(binding, &attrs);
  if (status == RPC_S_BINDING_HAS_NO_AUTH || status == RPC_S_BUFFER_TOO_SMALL) {
    // No principal to give (an unauthenticated call), or a longer one: the rest.
    attrs = RPC_CALL_ATTRIBUTES_V2_W{};
    attrs.Version = 2;
    status = inquire_call_attributes(binding, &attrs);
  }
  if (status != RPC_S_OK) {
    attributes->status = older_call_attributes(binding, call_binding, attributes);
    return;
  }
  attributes->status = RPC_S_OK;
  attributes->protseq = attrs.ProtocolSequence;
  attributes->auth_level = attrs.AuthenticationLevel;
  attributes->auth_service = attrs.AuthenticationService;
  attributes->client_pid = reinterpret_cast<std::uintptr_t>(attrs.ClientPID);
  if (attrs.ClientPrincipalName != nullptr && principal[0] != 0) {
    attributes->client_principal.assign(reinterpret_cast<const char16_t*>(principal));
  }
}

long RpcServer::check_caller(void* binding) {
  std::shared_ptr<ServerCall> call;
  {
    std::lock_guard<Mutex> lock(mutex_);
    if (aborted_ || refusing_ || refuse_status_ != 0) return RPC_S_ACCESS_DENIED;
    const std::uint32_t id = next_id_++;
    if (next_id_ == 0) next_id_ = 1;
    call = std::make_shared<ServerCall>(id, kSecurityOpnum, std::vector<std::uint64_t>{});
    calls_.emplace(id, call);
  }
  // Not counted against max_calls: the call it guards takes its slot once admitted, and a
  // refused caller never holds one. abort_calls answers it like any waiting call.
  // The entry leaves calls_ however this returns (a throw here refuses the caller).
  struct Forget {
    RpcServer* server;
    std::uint32_t id;
    ~Forget() {
      std::lock_guard<Mutex> lock(server->mutex_);
      server->calls_.erase(id);
    }
  } forget{this, call->id()};
  query_attributes(binding, &call->attributes);
  if (!deliver_(call.get())) call->answer(RPC_S_ACCESS_DENIED, 0);
  call->wait();
  return call->status() == 0 ? RPC_S_OK : RPC_S_ACCESS_DENIED;
}

std::uint64_t RpcServer::serve(std::uint32_t opnum, const std::uint64_t* args, long* status,
                               std::vector<ServerCall::Block>* blocks) {
  std::shared_ptr<ServerCall> call;
  {
    std::unique_lock<Mutex> lock(mutex_);
    slot_free_.wait(lock, [this] { return refuse_status_ != 0 || active_ < spec_.max_calls; });
    if (refuse_status_ != 0) {
      *status = refuse_status_;
      return 0;
    }
    ++active_;
    const std::uint32_t id = next_id_++;
    if (next_id_ == 0) next_id_ = 1;
    call = std::make_shared<ServerCall>(id, opnum,
                                        std::vector<std::uint64_t>(args, args + slot_count(opnum)));
    calls_.emplace(id, call);
  }
  // The explicit binding handle is the procedure's second slot (after the unused async
  // one); Wine's engine leaves it NULL, so the current call's handle stands in.
  query_attributes(reinterpret_cast<void*>(call->slots().size() > 1 ? call->slots()[1] : 0),
                   &call->attributes);
  if (!deliver_(call.get())) call->answer(RPC_S_SERVER_UNAVAILABLE, 0);
  call->wait();
  {
    std::lock_guard<Mutex> lock(mutex_);
    calls_.erase(call->id());
    --active_;
  }
  slot_free_.notify_one();
  for (const auto& block : call->take_blocks()) blocks->push_back(block);
  *status = call->status();
  return call->value();
}

}  // namespace winrpc
