// The IDL model: what lib/idl hands to lib/ndr. Plain data only (JSON round-trips),
// typedef names kept where they matter for decoding and codegen.
import type { IdlWarning, SourceLocation } from './errors.js';

export type { IdlWarning, SourceLocation } from './errors.js';

/** NDR base types, named after the C/MIDL types they come from. */
export type PrimitiveName =
  | 'boolean' // 1 byte, FC_CHAR on the wire
  | 'byte' // FC_BYTE
  | 'char' // char: FC_CHAR, a one-character string in JS
  | 'uchar' // unsigned char (UCHAR, BYTE, BOOLEAN): FC_CHAR on the wire, a number in JS
  | 'small' // small / signed char: FC_SMALL
  | 'usmall' // unsigned small: FC_USMALL
  | 'wchar_t' // FC_WCHAR
  | 'short'
  | 'ushort'
  | 'long' // long and int (LLP64: 4 bytes)
  | 'ulong'
  | 'hyper' // hyper, __int64, long long
  | 'uhyper'
  | 'float'
  | 'double'
  | 'error_status_t'
  | 'handle_t';

export type PointerKind = 'ref' | 'unique' | 'ptr';

/**
 * An expression from a size_is/length_is (and later switch_is/iid_is) attribute or a
 * const. Identifiers name a parameter (in a procedure) or a field (in a struct).
 */
export type IdlExpr =
  | { kind: 'number'; value: number }
  | { kind: 'ident'; name: string }
  | { kind: 'unary'; op: '-' | '+' | '~' | '!' | '*'; operand: IdlExpr }
  | { kind: 'binary'; op: BinaryOp; left: IdlExpr; right: IdlExpr }
  | { kind: 'conditional'; test: IdlExpr; whenTrue: IdlExpr; whenFalse: IdlExpr };

export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '<<'
  | '>>'
  | '&'
  | '|'
  | '^'
  | '&&'
  | '||'
  | '=='
  | '!='
  | '<'
  | '>'
  | '<='
  | '>=';

export type IdlType =
  | { kind: 'void' }
  /** `range`: [range(min, max)], checked by the NDR engine on both sides. */
  | { kind: 'primitive'; name: PrimitiveName; alias?: string; range?: IdlRange }
  /**
   * A struct, enum or union declared in IdlInterface.types. `switchIs` selects the arm
   * of a non-encapsulated union ([switch_is(expr)] where the union is used).
   */
  | {
      kind: 'named';
      name: string;
      switchIs?: IdlExpr;
      /** [range] on an enum parameter or field ([MS-DRSR], [MS-FRS2]): the values the server accepts. */
      range?: IdlRange;
    }
  /**
   * A [context_handle] (`void *` or a pointer to an incomplete struct in C). `strict`:
   * [strict_context_handle] (ACF or IDL); `alias`: the typedef name, which also gives
   * type-strict handles their identity.
   */
  | { kind: 'context_handle'; alias?: string; strict?: boolean; typeStrict?: boolean }
  /** [unsigned] __int3264 (ULONG_PTR, SIZE_T...): 8 bytes in x64 memory, 4 on the wire. */
  | { kind: 'int3264'; unsigned: boolean; alias?: string }
  /**
   * `arrayParam`: a C array parameter (`[in] long a[10]`, `[size_is(n)] long a[]`). C passes
   * it as its address, so it is a [ref] pointer to the array, but MIDL describes the
   * parameter by the array itself (no FC_RP, not a simple ref).
   */
  | { kind: 'pointer'; pointer: PointerKind; target: IdlType; alias?: string; arrayParam?: true }
  /**
   * An array. `size` is fixed (`[4]`) or conformant (`size_is`, `max_is`, or `[]`
   * sized elsewhere); `length` makes it varying (`length_is`), counting from `first`
   * (`first_is`; NDR then evaluates both through an expression callback).
   */
  | {
      kind: 'array';
      element: IdlType;
      size: ArraySize;
      length?: IdlExpr;
      first?: IdlExpr;
      /** [range] on a sized array: the bounds of its element count (checked by winrpc). */
      sizeRange?: IdlRange;
    }
  /**
   * A [string]: a NUL-terminated char/wchar_t array. Without `size` it is conformant
   * and sized by its terminator; `size` bounds it (`[string, size_is(n)]`, `char s[10]`).
   */
  | {
      kind: 'string';
      char: 'char' | 'wchar_t';
      size?: ArraySize;
      /** [range] on a [string]: the bounds of its element count, terminator included. */
      range?: IdlRange;
    };

export type ArraySize = { fixed: number } | { is: IdlExpr };

export interface IdlRange {
  min: number;
  max: number;
}

export interface IdlField {
  name: string;
  type: IdlType;
  /** [ignore]: a pointer field that is never transmitted (NULL on receipt). */
  ignore?: boolean;
  /**
   * An unnamed union member (`[switch_is(level)] union { ... };`), which MIDL's C header
   * declares as an anonymous union: `name` is the one winrpc gives it (`u`, `u2`...,
   * as the SDK's NONAMELESSUNION names DUMMYUNIONNAME, DUMMYUNIONNAME2...).
   */
  unnamed?: true;
  loc: SourceLocation;
}

export interface IdlStruct {
  kind: 'struct';
  name: string;
  /** The C tag (`struct _FOO`), when it differs from the name. */
  tag?: string;
  fields: IdlField[];
  loc: SourceLocation;
}

export interface IdlEnum {
  kind: 'enum';
  name: string;
  tag?: string;
  /** [v1_enum]: 32 bits on the wire (FC_ENUM32) instead of 16 (FC_ENUM16). */
  v1Enum: boolean;
  members: { name: string; value: number }[];
  loc: SourceLocation;
}

/** One arm of a union: its case values (or the default arm), and its field (none: empty arm). */
export interface IdlUnionArm {
  cases: number[];
  isDefault: boolean;
  field: IdlField | null;
  loc: SourceLocation;
}

/**
 * A union. Non-encapsulated (`[switch_type(t)] union { [case(1)] ... }`): the
 * discriminant comes from [switch_is] where it is used. Encapsulated
 * (`union switch (t name) u { case 1: ... }`): a struct of the discriminant and the union.
 */
export interface IdlUnion {
  kind: 'union';
  name: string;
  tag?: string;
  /** The discriminant's type ([switch_type] or the encapsulated switch); undefined: taken from switch_is's operand. */
  switchType?: IdlType;
  encapsulated?: { discriminant: string; unionName: string };
  /**
   * [ms_union] (on the union or its interface; ignored for encapsulated unions): NDR
   * aligns the selected arm to the largest arm's alignment, which the arm table records.
   */
  msUnion?: boolean;
  arms: IdlUnionArm[];
  loc: SourceLocation;
}

export type IdlNamedType = IdlStruct | IdlEnum | IdlUnion;

export type Direction = 'in' | 'out' | 'inout';

export interface IdlParam {
  name: string;
  direction: Direction;
  type: IdlType;
  /**
   * The parameter's type is a [handle] typedef (a generic, user-defined binding handle),
   * named here. It is still an ordinary parameter: MIDL transmits it as its underlying type.
   */
  genericHandle?: string;
  loc: SourceLocation;
}

export interface IdlProcedure {
  name: string;
  opnum: number;
  returnType: IdlType;
  /** Parameters in IDL order, without an explicit binding handle. */
  params: IdlParam[];
  /** An explicit `handle_t` parameter: its name and index among the IDL parameters. */
  bindingHandle?: { name: string; index: number };
  /**
   * The leftmost [in] parameter of a [handle] typedef, when there is no handle_t: MIDL
   * binds through it (FC_BIND_GENERIC and the type's _bind/_unbind routines). winrpc
   * binds with its own primitive handle and sends the parameter like any other.
   */
  genericBinding?: { name: string; index: number; typeName: string; viaPointer: boolean };
  /** Marked [async] in the ACF. winrpc calls every procedure asynchronously anyway. */
  acfAsync: boolean;
  /** [idempotent], [maybe], [broadcast]: the call semantics the proc header's rpc flags carry. */
  rpcFlags?: IdlRpcFlags;
  loc: SourceLocation;
}

export interface IdlRpcFlags {
  idempotent?: boolean;
  maybe?: boolean;
  broadcast?: boolean;
}

export interface IdlInterface {
  name: string;
  uuid: string; // lower case
  version: { major: number; minor: number };
  pointerDefault: PointerKind;
  endpoints: string[];
  /** ACF binding: implicit/auto handle as declared; winrpc always binds explicitly. */
  acfHandle?: { kind: 'auto_handle' | 'implicit_handle' | 'explicit_handle'; name?: string };
  /** Constants, evaluated. */
  consts: Record<string, number | string>;
  /** Structs and enums by name, in declaration order. */
  types: Record<string, IdlNamedType>;
  /** Typedef names that alias something else (kept for codegen), with the aliased type. */
  aliases: Record<string, IdlType>;
  procedures: IdlProcedure[];
  /**
   * Procedures that use what winrpc cannot marshal yet (a pipe, an interface pointer...):
   * they keep their opnums, so the others keep theirs, and a call to one is refused.
   */
  unavailable?: UnavailableProcedure[];
  loc: SourceLocation;
}

export interface UnavailableProcedure {
  name: string;
  opnum: number;
  /** What winrpc cannot do, with the position of its use (`file:line:column: ...`). */
  reason: string;
}

export interface IdlModel {
  file: string;
  interfaces: IdlInterface[];
  /**
   * What the file declares that winrpc skipped (object interfaces, pipes, C unions...):
   * valid MIDL that no procedure of these interfaces uses. A procedure that uses one is an
   * IdlError instead.
   */
  warnings: IdlWarning[];
}
