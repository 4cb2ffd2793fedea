// A request's [in] and [in, out] arguments as JS values, shaped as a client passes
// them: read from the argument slots NdrServerCall2 gave the manager routine and the
// memory they point at, with lib/runtime's Reader (the same value mapping as replies).

import { isRegisterSized } from '../ndr/classify.js';
import type { CompiledParam, CompiledProcedure, TypeLayout } from '../ndr/compiled.js';
import { Reader, sizeNumber } from '../runtime/decode-call.js';
import { readScalar } from '../runtime/scalars.js';
import type { RequestMemory } from './request-memory.js';

/** Where by-value argument slots are pinned in the request memory (below any real address). */
const PINNED_SLOTS_AT = 0x100;

export interface DecodedArguments {
  /** [in] and [in, out] values in IDL order. */
  args: unknown[];
  /** The same, by parameter name (result encoding reads sizes from them). */
  inputs: Map<string, unknown>;
}

/**
 * `contextValue` maps an [in] context handle's server context (the slot's or pointee's
 * 8 bytes) to the JS state the server keeps for it.
 */
export function decodeArguments(
  proc: CompiledProcedure,
  slots: BigUint64Array,
  memory: RequestMemory,
  contextValue: (
    context: bigint,
    type: Extract<TypeLayout, { kind: 'context_handle' }>,
    param: string,
  ) => unknown,
): DecodedArguments {
  const decoded = new Map<string, unknown>();
  const pinned = new DataView(slots.buffer, slots.byteOffset, slots.byteLength);
  memory.pin(
    PINNED_SLOTS_AT,
    new Uint8Array(slots.buffer, slots.byteOffset, slots.byteLength).slice().buffer,
  );
  const sizeOf = (name: string, deref: boolean): number | undefined => {
    const param = proc.params.find((p) => p.name === name);
    if (!param || param.direction === 'out') return undefined;
    if (deref && param.type.kind !== 'pointer') return undefined;
    return sizeNumber(decodeParam(param));
  };
  const reader = new Reader(memory, sizeOf);
  const decodeParam = (param: CompiledParam): unknown => {
    if (decoded.has(param.name)) return decoded.get(param.name);
    const value = readParam(param);
    decoded.set(param.name, value);
    return value;
  };
  const readParam = (param: CompiledParam): unknown => {
    const type = param.type;
    const slotAt = param.stackOffset;
    const slot = pinned.getBigUint64(slotAt, true);
    switch (type.kind) {
      case 'primitive':
        return readScalar(pinned, slotAt, type.primitive);
      case 'enum':
        return pinned.getInt32(slotAt, true);
      case 'int3264':
        return Number(type.signed ? pinned.getBigInt64(slotAt, true) : slot);
      case 'context_handle':
        return contextValue(slot, type, param.name);
      case 'pointer': {
        if (slot === 0n) return null;
        if (type.target.kind === 'context_handle') {
          const { view, offset } = memory.locate(Number(slot), 8);
          return contextValue(view.getBigUint64(offset, true), type.target, param.name);
        }
        // Read as the pointer in its (pinned) slot, so [ptr] arguments that arrived as
        // one pointer come out as one object, as they do inside a reply.
        return reader.read(type, PINNED_SLOTS_AT + slotAt, true);
      }
      default:
        // Structs and unions of 1, 2, 4 or 8 bytes come in the slot; larger ones by address.
        if ((type.kind === 'struct' || type.kind === 'union') && isRegisterSized(type.size)) {
          return reader.read(type, PINNED_SLOTS_AT + slotAt, true);
        }
        return reader.read(type, Number(slot), true);
    }
  };
  const args: unknown[] = [];
  for (const param of proc.params) {
    if (param.direction === 'out') continue;
    args.push(decodeParam(param));
  }
  return { args, inputs: decoded };
}
