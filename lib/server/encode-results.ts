// What an implementation returned -> the C memory of a call's [out] values and its
// return value, laid out by lib/runtime's encoder (the same value mapping and checks a
// client's arguments get): each [out] and [in, out] parameter becomes an [in] one of a
// stand-in procedure, and the return value a last by-value slot. Native code copies each
// pointee into the memory the engine gave the manager routine.
import type { CompiledParam, CompiledProcedure, TypeLayout } from '../ndr/compiled.js';
import { encodeCall } from '../runtime/encode-call.js';
import { checkInOutStrings } from './inout-string-bounds.js';

export interface EncodedResults {
  /** The manager routine's return value (the slot's 64 bits). */
  returnBits: bigint;
  arena: Uint8Array;
  relocations: Uint32Array;
  /** (argument slot, arena offset, bytes) per [out] pointee. */
  outs: Uint32Array;
}

/** Name the return value has in error messages (`Divide(returnValue): ...`). */
const RETURN_NAME = 'returnValue';

/**
 * `contextOut` turns an [out] context handle's JS state into the 8 bytes the engine
 * keeps as the handle's server context (`param`: the parameter, undefined for the
 * return value).
 */
export function encodeResults(
  proc: CompiledProcedure,
  inputs: Map<string, unknown>,
  result: unknown,
  contextOut: (
    state: unknown,
    type: Extract<TypeLayout, { kind: 'context_handle' }>,
    param: string | undefined,
  ) => bigint,
): EncodedResults {
  const outParams = proc.params.filter((p) => p.direction !== 'in');
  let returnValue: unknown = result;
  const values = new Map<string, unknown>();
  if (outParams.length > 0) {
    if (typeof result !== 'object' || result === null) {
      throw new TypeError(
        `${proc.name}: the implementation must return an object with ${outParams.map((p) => p.name).join(', ')}${proc.returnType ? ' and returnValue' : ''}`,
      );
    }
    const record = result as Record<string, unknown>;
    returnValue = record.returnValue;
    for (const p of outParams) {
      // An [in, out] value left out stays what the client sent.
      values.set(p.name, p.name in record ? record[p.name] : inputs.get(p.name));
    }
    checkInOutStrings(proc, inputs, values);
  }

  const params: CompiledParam[] = [];
  const args: unknown[] = [];
  const contexts: { slot: number; bits: bigint }[] = [];
  for (const p of proc.params) {
    const target = p.type.kind === 'pointer' ? p.type.target : p.type;
    if (p.direction === 'in') {
      // Kept only as what sizes the [out] data (size_is(n), size_is(*pn)).
      if (isScalar(target)) {
        params.push(p);
        args.push(inputs.get(p.name));
      }
      continue;
    }
    if (target.kind === 'context_handle') {
      contexts.push({
        slot: p.stackOffset / 8,
        bits: contextOut(values.get(p.name), target, p.name),
      });
      continue;
    }
    params.push({ ...p, direction: 'in' });
    args.push(values.get(p.name));
  }
  let returnContext: bigint | undefined;
  if (proc.returnType?.kind === 'context_handle') {
    returnContext = contextOut(returnValue, proc.returnType, undefined);
  } else if (proc.returnType) {
    params.push({ name: RETURN_NAME, direction: 'in', stackOffset: proc.stackSize, type: proc.returnType });
    args.push(returnValue);
  }
  const standIn: CompiledProcedure = { ...proc, params, stackSize: proc.stackSize + 8 };
  const plan = encodeCall(standIn, args);
  const outs: number[] = [];
  for (const p of params) {
    if (p.direction !== 'in' || p.name === RETURN_NAME) continue;
    const original = proc.params.find((o) => o.name === p.name);
    if (!original || original.direction === 'in') continue;
    const at = plan.pointees.get(p.name);
    const size = plan.pointeeSizes.get(p.name);
    if (at === undefined || size === undefined) continue;
    outs.push(p.stackOffset / 8, at, size);
  }
  const { arena, relocations, slots } = plan.encoded;
  // Context handles go into the arena too, as 8-byte pointees of their slots.
  let contextArena = arena;
  if (contexts.length > 0) {
    const base = alignUp(arena.length, 8);
    contextArena = new Uint8Array(base + contexts.length * 8);
    contextArena.set(arena);
    const view = new DataView(contextArena.buffer);
    contexts.forEach((c, i) => {
      view.setBigUint64(base + i * 8, c.bits, true);
      outs.push(c.slot, base + i * 8, 8);
    });
  }
  return {
    returnBits: returnContext ?? (proc.returnType ? (slots[proc.stackSize / 8] ?? 0n) : 0n),
    arena: contextArena,
    relocations,
    outs: Uint32Array.from(outs),
  };
}

function isScalar(type: TypeLayout): boolean {
  return type.kind === 'primitive' || type.kind === 'enum' || type.kind === 'int3264';
}

function alignUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}
