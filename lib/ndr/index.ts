export type { CompileOptions } from './compile.js';
export { compileIdl, compileInterface, compileModel } from './compile.js';
export type {
  CompiledInterface,
  CompiledParam,
  CompiledProcedure,
  Correlation,
  CorrelationOp,
  FieldLayout,
  TypeLayout,
  UnionArmLayout,
} from './compiled.js';
export { FC } from './fc.js';
export { alignUp, LayoutEngine } from './layout.js';
