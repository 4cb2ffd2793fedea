// What lib/ndr hands to lib/runtime (docs/internals.md). Plain data: JSON-serialisable
// apart from the two Uint8Arrays.
import type { PrimitiveName } from '../idl/model.js';

export interface CompiledInterface {
  name: string;
  uuid: string; // lower case
  version: { major: number; minor: number };
  procFormat: Uint8Array; // Oicf proc format string (all procedures)
  typeFormat: Uint8Array; // Oicf type format string
  procedures: CompiledProcedure[]; // in opnum order
  types: Record<string, TypeLayout>; // named types, for decoding and codegen
}

export interface CompiledProcedure {
  name: string;
  opnum: number;
  procFormatOffset: number; // offset of this proc's header in procFormat
  stackSize: number; // bytes of argument slots incl. binding/async slots (and the return slot)
  params: CompiledParam[]; // IDL order, excluding explicit handle_t
  returnType: TypeLayout | null; // null for void
  /** Stack offset of the return value's slot (null for void). */
  returnStackOffset: number | null;
  /** Stack offsets of the slots winrpc fills itself. */
  asyncStackOffset: number | null; // PRPC_ASYNC_STATE (async mode: 0)
  bindingStackOffset: number | null; // the explicit primitive handle_t
  /** The x64 extension's FloatDoubleMask: 2 bits per argument slot, 1 = float, 2 = double. */
  floatMask: number;
}

export interface CompiledParam {
  name: string;
  direction: 'in' | 'out' | 'inout';
  stackOffset: number; // byte offset of the argument slot (multiple of 8)
  type: TypeLayout; // the parameter's declared C type (often a pointer)
}

/**
 * Where a size_is/length_is value comes from: another parameter, a field of the
 * enclosing struct, or a constant; optionally dereferenced (`*pLen`) and adjusted by
 * the one operator NDR applies (n+1, n-1, n*2, n/2).
 */
export type Correlation =
  | { source: 'param' | 'field'; name: string; deref: boolean; op: CorrelationOp }
  | { source: 'constant'; value: number };
export type CorrelationOp = 'none' | 'add1' | 'sub1' | 'mul2' | 'div2';

/** The x64 (LLP64) C memory layout of a type. */
export type TypeLayout = { size: number; align: number; name?: string } & (
  | { kind: 'primitive'; primitive: PrimitiveName }
  | { kind: 'enum'; wire: 'enum16' | 'enum32'; members: { name: string; value: number }[] }
  | { kind: 'struct'; fields: FieldLayout[] }
  | { kind: 'pointer'; pointer: 'ref' | 'unique' | 'full'; target: TypeLayout }
  /** count: fixed element count; sizeIs: conformant (size is then 0: the data has no fixed size). */
  | { kind: 'array'; element: TypeLayout; count?: number; sizeIs?: Correlation; lengthIs?: Correlation }
  /** A NUL-terminated string of `char` (1 byte) or `wchar_t` (2 bytes) code units. */
  | { kind: 'string'; char: 'char' | 'wchar_t'; count?: number; sizeIs?: Correlation }
);

export interface FieldLayout {
  name: string;
  offset: number;
  type: TypeLayout;
}
