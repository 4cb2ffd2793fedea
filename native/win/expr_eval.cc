#include "expr_eval.h"

#include <rpc.h>
#include <rpcndr.h>
#include <windows.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>

#include "seh_guard.h"

namespace winrpc {

namespace {

// Opcodes (lib/ndr/expr-program.ts).
enum : std::uint8_t {
  kConst = 0x01,
  kAddr = 0x02,
  kLoad = 0x03,
  kNeg = 0x10,
  kBitNot = 0x11,
  kNot = 0x12,
  kBinaryFirst = 0x20,  // + - * / % << >> & | ^ && || == != < > <= >=
  kBinaryLast = 0x31,
  kCond = 0x40,
};

constexpr int kMaxDepth = 64;
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

// Errors leave through RpcRaiseException, as a MIDL routine's would: the NDR engine's
// caller (winrpc's SEH guard) turns them into the call's status. Nothing on this path
// owns resources, so unwinding past it is safe.
[[noreturn]] void fail(unsigned long status) {
  RpcRaiseException(static_cast<RPC_STATUS>(status));
  for (;;) {
  }
}

void evaluate_into(const ExprProgram& program, PMIDL_STUB_MESSAGE msg);

class Evaluator {
 public:
  Evaluator(const ExprProgram& program, unsigned char* stack_top)
      : p_(program.data()), end_(program.data() + program.size()), top_(stack_top) {}

  bool at_end() const { return p_ == end_; }
  std::uint8_t byte() {
    if (p_ >= end_) fail(RPC_X_BAD_STUB_DATA);
    return *p_++;
  }

  std::int64_t eval(int depth = 0) {
    if (depth > kMaxDepth) fail(RPC_X_BAD_STUB_DATA);
    const std::uint8_t op = byte();
    switch (op) {
      case kConst:
        return static_cast<std::int64_t>(read_le(8));
      case kAddr:
        return static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(top_) +
                                         static_cast<std::int32_t>(read_le(4)));
      case kLoad: {
        const std::uint8_t width = byte();
        const bool is_signed = byte() != 0;
        return load(eval(depth + 1), width, is_signed);
      }
      case kNeg: {
        const std::int64_t v = eval(depth + 1);
        if (v == kMin) fail(RPC_X_INVALID_BOUND);
        return -v;
      }
      case kBitNot:
        return ~eval(depth + 1);
      case kNot:
        return eval(depth + 1) == 0 ? 1 : 0;
      case kCond: {
        // Only the arm taken is evaluated: the other may dereference a NULL pointer.
        if (eval(depth + 1) != 0) {
          const std::int64_t a = eval(depth + 1);
          skip(depth + 1);
          return a;
        }
        skip(depth + 1);
        return eval(depth + 1);
      }
      default:
        if (op >= kBinaryFirst && op <= kBinaryLast) return binary(op, depth);
        fail(RPC_X_BAD_STUB_DATA);
    }
  }

 private:
  // Moves past one expression without evaluating it.
  void skip(int depth) {
    if (depth > kMaxDepth) fail(RPC_X_BAD_STUB_DATA);
    const std::uint8_t op = byte();
    int operands = 0;
    switch (op) {
      case kConst:
        read_le(8);
        return;
      case kAddr:
        read_le(4);
        return;
      case kLoad:
        byte();
        byte();
        operands = 1;
        break;
      case kNeg:
      case kBitNot:
      case kNot:
        operands = 1;
        break;
      case kCond:
        operands = 3;
        break;
      default:
        if (op < kBinaryFirst || op > kBinaryLast) fail(RPC_X_BAD_STUB_DATA);
        operands = 2;
    }
    for (int i = 0; i < operands; i++) skip(depth + 1);
  }

  std::uint64_t read_le(int bytes) {
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; i++) v |= static_cast<std::uint64_t>(byte()) << (8 * i);
    if (bytes == 4) v = static_cast<std::uint32_t>(v);
    return v;
  }

  static std::int64_t load(std::int64_t address, std::uint8_t width, bool is_signed) {
    if (address == 0) fail(RPC_X_NULL_REF_POINTER);
    const void* at = reinterpret_cast<const void*>(static_cast<std::uintptr_t>(address));
    switch (width) {
      case 1: {
        std::uint8_t v;
        std::memcpy(&v, at, 1);
        return is_signed ? static_cast<std::int8_t>(v) : v;
      }
      case 2: {
        std::uint16_t v;
        std::memcpy(&v, at, 2);
        return is_signed ? static_cast<std::int16_t>(v) : v;
      }
      case 4: {
        std::uint32_t v;
        std::memcpy(&v, at, 4);
        return is_signed ? static_cast<std::int32_t>(v) : static_cast<std::int64_t>(v);
      }
      case 8: {
        std::int64_t v;
        std::memcpy(&v, at, 8);
        return v;
      }
      default:
        fail(RPC_X_BAD_STUB_DATA);
    }
  }

  // Pointer-valued operands (a NULL test before a dereference) stay addresses: C's
  // `p ? *p : 0` only needs them to compare with zero. && and || do not short-circuit
  // here, so an IDL author's `p && *p` would fault on NULL, as MIDL's would not; the
  // conditional form is what protocol IDLs use.
  std::int64_t binary(std::uint8_t op, int depth) {
    const std::int64_t l = eval(depth + 1);
    const std::int64_t r = eval(depth + 1);
    switch (op - kBinaryFirst) {
      case 0:
        return add(l, r);
      case 1:
        return subtract(l, r);
      case 2:
        return multiply(l, r);
      case 3:
        if (r == 0) fail(RPC_S_ZERO_DIVIDE);
        if (l == kMin && r == -1) fail(RPC_X_INVALID_BOUND);
        return l / r;
      case 4:
        if (r == 0) fail(RPC_S_ZERO_DIVIDE);
        if (r == -1) return 0;  // kMin % -1 overflows in C; the remainder is 0 anyway
        return l % r;
      case 5:
        return (r < 0 || r > 63) ? 0
                                 : static_cast<std::int64_t>(static_cast<std::uint64_t>(l) << r);
      case 6:
        return (r < 0 || r > 63) ? (l < 0 ? -1 : 0) : l >> r;
      case 7:
        return l & r;
      case 8:
        return l | r;
      case 9:
        return l ^ r;
      case 10:
        return (l != 0 && r != 0) ? 1 : 0;
      case 11:
        return (l != 0 || r != 0) ? 1 : 0;
      case 12:
        return l == r;
      case 13:
        return l != r;
      case 14:
        return l < r;
      case 15:
        return l > r;
      case 16:
        return l <= r;
      default:
        return l >= r;
    }
  }

  // Signed overflow is undefined in C++ (and a hostile reply chooses the operands): a
  // result that does not fit is an out-of-range size, as RPC_X_INVALID_BOUND says.
  static std::int64_t add(std::int64_t l, std::int64_t r) {
    if ((r > 0 && l > kMax - r) || (r < 0 && l < kMin - r)) fail(RPC_X_INVALID_BOUND);
    return l + r;
  }
  static std::int64_t subtract(std::int64_t l, std::int64_t r) {
    if ((r < 0 && l > kMax + r) || (r > 0 && l < kMin + r)) fail(RPC_X_INVALID_BOUND);
    return l - r;
  }
  static std::int64_t multiply(std::int64_t l, std::int64_t r) {
    if (l == 0 || r == 0) return 0;
    const bool overflows =
        l > 0 ? (r > 0 ? l > kMax / r : r < kMin / l) : (r > 0 ? l < kMin / r : l < kMax / r);
    if (overflows) fail(RPC_X_INVALID_BOUND);
    return l * r;
  }

  const std::uint8_t* p_;
  const std::uint8_t* end_;
  unsigned char* top_;
};

// What MIDL's routines do: Offset from first_is (else 0), MaxCount from the count.
void run_program(PMIDL_STUB_MESSAGE msg, std::size_t index) {
  const ExprProgram* program = expr_program_for(msg->StubDesc, index);
  if (program == nullptr) fail(RPC_X_BAD_STUB_DATA);
  evaluate_into(*program, msg);
}

void evaluate_into(const ExprProgram& program, PMIDL_STUB_MESSAGE msg) {
  Evaluator ev(program, msg->StackTop);
  const bool has_first = ev.byte() != 0;
  const std::int64_t first = has_first ? ev.eval() : 0;
  const std::int64_t count = ev.eval();
  if (!ev.at_end()) fail(RPC_X_BAD_STUB_DATA);
  if (first < 0 || first > 0xffffffffLL || count < 0 || count > 0xffffffffLL)
    fail(RPC_X_INVALID_BOUND);
  msg->Offset = static_cast<unsigned long>(first);
  msg->MaxCount = static_cast<ULONG_PTR>(count);
}

template <std::size_t I>
void __RPC_USER routine(PMIDL_STUB_MESSAGE msg) {
  run_program(msg, I);
}

template <std::size_t... I>
constexpr std::array<EXPR_EVAL, sizeof...(I)> make_table(std::index_sequence<I...>) {
  return {&routine<I>...};
}

const std::array<EXPR_EVAL, kMaxExprPrograms> kRoutines =
    make_table(std::make_index_sequence<kMaxExprPrograms>{});

}  // namespace

const void* expr_eval_table() { return kRoutines.data(); }

#ifdef WINRPC_TEST_HOOKS
namespace {
struct SelfTest {
  const ExprProgram* program;
  MIDL_STUB_MESSAGE message;
};
}  // namespace

unsigned long expr_eval_self_test(const ExprProgram& program, unsigned char* frame,
                                  std::uint64_t* offset, std::uint64_t* max_count) {
  SelfTest test{&program, {}};
  test.message.StackTop = frame;
  const unsigned long code = winrpc_seh_guard(
      [](void* context) {
        auto* self = static_cast<SelfTest*>(context);
        evaluate_into(*self->program, &self->message);
      },
      &test);
  *offset = test.message.Offset;
  *max_count = test.message.MaxCount;
  return code;
}
#endif  // WINRPC_TEST_HOOKS

bool parse_expr_programs(const std::uint8_t* data, std::size_t size,
                         std::vector<ExprProgram>* out) {
  std::size_t at = 0;
  while (at < size) {
    if (size - at < 4 || out->size() >= kMaxExprPrograms) return false;
    std::uint32_t length = 0;
    std::memcpy(&length, data + at, 4);
    at += 4;
    if (length > size - at) return false;
    out->emplace_back(data + at, data + at + length);
    at += length;
  }
  return true;
}

}  // namespace winrpc
