// winrpc: asynchronous Windows RPC for Node.js.

export { type GenerateOptions, generateClient } from './codegen/generate.js';
export { IdlError, type IdlErrorKind, type IdlWarning } from './idl/errors.js';
export type { UnavailableProcedure } from './idl/model.js';
export { compileIdl } from './ndr/compile.js';
export type { CompiledInterface, CompiledParam, CompiledProcedure, TypeLayout } from './ndr/compiled.js';
export { AsyncCall, type TryCompleteResult } from './runtime/async-call.js';
export type { CallOptions } from './runtime/call-options.js';
export { ContextHandle } from './runtime/context-handle.js';
export { type Diagnostics, diagnostics } from './runtime/diagnostics.js';
export { defineInterface, type EmbeddedInterface } from './runtime/embedded-interface.js';
export { RpcBinding } from './runtime/rpc-binding.js';
export { isRpcError, RpcError } from './runtime/rpc-error.js';
export {
  interfaceFromSource,
  type LoadInterfaceOptions,
  loadInterface,
  type RpcClient,
  RpcInterface,
} from './runtime/rpc-interface.js';
export { statusFromName, statusMessage, statusName } from './runtime/status-codes.js';
export {
  CLOSE_TIMEOUT_STATUS,
  type CloseOptions,
  type CreateServerOptions,
  DEFAULT_FAILURE_STATUS,
  type ListenOptions,
  RPC_S_ACCESS_DENIED,
  RpcServer,
  type SecurityCallInfo,
  type ServerCallInfo,
  type ServerImplementation,
  type ServerProtseq,
} from './server/rpc-server.js';
