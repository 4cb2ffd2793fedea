// A completed call's C memory -> JS values: the return value from the reply, and
// each [out] / [in, out] parameter from its pointee, following pointers through the
// arena and the blocks the NDR engine allocated.
import type { CompiledParam, CompiledProcedure, TypeLayout } from '../ndr/compiled.js';
import { ContextHandle } from './context-handle.js';
import { evaluateCorrelation } from './correlation.js';
import { armFor, type CallPlan, checkCountRange, checkStringRange } from './encode-call.js';
import { MemoryView, type ReadableMemory } from './memory-view.js';
import type { NativeCallResult } from './native-addon.js';
import { RpcError } from './rpc-error.js';
import { readScalar } from './scalars.js';
import { guidString, isByteElement, isGuid, isLargeInteger, isSid, shapedStruct } from './value-shapes.js';

/** What a procedure resolves to: its return value, or an object of its [out] values. */
export function decodeCall(proc: CompiledProcedure, plan: CallPlan, result: NativeCallResult): unknown {
  const outParams = proc.params.filter((p) => p.direction !== 'in');
  const returnValue = proc.returnType ? decodeReturn(proc.returnType, result.reply, plan) : undefined;
  if (outParams.length === 0) return returnValue;

  const memory = new MemoryView([{ address: result.arenaAddress, bytes: result.arena }, ...result.blocks]);
  const base = Number(result.arenaAddress);
  const decoded = new Map<string, unknown>();
  // One reader for the whole reply, so full pointers alias across parameters too.
  const reader = new Reader(memory, (name, deref) => sizeOf(name, deref));
  const decodeParam = (param: CompiledParam): unknown => {
    if (decoded.has(param.name)) return decoded.get(param.name);
    const at = plan.pointees.get(param.name);
    const pointee = param.type.kind === 'pointer' ? param.type.target : param.type;
    const value =
      at === undefined
        ? null
        : pointee.kind === 'context_handle'
          ? contextHandle(pointee, memory, base + at, param, plan)
          : reader.read(pointee, base + at, true);
    decoded.set(param.name, value);
    return value;
  };
  // Sizes of [out] arrays may come from other [out] parameters (length_is(*len)).
  const sizeOf = (name: string, deref: boolean): number | undefined => {
    const param = proc.params.find((p) => p.name === name);
    if (!param) return undefined;
    const value = param.direction === 'in' ? plan.inputs.get(name) : decodeParam(param);
    if (deref && param.type.kind !== 'pointer') return undefined;
    return sizeNumber(value);
  };

  const values: Record<string, unknown> = {};
  for (const param of outParams) values[param.name] = decodeParam(param);
  if (proc.returnType) values.returnValue = returnValue;
  return values;
}

/**
 * An [out] handle is new; an [in, out] one is the caller's object, updated with what
 * the engine left (NULL when the server closed it). Either way null once closed.
 */
function contextHandle(
  type: Extract<TypeLayout, { kind: 'context_handle' }>,
  memory: MemoryView,
  address: number,
  param: CompiledParam,
  plan: CallPlan,
): ContextHandle | null {
  const { view, offset } = memory.locate(address, 8);
  const value = view.getBigUint64(offset, true);
  const given = plan.inputs.get(param.name);
  if (param.direction === 'inout' && given instanceof ContextHandle) {
    given.update(value);
    return given.isOpen ? given : null;
  }
  return value === 0n ? null : adopt(plan, new ContextHandle(plan.interfaceUuid, type.typeName, value));
}

/** A new handle gets its interface's closer (for Symbol.asyncDispose). */
function adopt(plan: CallPlan, handle: ContextHandle): ContextHandle {
  plan.adoptHandle?.(handle);
  return handle;
}

// The reply's 8 bytes, reused by every call: a return value is read out at once and
// the view never escapes, so no buffer is allocated per call (GC time in `npm run bench`).
const replyView = new DataView(new ArrayBuffer(8));

/** The return value from RpcAsyncCompleteCall's reply (also the whole result of a call without [out] data). */
export function decodeReturn(type: TypeLayout, reply: bigint, plan: CallPlan): unknown {
  if (type.kind === 'context_handle') {
    return reply === 0n ? null : adopt(plan, new ContextHandle(plan.interfaceUuid, type.typeName, reply));
  }
  const view = replyView;
  view.setBigUint64(0, BigInt.asUintN(64, reply), true);
  if (type.kind === 'primitive') return readScalar(view, 0, type.primitive);
  if (type.kind === 'enum') return view.getInt32(0, true);
  if (type.kind === 'int3264')
    return Number(type.signed ? view.getBigInt64(0, true) : view.getBigUint64(0, true));
  throw new TypeError(`return values of kind ${type.kind} are not supported yet`);
}

const RPC_S_INVALID_TAG = 1733;
const RPC_X_INVALID_BOUND = 1734;
const RPC_X_BAD_STUB_DATA = 1783;

/**
 * A reply whose memory cannot be what the layout says: the status the NDR engine raises
 * for the same fault, as an RpcError (the call failed; the caller's arguments were fine).
 */
function badReply(status: number, detail: string): RpcError {
  return new RpcError(status, { detail });
}

/** A [range] check on reply data: the RangeError the encoder gives, as RPC_X_INVALID_BOUND. */
function checkReplyRange(check: () => void): void {
  try {
    check();
  } catch (e) {
    if (e instanceof RangeError) throw badReply(RPC_X_INVALID_BOUND, e.message);
    throw e;
  }
}

export type SizeSource = (name: string, deref: boolean) => number | undefined;

/** A struct decoded as a plain record (not a GUID, LARGE_INTEGER or SID string). */
function isPlainStruct(type: TypeLayout): boolean {
  return !isGuid(type) && !isLargeInteger(type) && !isSid(type);
}

/** A decoded size value as a number: an integer, or a `char` (unsigned char) count by its code. */
export function sizeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return typeof value === 'string' && value.length === 1 ? value.charCodeAt(0) : undefined;
}

/** Reads values of a layout from C memory (a reply's here; a request's in lib/server). */
export class Reader {
  private readonly fullPointers = new Map<number, unknown>();
  /** Pointer targets being read, outermost first (cycles: `followed`). */
  private readonly onPath = new Set<number>();

  constructor(
    private readonly memory: ReadableMemory,
    private readonly paramSize: SizeSource,
  ) {}

  /** `topLevel`: conformant data sized by parameters; inside structs, by fields. */
  read(type: TypeLayout, address: number, topLevel: boolean, fields?: SizeSource): unknown {
    const sizes = topLevel ? this.paramSize : (fields ?? this.paramSize);
    switch (type.kind) {
      case 'primitive': {
        const { view, offset } = this.memory.locate(address, type.size);
        return readScalar(view, offset, type.primitive);
      }
      case 'enum': {
        const { view, offset } = this.memory.locate(address, 4);
        return view.getInt32(offset, true);
      }
      case 'struct': {
        if (isGuid(type)) {
          const { view, offset } = this.memory.locate(address, 16);
          return guidString(view, offset);
        }
        return shapedStruct(type, this.readFields(type, address, {}));
      }
      case 'pointer': {
        const target = this.memory.pointerAt(address);
        if (target === 0) return null;
        if (type.pointer === 'full') {
          // Full pointers keep their aliasing: one object per address.
          if (this.fullPointers.has(target)) return this.fullPointers.get(target);
          const pointee = type.target;
          if (pointee.kind === 'struct' && isPlainStruct(pointee)) {
            // Known before its fields are read, so a [ptr] that leads back (a cyclic
            // list, which a server may send) aliases it instead of recursing forever.
            const record: Record<string, unknown> = {};
            this.fullPointers.set(target, record);
            return this.followed(target, () => this.readFields(pointee, target, record));
          }
          const value = this.followed(target, () => this.read(pointee, target, topLevel, fields));
          this.fullPointers.set(target, value);
          return value;
        }
        return this.followed(target, () => this.read(type.target, target, topLevel, fields));
      }
      case 'array': {
        // A fixed array with length_is holds only its first length_is elements.
        const count = type.count !== undefined && !type.lengthIs ? type.count : this.count(type, sizes);
        // With first_is, the elements sent start at that index.
        const first = type.firstIs ? (evaluateCorrelation(type.firstIs, sizes) ?? 0) : 0;
        const room = type.count ?? (type.lengthIs && type.sizeIs ? this.count(type, sizes, true) : undefined);
        if (!Number.isInteger(first) || first < 0 || (room !== undefined && first + count > room)) {
          throw badReply(
            RPC_X_INVALID_BOUND,
            `an [out] array's elements ${first}..${first + count} lie outside its ${room ?? 'size'}`,
          );
        }
        const start = address + first * type.element.size;
        // The whole array must lie in the call's memory before any element is read, so
        // a hostile count (of elements that read nothing, or NULL pointers) ends at once.
        this.memory.locate(start, count * type.element.size);
        // Byte data comes back as one copy, not an array of numbers.
        if (isByteElement(type.element)) return this.memory.copyBytes(start, count);
        const items: unknown[] = [];
        for (let i = 0; i < count; i++)
          items.push(this.read(type.element, start + i * type.element.size, topLevel, fields));
        return items;
      }
      case 'string': {
        const text = this.readString(
          type.char,
          address,
          type.count ?? (type.sizeIs ? this.count(type, sizes) : undefined),
        );
        if (type.range) {
          const units = type.char === 'char' ? new TextEncoder().encode(text).length : text.length;
          checkReplyRange(() => checkStringRange(units, type.range, 'a [string] in the reply'));
        }
        return text;
      }
      case 'union':
        return this.readUnion(type, address, topLevel, sizes, fields);
      case 'int3264': {
        const { view, offset } = this.memory.locate(address, 8);
        return Number(type.signed ? view.getBigInt64(offset, true) : view.getBigUint64(offset, true));
      }
      case 'ignore':
        return null;
      default:
        throw new TypeError(`[out] values of kind ${(type as { kind: string }).kind} are not supported yet`);
    }
  }

  /** A struct's fields into `record` (sizes inside it come from its own fields). */
  private readFields(
    type: Extract<TypeLayout, { kind: 'struct' }>,
    address: number,
    record: Record<string, unknown>,
  ): Record<string, unknown> {
    const fieldSize: SizeSource = (name, deref) => {
      const value = record[name];
      if (deref) return undefined;
      return sizeNumber(value);
    };
    for (const field of type.fields) {
      record[field.name] = this.read(field.type, address + field.offset, false, fieldSize);
    }
    return record;
  }

  /**
   * Reads what a pointer points at. A pointer into memory that is still being read
   * further up (a [unique] list whose `next` leads back) would recurse forever: the
   * NDR engine never unmarshals one, so it is bad stub data.
   */
  private followed<T>(target: number, read: () => T): T {
    if (this.onPath.has(target)) {
      throw badReply(
        RPC_X_BAD_STUB_DATA,
        `a pointer in the reply at 0x${target.toString(16)} leads back into itself`,
      );
    }
    this.onPath.add(target);
    const value = read();
    this.onPath.delete(target);
    return value;
  }

  /** `{ case, <arm member>: value }`: the discriminant and the member it selects. */
  private readUnion(
    type: Extract<TypeLayout, { kind: 'union' }>,
    address: number,
    topLevel: boolean,
    sizes: SizeSource,
    fields: SizeSource | undefined,
  ): Record<string, unknown> {
    const tag = type.encapsulated
      ? Number(this.read(type.switchType, address, topLevel, fields))
      : type.switchIs
        ? evaluateCorrelation(type.switchIs, sizes)
        : undefined;
    if (tag === undefined) throw badReply(RPC_S_INVALID_TAG, 'a union in the reply has no discriminant');
    const arm = armFor(type, tag);
    if (!arm) throw badReply(RPC_S_INVALID_TAG, `the reply's union discriminant ${tag} selects no arm`);
    const result: Record<string, unknown> = { case: tag };
    if (arm.member) {
      const memberAt = address + (type.encapsulated?.unionOffset ?? 0);
      result[arm.member.name] = this.read(arm.member.type, memberAt, topLevel, fields);
    }
    return result;
  }

  /** The elements sent (length_is, else size_is), or with `allocated` the size_is. */
  private count(
    type: Extract<TypeLayout, { kind: 'array' | 'string' }>,
    sizes: SizeSource,
    allocated = false,
  ): number {
    const correlation = (type.kind === 'array' && !allocated ? type.lengthIs : undefined) ?? type.sizeIs;
    const count = correlation ? evaluateCorrelation(correlation, sizes) : undefined;
    if (count === undefined || !Number.isInteger(count) || count < 0) {
      throw badReply(
        RPC_X_INVALID_BOUND,
        `an [out] array's size is ${count === undefined ? 'missing' : count}`,
      );
    }
    if (type.kind === 'array' && type.sizeIs && type.sizeRange) {
      const size = evaluateCorrelation(type.sizeIs, sizes) ?? 0;
      checkReplyRange(() => checkCountRange(type, size, 'an [out] array in the reply'));
    }
    return count;
  }

  /**
   * Reads up to the NUL (or `capacity` units, when the string is sized): found with one
   * scan of the region's bytes and decoded in bulk, not located unit by unit. A string
   * that runs off its memory without a NUL is bad stub data.
   */
  private readString(char: 'char' | 'wchar_t', address: number, capacity?: number): string {
    if (capacity === 0) return '';
    const unit = char === 'char' ? 1 : 2;
    const bytes = this.memory.bytesFrom(address, unit);
    const room = Math.floor(bytes.length / unit);
    const limit = capacity === undefined ? room : Math.min(capacity, room);
    // wchar_t units are copied once into an aligned array (the reply's may be unaligned).
    const units = unit === 1 ? bytes.subarray(0, limit) : new Uint16Array(bytes.slice(0, limit * 2).buffer);
    const nul = units.indexOf(0);
    const length = nul === -1 ? limit : nul;
    if (nul === -1 && (capacity === undefined || capacity > room)) {
      throw new RpcError(RPC_X_BAD_STUB_DATA, {
        detail: `a string in the reply at 0x${address.toString(16)} runs past the call's memory`,
      });
    }
    if (unit === 1) return new TextDecoder().decode(units.subarray(0, length));
    // UTF-16 code units as they are (lone surrogates included), in chunks fromCharCode takes.
    let text = '';
    for (let i = 0; i < length; i += 8192) {
      text += String.fromCharCode.apply(
        null,
        units.subarray(i, Math.min(i + 8192, length)) as unknown as number[],
      );
    }
    return text;
  }
}
