// NDR format characters (rpcndr.h / "RPC NDR Format Strings"). Only the ones winrpc emits.
export const FC = {
  BYTE: 0x01,
  CHAR: 0x02,
  SMALL: 0x03,
  USMALL: 0x04,
  WCHAR: 0x05,
  SHORT: 0x06,
  USHORT: 0x07,
  LONG: 0x08,
  ULONG: 0x09,
  FLOAT: 0x0a,
  HYPER: 0x0b,
  DOUBLE: 0x0c,
  ENUM16: 0x0d,
  ENUM32: 0x0e,
  ERROR_STATUS_T: 0x10,
  RP: 0x11,
  UP: 0x12,
  OP: 0x13,
  FP: 0x14,
  STRUCT: 0x15,
  PSTRUCT: 0x16,
  CSTRUCT: 0x17,
  CPSTRUCT: 0x18,
  CVSTRUCT: 0x19,
  BOGUS_STRUCT: 0x1a,
  CARRAY: 0x1b,
  CVARRAY: 0x1c,
  SMFARRAY: 0x1d,
  LGFARRAY: 0x1e,
  SMVARRAY: 0x1f,
  LGVARRAY: 0x20,
  BOGUS_ARRAY: 0x21,
  C_CSTRING: 0x22,
  CSTRING: 0x26,
  ENCAPSULATED_UNION: 0x2a,
  NON_ENCAPSULATED_UNION: 0x2b,
  BIND_CONTEXT: 0x30,
  IGNORE: 0x0f,
  SUPPLEMENT: 0xb6,
  RANGE: 0xb7,
  INT3264: 0xb8,
  UINT3264: 0xb9,
  C_WSTRING: 0x25,
  WSTRING: 0x29,
  BIND_GENERIC: 0x31,
  BIND_PRIMITIVE: 0x32,
  AUTO_HANDLE: 0x33,
  POINTER: 0x36,
  ALIGNM2: 0x37,
  ALIGNM4: 0x38,
  ALIGNM8: 0x39,
  STRUCTPAD1: 0x3d, // STRUCTPAD1..7 are consecutive
  STRING_SIZED: 0x44,
  EMBEDDED_COMPLEX: 0x4c,
  DEREFERENCE: 0x54,
  DIV_2: 0x55,
  MULT_2: 0x56,
  ADD_1: 0x57,
  SUB_1: 0x58,
  CALLBACK: 0x59,
  END: 0x5b,
  PAD: 0x5c,
} as const;

/** Pointer attribute bits (the byte after FC_RP/FC_UP). */
export const PTR_FLAGS = {
  ALLOCED_ON_STACK: 0x04,
  SIMPLE_POINTER: 0x08,
  POINTER_DEREF: 0x10,
  MAYBENULL_SIZEIS: 0x20,
} as const;

/** Upper nibble of a correlation descriptor's first byte: where the value lives. */
export const CORR = { NORMAL: 0x00, POINTER: 0x10, TOP_LEVEL: 0x20, CONSTANT: 0x40 } as const;

/** The robust correlation flags (NDR_CORRELATION_FLAGS) after a correlation descriptor. */
export const CORR_FLAGS = {
  EARLY: 0x01,
  SPLIT: 0x02,
  IS_IID_IS: 0x04,
  DONT_CHECK: 0x08,
  RANGED: 0x10,
} as const;

/** PARAM_ATTRIBUTES bits of an Oif parameter descriptor. */
export const PARAM = {
  MustSize: 0x0001,
  MustFree: 0x0002,
  IsPipe: 0x0004,
  IsIn: 0x0008,
  IsOut: 0x0010,
  IsReturn: 0x0020,
  IsBasetype: 0x0040,
  IsByValue: 0x0080,
  IsSimpleRef: 0x0100,
  IsDontCallFreeInst: 0x0200,
  SaveForAsyncFinish: 0x0400,
  ServerAllocSizeShift: 13,
} as const;

/** INTERPRETER_OPT_FLAGS (Oi2) and INTERPRETER_OPT_FLAGS2 (extension). */
export const OI2 = {
  ServerMustSize: 0x01,
  ClientMustSize: 0x02,
  HasReturn: 0x04,
  HasPipes: 0x08,
  HasAsyncUuid: 0x20,
  HasExtensions: 0x40,
  HasAsyncHandle: 0x80,
} as const;
export const OI2_EXT = {
  HasNewCorrDesc: 0x01,
  ClientCorrCheck: 0x02,
  ServerCorrCheck: 0x04,
  HasRangeOnConformance: 0x40,
  HasBigByValueParam: 0x80,
} as const;

/** Oi_flags: Oi_HAS_RPCFLAGS | Oi_USE_NEW_INIT_ROUTINES, as MIDL and widl emit for every -Oicf proc. */
export const OI_FLAGS = 0x48;
/** Oi_FULL_PTR_USED: the stub sets up the full-pointer table ([ptr] anywhere in the call). */
export const OI_FULL_PTR_USED = 0x01;

/** RPC_NCA_FLAGS_* (rpcdcep.h): the call semantics in the Oi header's rpc_flags. */
export const RPC_NCA = { IDEMPOTENT: 0x1, BROADCAST: 0x2, MAYBE: 0x4 } as const;

/** Context handle flags (the byte after FC_BIND_CONTEXT). */
export const CTX = {
  CANNOT_BE_NULL: 0x01,
  SERIALIZE: 0x02,
  NOSERIALIZE: 0x04,
  STRICT: 0x08,
  IS_RETURN: 0x10,
  IS_OUT: 0x20,
  IS_IN: 0x40,
  VIA_PTR: 0x80,
} as const;
