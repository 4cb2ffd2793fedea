export type { IdlErrorKind, IdlWarning, SourceLocation } from './errors.js';
export { formatLocation, IdlError, notSupported } from './errors.js';
export type {
  ArraySize,
  BinaryOp,
  Direction,
  IdlEnum,
  IdlExpr,
  IdlField,
  IdlInterface,
  IdlModel,
  IdlNamedType,
  IdlParam,
  IdlProcedure,
  IdlRpcFlags,
  IdlStruct,
  IdlType,
  PointerKind,
  PrimitiveName,
  UnavailableProcedure,
} from './model.js';
export type { ParseIdlOptions } from './parse-idl.js';
export { parseIdl } from './parse-idl.js';
export type { ReadFile } from './preprocess.js';
