// Expression callbacks for NDR (MIDL_STUB_DESC::apfnExprEval). MIDL writes one C routine
// per first_is or complex size_is/length_is expression; winrpc registers small programs
// compiled in TS (lib/ndr/expr-program.ts) and one table of routines that interpret them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace winrpc {

using ExprProgram = std::vector<std::uint8_t>;

// The routine table for apfnExprEval (as void*: EXPR_EVAL needs <rpcndr.h>). Routine i
// runs program i of the interface whose MIDL_STUB_DESC the stub message carries.
const void* expr_eval_table();
constexpr std::size_t kMaxExprPrograms = 256;

// Splits the registration blob (u32 length + bytes, repeated) into programs; false when
// it is malformed or holds more than kMaxExprPrograms.
bool parse_expr_programs(const std::uint8_t* data, std::size_t size, std::vector<ExprProgram>* out);

#ifdef WINRPC_TEST_HOOKS
// Runs `program` as a routine would, with StackTop at `frame`, under the SEH guard:
// returns 0 (and the Offset and MaxCount it set) or the status it raised. For tests
// of the interpreter on hostile operands.
unsigned long expr_eval_self_test(const ExprProgram& program, unsigned char* frame,
                                  std::uint64_t* offset, std::uint64_t* max_count);
#endif

// Implemented where the interface's descriptors live (rpc_interface.cc): program `index`
// of the interface `stub_desc` belongs to, or nullptr.
const ExprProgram* expr_program_for(const void* stub_desc, std::size_t index);

}  // namespace winrpc
