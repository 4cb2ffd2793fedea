export { compileIdl, compileInterface, compileModel } from './compile.js';
export type { CompileOptions } from './compile.js';
export type { CompiledInterface, CompiledParam, CompiledProcedure, Correlation, CorrelationOp, FieldLayout, TypeLayout } from './compiled.js';
export { LayoutEngine, alignUp } from './layout.js';
export { FC } from './fc.js';
