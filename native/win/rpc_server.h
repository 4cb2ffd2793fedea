// One RPC interface served from JS: an RPC_SERVER_INTERFACE built from the bytes TS
// compiled, dispatched by the NDR engine's stubless server path (NdrServerCall2) to
// one generic manager routine. Each call runs on a runtime thread, which hands the
// call's argument slots to JS (`Deliver`), blocks until JS answers, and returns the
// answer to the engine, which marshals the [out] values JS wrote and frees them.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "expr_eval.h"
#include "sync.h"

namespace winrpc {

struct ServerSpec {
  std::uint8_t uuid[16];  // GUID memory layout
  std::uint16_t major;
  std::uint16_t minor;
  std::vector<std::uint8_t> proc_format;  // synchronous procedures (no async slot)
  std::vector<std::uint8_t> type_format;
  std::vector<ExprProgram> expr_programs;
  std::vector<std::uint16_t> proc_offsets;  // proc format offset, by opnum
  std::vector<std::uint16_t> slot_counts;   // argument slots the manager receives, by opnum
  std::vector<std::uint8_t> return_kinds;   // by opnum: 0 integer/pointer, 1 float, 2 double
  std::uint32_t max_calls;                  // calls handed to JS at once; later ones wait
  bool security_callback = false;           // register an IfCallback that asks JS about each caller
};

// What RpcServerInqCallAttributes says about the caller (status != 0: it said nothing).
struct CallAttributes {
  long status = 0;
  std::uint32_t protseq = 0;  // RPC_PROTSEQ_TCP 1, RPC_PROTSEQ_NMP 2, RPC_PROTSEQ_LRPC 3
  std::uint32_t auth_level = 0;
  std::uint32_t auth_service = 0;
  std::u16string client_principal;
  std::uint64_t client_pid = 0;
};

// A call a runtime thread is serving. JS reads its slots, writes its [out] memory and
// answers; the runtime thread waits for the answer.
class ServerCall : public std::enable_shared_from_this<ServerCall> {
 public:
  ServerCall(std::uint32_t id, std::uint32_t opnum, std::vector<std::uint64_t> slots)
      : id_(id), opnum_(opnum), slots_(std::move(slots)) {}

  std::uint32_t id() const { return id_; }
  std::uint32_t opnum() const { return opnum_; }
  const std::vector<std::uint64_t>& slots() const { return slots_; }
  CallAttributes attributes;

  struct Block {
    void* data;
    std::size_t size;
  };
  // JS thread (or teardown): the answer, with the blocks holding the [out] data JS wrote
  // (freed once the engine has marshalled it); false when the call was answered already
  // (the blocks are then the caller's to free).
  bool answer(long status, std::uint64_t value, std::vector<Block> blocks = {});
  // The same in two steps, for an answer that writes into the engine's [out] memory
  // first: claim() makes every other answer fail (false: answered already), so the
  // runtime thread stays blocked, and its memory valid, until finish().
  bool claim();
  void finish(long status, std::uint64_t value, std::vector<Block> blocks = {});
  // Runtime thread: waits for the answer.
  void wait();
  long status() const { return status_; }
  std::uint64_t value() const { return value_; }
  std::vector<Block> take_blocks() { return std::move(blocks_); }

 private:
  std::uint32_t id_;
  std::uint32_t opnum_;
  std::vector<std::uint64_t> slots_;
  std::vector<Block> blocks_;
  Mutex mutex_;
  CondVar answered_cv_;
  bool claimed_ = false;
  bool answered_ = false;
  long status_ = 0;
  std::uint64_t value_ = 0;
};

struct ListenSettings {
  std::u16string protseq;
  bool has_endpoint = false;
  std::u16string endpoint;
  std::uint32_t if_flags = 0;        // RpcServerRegisterIf3 Flags
  std::uint32_t max_rpc_size = ~0u;  // RpcServerRegisterIf3 MaxRpcSize ((unsigned)-1: none)
  std::uint32_t auth_service = 0;    // RpcServerRegisterAuthInfo's service (0: none registered)
  bool has_principal = false;
  std::u16string principal;
};

// Opnum of the pseudo-call that reports a rundown (slot 0: the server context).
constexpr std::uint32_t kRundownOpnum = 0xffffffff;
// Opnum of the pseudo-call that asks JS whether a caller may call the interface (the
// security callback; no slots). Answer status 0 admits it.
constexpr std::uint32_t kSecurityOpnum = 0xfffffffe;
// Opnum of the pseudo-call that says close() has finished (slot 0: its status).
constexpr std::uint32_t kClosedOpnum = 0xfffffffd;

class RpcServer {
 public:
  // Hands a call to JS; false when JS can no longer be reached (the call then fails).
  using Deliver = std::function<bool(ServerCall*)>;

  RpcServer(ServerSpec spec, Deliver deliver);
  ~RpcServer();
  RpcServer(const RpcServer&) = delete;
  RpcServer& operator=(const RpcServer&) = delete;

  // Opens the endpoint (or a dynamic one, registered with the endpoint mapper), registers
  // the interface on first use and makes sure the process listens. *endpoint gets the
  // endpoint. Returns the status.
  long listen(const ListenSettings& settings, std::u16string* endpoint);
  // Unregisters the interface, waiting for calls in flight (blocking: off the JS thread);
  // callers waiting for the security callback are refused first.
  long close();
  // close()'s deadline passed: every call waiting for JS is answered with `status` (a
  // security-callback question is refused), and so is every call that arrives later.
  void answer_waiting(long status);
  // The environment is going away: every waiting call fails with `status`, calls that
  // arrive from now on fail at once, and the interface is unregistered once the calls
  // answered have left the engine (blocking, but never on JS): the descriptors may then
  // be freed.
  void abort_calls(long status);

#ifdef WINRPC_TEST_HOOKS
  // Tests only: RpcServerUnregisterIf without waiting, leaving the server believing it is
  // registered (its close() then meets the runtime's refusal). Returns the status.
  long unregister_behind_for_test();
#endif

  // JS thread: a call waiting for its answer, or nullptr.
  std::shared_ptr<ServerCall> find_call(std::uint32_t id);

  // Runtime thread (the manager routine): serves one call; *status != 0 raises it.
  std::uint64_t serve(std::uint32_t opnum, const std::uint64_t* args, long* status,
                      std::vector<ServerCall::Block>* blocks);
  std::size_t slot_count(std::uint32_t opnum) const;
  // Runtime thread (the IfCallback): asks JS about the caller `binding` names and waits
  // for its answer. RPC_S_OK admits the caller; anything else refuses it.
  long check_caller(void* binding);
  // The server whose registered interface is `ifspec`, or nullptr.
  static RpcServer* from_ifspec(const void* ifspec);
  // Process-wide key of this server: the high 32 bits of the server contexts JS hands
  // out, so that a rundown (which knows only the context) finds its server.
  std::uint32_t key() const { return key_; }
  // The runtime ran a context handle down: JS hears of it as a call with id 0.
  static void run_down(void* context);
  // The server a dispatched RPC_MESSAGE belongs to (from its RpcInterfaceInformation).
  static RpcServer* from_interface_information(void* info);

 private:
  // listen()'s failure after its own registration: unregisters, then returns `status`.
  long failed_listen(long status, bool registered_here);
  struct Descriptors;
  void query_attributes(void* binding, CallAttributes* attributes);

  ServerSpec spec_;
  std::uint32_t key_;
  std::unique_ptr<Descriptors> descriptors_;
  Deliver deliver_;
  Mutex mutex_;
  CondVar slot_free_;
  std::unordered_map<std::uint32_t, std::shared_ptr<ServerCall>> calls_;
  std::uint32_t next_id_ = 1;
  std::uint32_t active_ = 0;
  bool registered_ = false;
  bool aborted_ = false;
  bool refusing_ = false;   // closing: security-callback questions and listens are refused
  long refuse_status_ = 0;  // nonzero: calls are answered with it at once, not handed to JS
  std::vector<std::u16string> dynamic_protseqs_;  // registered with the endpoint mapper
};

// Process-wide counts for tests (exported only by WINRPC_TEST_HOOKS builds).
struct ServerTestCounters {
  std::int64_t engine_blocks_live;    // the engine's pfnAllocate blocks not yet freed
  std::int64_t engine_blocks_swept;   // blocks the engine left after a call, freed by winrpc
  std::int64_t dispatches_outliving;  // dispatches that ended after their server was destroyed
  std::int64_t servers_live;          // RpcServer objects not yet destroyed
};
ServerTestCounters server_test_counters();

}  // namespace winrpc
