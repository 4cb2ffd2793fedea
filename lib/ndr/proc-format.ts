// Oicf procedure descriptors: the Oi header, the Oi2 header with the x64 extension,
// and one Oif parameter descriptor per parameter and the return value.
import { IdlError, notSupported } from '../idl/errors.js';
import type { IdlProcedure } from '../idl/model.js';
import { hasConformance, hasPointers, isRegisterSized, isSimple, wireSize } from './classify.js';
import type { CompiledParam, CompiledProcedure, TypeLayout } from './compiled.js';
import { CTX, FC, OI_FLAGS, OI_FULL_PTR_USED, OI2, OI2_EXT, PARAM, PTR_FLAGS, RPC_NCA } from './fc.js';
import type { FormatBuffer } from './format-buffer.js';
import { type LayoutEngine, resolveSwitchOperands } from './layout.js';
import { baseTypeFc, type CorrContext, type TypeFormatBuilder } from './type-format.js';

export interface ProcOptions {
  /** Describe the procedure as [async] (HasAsyncHandle, PRPC_ASYNC_STATE in slot 0). */
  async: boolean;
  /**
   * 'explicit': an explicit primitive handle_t slot after the async slot (winrpc's engine).
   * 'auto': FC_AUTO_HANDLE and no handle slot, as widl/MIDL emit for implicit binding
   * (for differential tests only).
   */
  binding: 'explicit' | 'auto';
  /** 6-byte correlation descriptors and HasNewCorrDesc (MIDL's /robust, the default). */
  robust: boolean;
  /** MIDL's /target NT60 forms: HasRangeOnConformance and 16-byte descriptors (compile.ts). */
  rangeOnConformance?: boolean;
  /**
   * 'auto' only: each [handle] type's index in the stub's generic binding routine pair
   * table (in order of first use as a procedure's binding, as widl numbers them).
   */
  genericRoutines?: ReadonlyMap<string, number>;
}

interface ParamPlan {
  name: string;
  direction: 'in' | 'out' | 'inout' | 'return';
  layout: TypeLayout;
  stackOffset: number;
  flags: number;
  /** A base type's format char (inline), or an offset into the type format string. */
  inline?: number;
  typeOffset?: number;
  correlated: boolean;
  /** A context handle parameter: its FC_BIND_CONTEXT flags and rundown index. */
  contextDesc?: { flags: number; rundown: number };
}

/**
 * The x64 stack position of every slot: [PRPC_ASYNC_STATE][handle_t] params... [return].
 * Every argument takes one 8-byte slot (structs by value are not supported yet).
 */
export function compileProcedure(
  proc: IdlProcedure,
  layouts: LayoutEngine,
  types: TypeFormatBuilder,
  out: FormatBuffer,
  opts: ProcOptions,
): CompiledProcedure {
  let slot = 0;
  const asyncStackOffset = opts.async ? slot++ * 8 : null;
  const bindingStackOffset = opts.binding === 'explicit' ? slot++ * 8 : null;
  const params: ParamPlan[] = [];
  const byName = new Map<string, { stackOffset: number; type: TypeLayout; index: number }>();
  proc.params.forEach((p, index) => {
    const layout = layouts.layout(p.type, 'param', p.loc);
    if (
      layout.kind === 'array' ||
      ((layout.kind === 'struct' || layout.kind === 'union') && p.direction !== 'in')
    )
      throw notSupported(`${layout.kind} passed by value ('${p.name}')`, p.loc);
    const stackOffset = slot++ * 8;
    params.push({ name: p.name, direction: p.direction, layout, stackOffset, flags: 0, correlated: false });
    byName.set(p.name, { stackOffset, type: layout, index });
  });
  // A union's discriminant may take its type from another parameter (resolveSwitchOperands).
  const operands = new Map(params.map((p) => [p.name, p.layout]));
  for (const p of params) {
    p.layout = resolveSwitchOperands(p.layout, operands);
    const entry = byName.get(p.name);
    if (entry) entry.type = p.layout;
  }
  let ret: ParamPlan | undefined;
  if (proc.returnType.kind !== 'void') {
    const layout = layouts.layout(proc.returnType, 'param', proc.loc);
    if (baseTypeFc(layout) === undefined && layout.kind !== 'context_handle')
      throw notSupported(`return type ${layout.kind}`, proc.loc);
    ret = { name: '', direction: 'return', layout, stackOffset: slot++ * 8, flags: 0, correlated: false };
  }
  const stackSize = slot * 8;

  // Type descriptors and parameter attributes.
  params.forEach((p, index) => {
    const ctx: CorrContext = {
      kind: 'param',
      params: byName,
      index,
      loc: proc.params[index]?.loc ?? proc.loc,
    };
    const before = types.usedCorrelation;
    types.usedCorrelation = false;
    describeParam(p, ctx, types, opts.rangeOnConformance ?? false);
    p.correlated = types.usedCorrelation;
    types.usedCorrelation ||= before;
  });
  if (ret)
    describeParam(
      ret,
      { kind: 'param', params: byName, index: params.length, loc: proc.loc },
      types,
      opts.rangeOnConformance ?? false,
    );

  // MIDL binds through the first [in] or [in, out] context handle when there is no handle_t;
  // winrpc's engine always passes a primitive handle (the one the context handle came from).
  let contextBinding: { flags: number; rundown: number; paramNum: number; stackOffset: number } | undefined;
  if (opts.binding === 'auto') {
    for (const [index, p] of params.entries()) {
      const d = p.contextDesc;
      if (d && d.flags & CTX.IS_IN) {
        contextBinding = { ...d, paramNum: index, stackOffset: p.stackOffset };
        break;
      }
    }
  }

  // MIDL's order: the leftmost explicit handle (handle_t or a [handle] type) before any
  // context handle. Only the widl-comparison mode binds through it; winrpc's engine
  // passes its primitive handle and sends the generic handle's value as a parameter.
  const generic = opts.binding === 'auto' ? proc.genericBinding : undefined;
  if (generic) contextBinding = undefined;

  const all = ret ? [...params, ret] : params;
  let clientBuffer = 0;
  let serverBuffer = 0;
  let clientMustSize = false;
  let serverMustSize = false;
  let clientCorr = 0;
  let serverCorr = 0;
  for (const p of all) {
    const isIn = p.direction === 'in' || p.direction === 'inout';
    const isOut = p.direction !== 'in';
    const size = constantBufferSize(p.layout);
    if (size === undefined) {
      p.flags |= PARAM.MustSize;
      if (isIn) clientMustSize = true;
      if (isOut) serverMustSize = true;
    } else {
      if (isIn) clientBuffer += size;
      if (isOut) serverBuffer += size;
    }
    if (p.correlated && isIn) serverCorr++;
    if (p.correlated && isOut) clientCorr++;
  }
  if (clientBuffer > 0xffff || serverBuffer > 0xffff) throw notSupported('parameters this large', proc.loc);

  // The x64 extension's FloatDoubleMask: two bits per argument slot, 1 = float, 2 = double
  // (the engine needs it to move register arguments between integer and XMM registers).
  let floatMask = 0;
  for (const p of params) {
    const pos = p.stackOffset / 8;
    if (pos >= 8 || p.layout.kind !== 'primitive') continue;
    if (p.layout.primitive === 'float') floatMask |= 1 << (pos * 2);
    if (p.layout.primitive === 'double') floatMask |= 2 << (pos * 2);
  }

  const fullPointers = all.some((p) => hasFullPointer(p.layout, new Set()));
  const offset = out.length;
  out.u8(
    opts.binding === 'explicit' || contextBinding || generic ? 0 : FC.AUTO_HANDLE,
    OI_FLAGS | (fullPointers ? OI_FULL_PTR_USED : 0),
  );
  out.u32(rpcFlags(proc));
  if (proc.opnum > 0xffff || stackSize > 0xffff)
    throw new IdlError('procedure number or stack size out of range', proc.loc);
  out.u16(proc.opnum);
  out.u16(stackSize);
  if (opts.binding === 'explicit') {
    out.u8(FC.BIND_PRIMITIVE, 0);
    out.u16(bindingStackOffset as number);
  } else if (generic) {
    const p = params[generic.index];
    const routine = opts.genericRoutines?.get(generic.typeName);
    if (!p || routine === undefined)
      throw new IdlError(`generic handle '${generic.name}' not found`, proc.loc);
    // flag_and_size: HANDLE_PARAM_IS_VIA_PTR (0x80) and how many bytes of the slot (or of
    // what it points to) make the handle object given to the bind routine. x64 passes a
    // handle of 1, 2, 4 or 8 bytes by value and any other by the address of a copy, which
    // is what the slot of a by-value parameter (or a pointer parameter itself) holds.
    const target = p.layout.kind === 'pointer' ? p.layout.target.size : 0;
    const flagAndSize =
      generic.viaPointer && isRegisterSized(target)
        ? 0x80 | target
        : generic.viaPointer || !isRegisterSized(p.layout.size)
          ? 8
          : p.layout.size;
    out.u8(FC.BIND_GENERIC, flagAndSize);
    out.u16(p.stackOffset);
    out.u8(routine, FC.PAD);
  } else if (contextBinding) {
    // MIDL's header copy of an [in, out] handle leaves out CANNOT_BE_NULL (0xe0 where the
    // type format string has 0xe1: LsarClose in ms-lsar_x64.c).
    const viaPtr = contextBinding.flags & CTX.VIA_PTR;
    out.u8(FC.BIND_CONTEXT, viaPtr ? contextBinding.flags & ~CTX.CANNOT_BE_NULL : contextBinding.flags);
    out.u16(contextBinding.stackOffset);
    out.u8(contextBinding.rundown, contextBinding.paramNum);
  }
  out.u16(clientBuffer);
  out.u16(serverBuffer);
  let oi2 = OI2.HasExtensions;
  if (serverMustSize) oi2 |= OI2.ServerMustSize;
  if (clientMustSize) oi2 |= OI2.ClientMustSize;
  if (ret) oi2 |= OI2.HasReturn;
  if (opts.async) oi2 |= OI2.HasAsyncHandle;
  out.u8(oi2, all.length);
  let ext = 0;
  if (opts.robust) {
    ext |= OI2_EXT.HasNewCorrDesc;
    if (clientCorr) ext |= OI2_EXT.ClientCorrCheck;
    if (serverCorr) ext |= OI2_EXT.ServerCorrCheck;
    // Every procedure of a /target NT60 stub says so, correlated or not (ms-even_c.c).
    if (opts.rangeOnConformance) ext |= OI2_EXT.HasRangeOnConformance;
  }
  // A struct or union by value that x64 passes by reference to a copy (not 1, 2, 4 or 8
  // bytes): HasBigByValueParam (WinGetServer_c.c, MIDL 8.01: 0x83 for [in] GUID clsid).
  if (
    params.some(
      (p) => (p.layout.kind === 'struct' || p.layout.kind === 'union') && !isRegisterSized(p.layout.size),
    )
  )
    ext |= OI2_EXT.HasBigByValueParam;
  out.u8(10, ext); // extension size for 64-bit: 10 bytes
  out.u16(opts.robust ? clientCorr : 0); // ClientCorrHint (cache size hint; 0 = default)
  out.u16(opts.robust ? serverCorr : 0); // ServerCorrHint
  out.u16(0); // NotifyIndex
  out.u16(floatMask);
  for (const p of all) {
    out.u16(p.flags);
    out.u16(p.stackOffset);
    if (p.inline !== undefined) out.u8(p.inline, 0);
    else out.u16(p.typeOffset as number);
  }

  const compiledParams: CompiledParam[] = params.map((p, i) => {
    const genericHandle = proc.params[i]?.genericHandle;
    return {
      name: p.name,
      direction: p.direction as CompiledParam['direction'],
      stackOffset: p.stackOffset,
      type: p.layout,
      ...(genericHandle ? { genericHandle } : {}),
    };
  });
  return {
    name: proc.name,
    opnum: proc.opnum,
    procFormatOffset: offset,
    stackSize,
    params: compiledParams,
    returnType: ret?.layout ?? null,
    returnStackOffset: ret?.stackOffset ?? null,
    asyncStackOffset,
    bindingStackOffset,
    floatMask,
  };
}

/**
 * The Oi header's rpc_flags: the RPC_NCA_FLAGS_* call semantics, as MIDL writes them
 * (RogueOxidResolver_s.c, MIDL 8.01.0622 x64: 0x1 for each [idempotent] procedure).
 * [maybe] and [broadcast] take the rpcdcep.h bits; no public MIDL output with them was
 * found, and widl writes the same bits.
 */
function rpcFlags(proc: IdlProcedure): number {
  const f = proc.rpcFlags;
  if (!f) return 0;
  if (f.maybe && (proc.returnType.kind !== 'void' || proc.params.some((p) => p.direction !== 'in')))
    throw new IdlError(
      `[maybe] procedure '${proc.name}' cannot have [out] parameters or a return value`,
      proc.loc,
    );
  return (
    (f.idempotent ? RPC_NCA.IDEMPOTENT : 0) |
    (f.broadcast ? RPC_NCA.BROADCAST : 0) |
    (f.maybe ? RPC_NCA.MAYBE : 0)
  );
}

function describeParam(
  p: ParamPlan,
  ctx: CorrContext,
  types: TypeFormatBuilder,
  rangeOnConformance: boolean,
): void {
  const isIn = p.direction === 'in' || p.direction === 'inout';
  const isOut = p.direction !== 'in';
  if (isIn) p.flags |= PARAM.IsIn;
  if (isOut) p.flags |= PARAM.IsOut;
  if (p.direction === 'return') p.flags |= PARAM.IsReturn;
  const fc = baseTypeFc(p.layout);
  if (p.layout.kind === 'context_handle') {
    // By value: [in] (never NULL) or the return value.
    const flags = isIn ? CTX.CANNOT_BE_NULL | CTX.IS_IN : CTX.IS_OUT | CTX.IS_RETURN;
    p.typeOffset = types.contextHandle(p.layout, flags, ctx.index);
    p.contextDesc = {
      flags: types.buf.bytes[p.typeOffset + 1] as number,
      rundown: types.buf.bytes[p.typeOffset + 2] as number,
    };
    return;
  }
  if (p.layout.kind === 'struct' || p.layout.kind === 'union') {
    // An [in] struct or union by value. The x64 ABI passes one of 1, 2, 4 or 8 bytes in the
    // slot itself (IsByValue) and any other by reference to a copy, which the engine reads
    // as a simple ref pointer (what widl writes, and what every engine understands).
    p.flags |= PARAM.MustFree | (isRegisterSized(p.layout.size) ? PARAM.IsByValue : PARAM.IsSimpleRef);
    p.typeOffset = types.complex(p.layout, ctx);
    return;
  }
  if ((p.layout.kind === 'primitive' || p.layout.kind === 'enum') && p.layout.range) {
    p.flags |= PARAM.IsByValue;
    p.typeOffset = types.range(p.layout);
    return;
  }
  if (p.layout.kind === 'pointer' && p.layout.target.kind === 'context_handle') {
    if (p.layout.pointer !== 'ref')
      throw notSupported('a [unique] or [ptr] pointer to a context handle', ctx.loc);
    // An [in, out] handle must come in non-NULL, as MIDL marks it in the type format
    // string (0xe1: ms-lsar_x64.c, ms-rprn_c.c; the proc header's binding copy has 0xe0).
    const flags = CTX.VIA_PTR | (isIn ? CTX.IS_IN | CTX.CANNOT_BE_NULL : 0) | (isOut ? CTX.IS_OUT : 0);
    // The pointer's descriptor is written too (MIDL and widl do), the parameter names the handle's.
    types.buf.u8(FC.RP, 0);
    types.buf.u16(2);
    p.typeOffset = types.contextHandle(p.layout.target, flags, ctx.index);
    p.contextDesc = {
      flags: types.buf.bytes[p.typeOffset + 1] as number,
      rundown: types.buf.bytes[p.typeOffset + 2] as number,
    };
    p.flags |= PARAM.IsSimpleRef;
    return;
  }
  if (fc !== undefined) {
    if (p.layout.kind === 'primitive' && p.layout.primitive === 'handle_t')
      throw notSupported('handle_t here', ctx.loc);
    p.flags |= PARAM.IsBasetype;
    p.inline = fc;
    return;
  }
  if (p.layout.kind !== 'pointer') throw notSupported(`parameter of kind ${p.layout.kind}`, ctx.loc);
  if (p.layout.arrayParam) {
    // Described by the array (or string) itself; the slot holds its address.
    p.flags |= PARAM.MustFree;
    p.typeOffset = types.complex(p.layout.target, ctx);
    return;
  }
  const ptr = p.layout;
  const target = ptr.target;
  const targetFc = baseTypeFc(target);
  const isRef = ptr.pointer === 'ref';
  // [out]-only ref pointers to fixed-size data: the server stub allocates them on its stack.
  // (widl also does so for [in, out] enum16, which cannot be unmarshalled in place.)
  // (And for every direction, the pointer cell a top-level ref pointer to a pointer points at.)
  const stackAllocated =
    p.direction === 'out' ||
    (p.direction === 'inout' && targetFc === FC.ENUM16) ||
    (target.kind === 'pointer' && !hasConformance(target.target));
  if (stackAllocated && isRef && target.size > 0 && target.size <= 56 && !hasConformance(target)) {
    p.flags |= Math.ceil(target.size / 8) << PARAM.ServerAllocSizeShift;
  }
  if (targetFc !== undefined && isRef && targetFc !== FC.ENUM16) {
    // A simple ref pointer to a base type: described inline. The pointer descriptor
    // is still written, as MIDL and widl do.
    types.pointer(ptr, ctx);
    p.flags |= PARAM.IsBasetype | PARAM.IsSimpleRef;
    p.inline = targetFc;
    return;
  }
  if (targetFc === FC.ENUM16 && isRef) {
    // enum16 is 4 bytes in memory but 2 on the wire: not a block-copyable base type here.
    p.typeOffset = types.pointer(ptr, ctx, PTR_FLAGS.ALLOCED_ON_STACK).offset;
    return;
  }
  // A top-level pointer to a pointer, whatever its direction: the server stub keeps the
  // inner pointer cell on its stack (FC_ALLOCED_ON_STACK). MIDL writes it for [unique]
  // ones too (ms-lsar_x64.c: LsarQuerySecret's [in, out, unique] PLSAPR_CR_CIPHER_VALUE *).
  const onStack = target.kind === 'pointer' ? PTR_FLAGS.ALLOCED_ON_STACK : 0;
  const { offset, target: targetOffset } = types.pointer(ptr, ctx, onStack);
  p.flags |= PARAM.MustFree;
  // A ranged string's FC_SUPPLEMENT is reached through its pointer, never as a simple ref
  // (ms_scmr_c.c @702: RCreateServiceW's lpServiceName, flags 0x000b, offset of the FC_RP).
  const supplement = rangeOnConformance && target.kind === 'string' && !!target.range;
  if (isRef && target.kind !== 'pointer' && !supplement) {
    p.flags |= PARAM.IsSimpleRef;
    p.typeOffset = targetOffset;
  } else {
    p.typeOffset = offset;
  }
}

function hasFullPointer(t: TypeLayout, seen: Set<TypeLayout>): boolean {
  if (seen.has(t)) return false;
  seen.add(t);
  switch (t.kind) {
    case 'pointer':
      return t.pointer === 'full' || hasFullPointer(t.target, seen);
    case 'array':
      return hasFullPointer(t.element, seen);
    case 'struct':
      return t.fields.some((f) => hasFullPointer(f.type, seen));
    case 'union':
      return t.arms.some((a) => !!a.member && hasFullPointer(a.member.type, seen));
    default:
      return false;
  }
}

/**
 * The most wire bytes a parameter can take when that is known without sizing it, with
 * room for alignment (widl's rule: size plus max(alignment, 4)); undefined when the
 * engine must size the parameter (MustSize).
 */
export function constantBufferSize(t: TypeLayout): number | undefined {
  // A context handle is 20 bytes on the wire (attributes + UUID).
  if (t.kind === 'context_handle') return 24;
  if (t.kind === 'pointer' && t.target.kind === 'context_handle') return 24;
  if ((t.kind === 'primitive' || t.kind === 'enum') && t.range) return wireSize(t) + Math.max(wireSize(t), 4);
  const fc = baseTypeFc(t);
  if (fc !== undefined) return wireSize(t) + Math.max(wireSize(t), 4);
  // A simple struct by value (or by reference to a copy): its bytes and alignment.
  if (t.kind === 'struct' && isSimple(t)) return t.size + t.align;
  if (t.kind === 'pointer' && t.arrayParam) {
    const a = t.target;
    const fixed = a.kind === 'array' && a.count !== undefined && !hasConformance(a) && !hasPointers(a);
    return fixed ? a.size + Math.max(a.align, 4) : undefined;
  }
  if (t.kind === 'pointer') {
    const target = t.target;
    const tfc = baseTypeFc(target);
    if (tfc !== undefined) {
      const inner = wireSize(target) + Math.max(wireSize(target), 4);
      if (t.pointer === 'ref') return inner;
      return 8 + inner; // the referent id, then the pointee
    }
    if (target.kind === 'struct' && isSimple(target))
      return (t.pointer === 'ref' ? 0 : 8) + target.size + target.align;
    // A ref pointer to a pointer to a base type: the inner pointer's referent id and pointee.
    if (t.pointer === 'ref' && target.kind === 'pointer' && baseTypeFc(target.target) !== undefined)
      return constantBufferSize(target);
  }
  return undefined;
}
