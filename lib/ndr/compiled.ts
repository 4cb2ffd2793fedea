// What lib/ndr hands to lib/runtime (docs/internals.md). Plain data: JSON-serialisable
// apart from the two Uint8Arrays.
import type { IdlExpr, PrimitiveName, UnavailableProcedure } from '../idl/model.js';

export interface CompiledInterface {
  name: string;
  uuid: string; // lower case
  version: { major: number; minor: number };
  procFormat: Uint8Array; // Oicf proc format string (all procedures)
  typeFormat: Uint8Array; // Oicf type format string
  procedures: CompiledProcedure[]; // in opnum order
  /** Expression callback programs (apfnExprEval), by index; absent when there are none. */
  exprPrograms?: Uint8Array[];
  types: Record<string, TypeLayout>; // named types, for decoding and codegen
  /** Procedures winrpc cannot call yet (a pipe...), with why; their opnums stay taken. */
  unavailable?: UnavailableProcedure[];
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
  /**
   * The [handle] typedef this parameter is declared with (a generic binding handle, e.g. a
   * server name). The caller passes it like any [in] value and it goes on the wire as its
   * underlying type; winrpc binds with its own primitive handle, not through it.
   */
  genericHandle?: string;
}

/**
 * Where a size_is/length_is value comes from: another parameter, a field of the
 * enclosing struct, or a constant; optionally dereferenced (`*pLen`) and adjusted by
 * the one operator NDR applies (n+1, n-1, n*2, n/2).
 */
export type Correlation =
  | { source: 'param' | 'field'; name: string; deref: boolean; op: CorrelationOp }
  | { source: 'constant'; value: number }
  /**
   * Any other expression over parameters (or fields): NDR calls an expression callback
   * for it (FC_CALLBACK), and the runtime evaluates it itself. Never filled in from data.
   */
  | { source: 'expr'; expr: IdlExpr };
export type CorrelationOp = 'none' | 'add1' | 'sub1' | 'mul2' | 'div2';

/**
 * The x64 (LLP64) C memory layout of a type.
 *
 * Kinds added after the first runtime was written (the converters do not handle them yet):
 * - `union`: a union with its arms (each arm's data starts at the union's offset 0, or at
 *   `encapsulated.unionOffset` for an encapsulated union, whose C type is a struct of the
 *   discriminant at 0 and the union). `switchIs` says where a non-encapsulated union's
 *   discriminant comes from where it is used (a parameter or a field of the same struct);
 *   the named layout in `CompiledInterface.types` has none. An arm with `type: null` is empty.
 * - `context_handle`: an opaque 8-byte client context handle (NDR_CCONTEXT); NULL is the
 *   null handle. `strict`: [strict_context_handle]; `typeName`: the typedef, if any.
 * - `int3264`: [unsigned] __int3264 (ULONG_PTR, SIZE_T, ...): 8 bytes in memory, 4 on the wire.
 * - `ignore`: an [ignore] pointer field: 8 bytes of memory, never marshalled; the sender's
 *   value is not sent and the receiver sees NULL.
 * And an optional property on an existing kind: `primitive.range` ([range(min, max)]),
 * which the NDR engine checks on both sides.
 */
export type TypeLayout = { size: number; align: number; name?: string } & (
  | { kind: 'primitive'; primitive: PrimitiveName; range?: { min: number; max: number } }
  | {
      kind: 'enum';
      wire: 'enum16' | 'enum32';
      members: { name: string; value: number }[];
      /** [range] on the enum where it is used: FC_RANGE over FC_ENUM16/32. */
      range?: { min: number; max: number };
    }
  | { kind: 'struct'; fields: FieldLayout[] }
  /** arrayParam: a C array parameter, passed as its address (see IdlType). */
  | { kind: 'pointer'; pointer: 'ref' | 'unique' | 'full'; target: TypeLayout; arrayParam?: true }
  /** count: fixed element count; sizeIs: conformant (size is then 0: the data has no fixed size). */
  /** firstIs: [first_is], the index of the first element sent (lengthIs then counts from it). */
  | {
      kind: 'array';
      element: TypeLayout;
      count?: number;
      sizeIs?: Correlation;
      lengthIs?: Correlation;
      firstIs?: Correlation;
      /**
       * [range] on the element count. Not in the format string: range on conformance
       * (Oi2 flag HasRangeOnConformance) changes every correlation descriptor's size,
       * which Wine's engine does not read; winrpc checks the count on both sides itself.
       */
      sizeRange?: { min: number; max: number };
    }
  /** A NUL-terminated string of `char` (1 byte) or `wchar_t` (2 bytes) code units. */
  | {
      kind: 'string';
      char: 'char' | 'wchar_t';
      count?: number;
      sizeIs?: Correlation;
      /**
       * [range] on the string's element count (terminator included): FC_SUPPLEMENT in the
       * range-on-conformance form; otherwise checked by winrpc only.
       */
      range?: { min: number; max: number };
    }
  | {
      kind: 'union';
      /** The discriminant: a primitive or enum layout. */
      switchType: TypeLayout;
      /**
       * No [switch_type]: the discriminant takes the type of switch_is's operand (MIDL's
       * rule), which LayoutEngine.resolveSwitchOperands fills in where the union is used.
       */
      switchFromOperand?: true;
      switchIs?: Correlation;
      /** [ms_union]: the arm table records the largest arm's alignment (type-format.ts). */
      msUnion?: true;
      encapsulated?: { discriminant: string; unionName: string; unionOffset: number };
      arms: UnionArmLayout[];
    }
  | { kind: 'context_handle'; strict: boolean; typeName?: string }
  | { kind: 'int3264'; signed: boolean }
  | { kind: 'ignore'; target: TypeLayout }
  /**
   * A pointer's target that is a struct still being laid out (a linked list's `next`):
   * `CompiledInterface.types[name]`. Named, not nested, so layouts stay JSON; the runtime
   * links it to that layout when it loads the interface (size 0: never laid out inline).
   */
  | { kind: 'recursion' }
);

/** One union arm: the discriminant values that select it (or the default arm) and its member. */
export interface UnionArmLayout {
  cases: number[];
  isDefault: boolean;
  /** The member's name and layout; null for an empty arm. */
  member: { name: string; type: TypeLayout } | null;
}

export interface FieldLayout {
  name: string;
  offset: number;
  type: TypeLayout;
}
