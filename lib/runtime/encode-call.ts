// JS arguments -> the C memory and argument slots of one call. Every check happens
// here, before anything reaches native code: a wrong value is a TypeError or
// RangeError naming its path (`Proc(arg).field[3]`).

import { isConformant, isRegisterSized } from '../ndr/classify.js';
import type {
  CompiledParam,
  CompiledProcedure,
  Correlation,
  FieldLayout,
  TypeLayout,
} from '../ndr/compiled.js';
import { ArenaLimitError, ArenaWriter, EMPTY_ARENA, MAX_ARENA_BYTES } from './arena-writer.js';
import type { EncodedCall } from './call-engine.js';
import { ContextHandle } from './context-handle.js';
import { evaluateCorrelation, invertCorrelation } from './correlation.js';
import { checkRange, checkScalar, describe, writeScalar } from './scalars.js';
import {
  asStructValue,
  BYTES_EXPECTED,
  byteValueLength,
  guidBytes,
  isByteArray,
  isByteElement,
  isGuid,
  viewBytes,
} from './value-shapes.js';

/** Where each pointer parameter's memory went, for decoding [out] values afterwards. */
export interface CallPlan {
  /**
   * What native code copies when the call starts. Its `slots` and `pointerSlots` are
   * the procedure's own buffers, reused by its next encodeCall: native code copies them
   * before startCall returns (native/win/rpc_call.cc, RpcCall::issue), and nothing reads
   * them after that.
   */
  encoded: EncodedCall;
  /** Arena offset of each pointer parameter's pointee (absent for NULL unique ones). */
  pointees: Map<string, number>;
  /** Bytes of each pointee laid out in `pointees` (a server copies them into the engine's memory). */
  pointeeSizes: Map<string, number>;
  /** The checked [in] values by parameter name (sizes the caller left out filled in). */
  inputs: Map<string, unknown>;
  /** The interface the call belongs to: context handles never cross interfaces. */
  interfaceUuid: string;
  /** Told of each context handle the reply opens (RpcInterface attaches its closer). */
  adoptHandle?: (handle: ContextHandle) => void;
  /** Context handles the call takes: held from issue until the call completes. */
  heldHandles: HeldHandle[];
}

/** A context handle argument: [in, out] ones are held alone, and read back at `at`. */
export interface HeldHandle {
  handle: ContextHandle;
  /** Passed [in, out]: the engine may free or replace its client context. */
  exclusive: boolean;
  /** Arena offset of the [in, out] handle's memory, which the engine updates. */
  at?: number;
}

/**
 * What encodeCall works out once per procedure rather than on every call: which
 * arguments it takes, each parameter's path for messages, and the slot buffers it
 * reuses.
 */
interface ProcedureShape {
  /** The positional arguments: [in] and [in, out] parameters. */
  inParams: CompiledParam[];
  /** `Proc(param)` for each parameter, in proc.params order. */
  paths: string[];
  /** Whether any parameter needs the arena (anything not passed in its slot alone). */
  usesArena: boolean;
  /**
   * Per parameter: [out] memory (JS writes none of it), laid out in space native code
   * allocates and zeroes past the arena rather than zeroed here and copied across
   * (ArenaWriter.reserve).
   */
  reserved: boolean[];
  slots: BigUint64Array;
  /** The same slots as 32-bit halves and as doubles: a number is written without a BigInt. */
  views: SlotViews;
  /** Holds the pointer slots' indexes; `pointerViews[n]` is its first n. */
  pointerSlots: Uint32Array;
  pointerViews: Uint32Array[];
  /** Set while an encodeCall of this procedure runs (a getter re-entering the client). */
  busy: boolean;
}

const shapes = new WeakMap<CompiledProcedure, ProcedureShape>();

function shapeOf(proc: CompiledProcedure): ProcedureShape {
  let shape = shapes.get(proc);
  if (shape === undefined) {
    const pointerSlots = new Uint32Array(proc.params.length);
    const slots = new BigUint64Array(proc.stackSize / 8);
    shape = {
      inParams: proc.params.filter((p) => p.direction !== 'out'),
      paths: proc.params.map((p) => `${proc.name}(${p.name})`),
      usesArena: proc.params.some((p) => !inSlotOnly(p.type)),
      reserved: proc.params.map((p) => p.direction === 'out' && p.type.kind === 'pointer'),
      slots,
      views: slotViews(slots),
      pointerSlots,
      pointerViews: Array.from({ length: pointerSlots.length + 1 }, (_, n) => pointerSlots.subarray(0, n)),
      busy: false,
    };
    shapes.set(proc, shape);
  }
  return shape;
}

/** Passed in the slot itself, with nothing in the arena. */
function inSlotOnly(type: TypeLayout): boolean {
  return (
    type.kind === 'primitive' ||
    type.kind === 'enum' ||
    type.kind === 'int3264' ||
    type.kind === 'context_handle'
  );
}

interface SlotViews {
  words: Int32Array;
  doubles: Float64Array;
}

function slotViews(slots: BigUint64Array): SlotViews {
  return { words: new Int32Array(slots.buffer), doubles: new Float64Array(slots.buffer) };
}

// Shared by calls without pointer parameters or held handles (never written to).
const NO_POINTEES: Map<string, number> = new Map();
const NO_HANDLES: HeldHandle[] = Object.freeze([]) as unknown as HeldHandle[];

export function encodeCall(proc: CompiledProcedure, args: readonly unknown[], interfaceUuid = ''): CallPlan {
  const shape = shapeOf(proc);
  // Re-entered from a getter of an argument: that call gets buffers of its own.
  const reuse = !shape.busy;
  shape.busy = true;
  try {
    return encodeInto(proc, shape, args, interfaceUuid, reuse);
  } catch (error) {
    if (error instanceof ArenaLimitError) throw arenaTooLarge(proc, error.pointeeSizes, error.needed);
    throw error;
  } finally {
    if (reuse) shape.busy = false;
  }
}

function encodeInto(
  proc: CompiledProcedure,
  shape: ProcedureShape,
  args: readonly unknown[],
  interfaceUuid: string,
  reuse: boolean,
): CallPlan {
  const params = proc.params;
  const paths = shape.paths;
  const slots = reuse ? shape.slots.fill(0n) : new BigUint64Array(proc.stackSize / 8);
  const views = reuse ? shape.views : slotViews(slots);
  if (!shape.usesArena) return encodeSlotsOnly(proc, shape, args, interfaceUuid, slots, views);
  const inputs = bindArguments(proc, shape.inParams, args);
  const pointerSlots = reuse ? shape.pointerSlots : new Uint32Array(params.length);
  let pointerCount = 0;
  let heldHandles = NO_HANDLES;

  // Scalars first: a size_is argument is checked (integer, in range) before it sizes
  // any memory, so a wrong one is reported as itself, not as a failed allocation.
  for (let i = 0; i < params.length; i++) {
    const param = params[i]!;
    const type = param.type;
    if (type.kind === 'context_handle') {
      const value = inputs.get(param.name);
      slots[param.stackOffset / 8] = checkContextHandle(type, value, interfaceUuid, paths[i]!, false);
      if (heldHandles === NO_HANDLES) heldHandles = [];
      heldHandles.push({ handle: value as ContextHandle, exclusive: false });
      continue;
    }
    if (type.kind !== 'primitive' && type.kind !== 'enum' && type.kind !== 'int3264') continue;
    writeSlot(slots, views, param.stackOffset / 8, type, inputs.get(param.name), paths[i]!);
  }
  const writer = new ArenaWriter();
  const pointees = new Map<string, number>();
  const pointeeSizes = new Map<string, number>();
  writer.pointeeSizes = pointeeSizes;
  const lookup = paramLookup(proc, inputs);
  // [out] data placed after everything JS writes (ArenaWriter.reserve), in order.
  let reserved: number[] | undefined;
  for (let i = 0; i < params.length; i++) {
    const param = params[i]!;
    const path = paths[i]!;
    const slot = param.stackOffset / 8;
    const value = inputs.get(param.name);
    const type = param.type;
    if (inSlotOnly(type)) continue;
    if ((type.kind === 'struct' || type.kind === 'union') && isRegisterSized(type.size)) {
      // x64 passes structs and unions of 1, 2, 4 or 8 bytes by value in the slot itself.
      const scratch = new ArenaWriter();
      const at = scratch.allocate(8, 8);
      writeValue(scratch, type, value, at, path, lookup);
      slots[slot] = scratch.data.getBigUint64(at, true);
      continue;
    }
    const pointee = type.kind === 'pointer' ? type.target : type;
    if (type.kind === 'pointer' && param.direction !== 'out' && value == null) {
      // null for a [ref] pointer to a pointer is the inner pointer's NULL; for an
      // [in, out] context handle it is the NULL handle (C passes &h with h = NULL).
      const nullHandle = param.direction === 'inout' && type.target.kind === 'context_handle';
      if (type.pointer === 'ref' && !isNullablePointer(type.target) && !nullHandle) {
        throw new TypeError(`${path}: a [ref] pointer cannot be null`);
      }
      if (type.pointer !== 'ref') continue; // NULL: slot stays 0, and an [in, out] one decodes as null
    }
    const aliased = type.kind === 'pointer' && type.pointer === 'full' ? aliasOf(writer, value) : undefined;
    if (aliased !== undefined) {
      pointees.set(param.name, aliased);
      slots[slot] = BigInt(aliased);
      pointerSlots[pointerCount++] = slot;
      continue;
    }
    const count = elementCount(pointee, param.direction === 'out' ? undefined : value, path, lookup);
    const size = checkedSize(pointee, count, path);
    // Sized before it is placed: a call too large for one arena names every part.
    pointeeSizes.set(param.name, size);
    if (shape.reserved[i]) {
      reserved ??= [];
      reserved.push(i, size);
      continue;
    }
    const at = writer.allocate(size, pointee.align);
    // Remembered before the pointee is written, so a full pointer inside it that leads
    // back (a cyclic [ptr] list) aliases this memory rather than laying it out again.
    if (type.kind === 'pointer' && type.pointer === 'full') rememberAlias(writer, value, at);
    if (pointee.kind === 'context_handle') {
      // [in, out]: the handle's client context, which the engine may replace or free.
      if (param.direction !== 'out' && value != null) {
        const exclusive = param.direction === 'inout';
        writer.data.setBigUint64(
          at,
          checkContextHandle(pointee, value, interfaceUuid, path, exclusive),
          true,
        );
        if (heldHandles === NO_HANDLES) heldHandles = [];
        heldHandles.push({ handle: value as ContextHandle, exclusive, at });
      }
    } else if (param.direction !== 'out') {
      writePointee(
        writer,
        type.kind === 'pointer' ? type.pointer : 'ref',
        pointee,
        value,
        at,
        count,
        path,
        lookup,
      );
    }
    pointees.set(param.name, at);
    slots[slot] = BigInt(at);
    pointerSlots[pointerCount++] = slot;
  }
  if (reserved !== undefined) {
    for (let r = 0; r < reserved.length; r += 2) {
      const param = params[reserved[r]!]!;
      const size = reserved[r + 1]!;
      const at = writer.reserve(size, (param.type as Extract<TypeLayout, { kind: 'pointer' }>).target.align);
      pointees.set(param.name, at);
      slots[param.stackOffset / 8] = BigInt(at);
      pointerSlots[pointerCount++] = param.stackOffset / 8;
    }
  }
  const { arena, relocations, arenaSize } = writer.finish();
  return {
    encoded: {
      procFormatOffset: proc.procFormatOffset,
      arena,
      arenaSize,
      relocations,
      slots,
      pointerSlots: reuse ? shape.pointerViews[pointerCount]! : pointerSlots.subarray(0, pointerCount),
    },
    pointees,
    pointeeSizes,
    inputs,
    interfaceUuid,
    heldHandles,
  };
}

/**
 * The call's pointees together need more than one arena may hold (each alone fits): a
 * RangeError naming each one sized so far, before anything reaches native code.
 */
function arenaTooLarge(
  proc: CompiledProcedure,
  sizes: ReadonlyMap<string, number>,
  needed: number,
): RangeError {
  const parts = [...sizes].map(([name, size]) => `${proc.name}(${name}) ${size}`).join(', ');
  return new RangeError(
    `${proc.name}: the call's memory would take at least ${needed} bytes, more than one call can carry (${MAX_ARENA_BYTES}); pointee bytes: ${parts}`,
  );
}

/**
 * A procedure whose arguments all travel in their slots (scalars, enums, context
 * handles passed [in]): no arena, no pointees, nothing to fill in (only arrays and
 * unions imply sizes and discriminants), so the arguments are checked straight into
 * the slots. `inputs` is made only if something asks for it.
 */
function encodeSlotsOnly(
  proc: CompiledProcedure,
  shape: ProcedureShape,
  args: readonly unknown[],
  interfaceUuid: string,
  slots: BigUint64Array,
  views: SlotViews,
): CallPlan {
  const inParams = shape.inParams;
  if (args.length > inParams.length) bindArguments(proc, inParams, args); // its TypeError
  // Every parameter is [in] (anything else is a pointer): params and inParams are the
  // same list. Missing arguments are reported first, as bindArguments does.
  for (let i = 0; i < inParams.length; i++) {
    if (args[i] === undefined) throw new TypeError(`${shape.paths[i]}: missing argument`);
  }
  let heldHandles = NO_HANDLES;
  for (let i = 0; i < inParams.length; i++) {
    const param = inParams[i]!;
    const type = param.type;
    const value = args[i];
    if (type.kind === 'context_handle') {
      slots[param.stackOffset / 8] = checkContextHandle(type, value, interfaceUuid, shape.paths[i]!, false);
      if (heldHandles === NO_HANDLES) heldHandles = [];
      heldHandles.push({ handle: value as ContextHandle, exclusive: false });
    } else if (type.kind === 'primitive' || type.kind === 'enum' || type.kind === 'int3264') {
      writeSlot(slots, views, param.stackOffset / 8, type, value, shape.paths[i]!);
    }
  }
  return new SlotsOnlyPlan(
    {
      procFormatOffset: proc.procFormatOffset,
      arena: EMPTY_ARENA.arena,
      arenaSize: 0,
      relocations: EMPTY_ARENA.relocations,
      slots,
      pointerSlots: shape.pointerViews[0]!,
    },
    interfaceUuid,
    inParams,
    args,
    heldHandles,
  );
}

class SlotsOnlyPlan implements CallPlan {
  pointees = NO_POINTEES;
  pointeeSizes = NO_POINTEES;
  adoptHandle?: (handle: ContextHandle) => void;
  private byName: Map<string, unknown> | undefined;

  constructor(
    readonly encoded: EncodedCall,
    readonly interfaceUuid: string,
    private readonly params: readonly CompiledParam[],
    private readonly args: readonly unknown[],
    readonly heldHandles: HeldHandle[],
  ) {}

  get inputs(): Map<string, unknown> {
    if (this.byName === undefined) {
      this.byName = new Map();
      for (let i = 0; i < this.params.length; i++) this.byName.set(this.params[i]!.name, this.args[i]);
    }
    return this.byName;
  }
}

function isNullablePointer(type: TypeLayout): boolean {
  return type.kind === 'pointer' && type.pointer !== 'ref';
}

/** Where an object already reached through a full pointer was laid out, if it was. */
function aliasOf(writer: ArenaWriter, value: unknown): number | undefined {
  return typeof value === 'object' && value !== null ? writer.fullPointerTargets.get(value) : undefined;
}

function rememberAlias(writer: ArenaWriter, value: unknown, at: number): void {
  if (typeof value === 'object' && value !== null) writer.fullPointerTargets.set(value, at);
}

/** The NDR_CCONTEXT of a handle this interface (and type, when strict) opened, still open. */
function checkContextHandle(
  type: Extract<TypeLayout, { kind: 'context_handle' }>,
  value: unknown,
  interfaceUuid: string,
  path: string,
  exclusive: boolean,
): bigint {
  if (!(value instanceof ContextHandle)) {
    throw new TypeError(`${path}: expected a context handle this interface returned, got ${describe(value)}`);
  }
  if (value.interfaceUuid !== interfaceUuid) {
    throw new TypeError(`${path}: the context handle belongs to another interface`);
  }
  if (type.strict && type.typeName !== undefined && value.typeName !== type.typeName) {
    throw new TypeError(
      `${path}: expected a ${type.typeName} context handle, got ${value.typeName ?? 'another type'}`,
    );
  }
  if (!value.isOpen) throw new TypeError(`${path}: the context handle was closed`);
  if (value.busy) {
    throw new TypeError(
      `${path}: the context handle is busy: a call in flight holds it [in, out] and may close or replace it; wait for that call to settle`,
    );
  }
  if (exclusive && value.callsInFlight > 0) {
    throw new TypeError(
      `${path}: the context handle is in use by ${value.callsInFlight} call(s) in flight; pass it [in, out] (a close may free it) after they settle`,
    );
  }
  return value.value;
}

/**
 * Positional [in] / [in, out] arguments by name ([out] parameters take no argument).
 *
 * The fill-in rule: a size_is / length_is parameter the caller passes as `undefined`
 * (or leaves out) gets the value the data it sizes implies: the element count of an
 * array, or the code units of a string plus its terminator; an operator in the
 * expression is inverted (size_is(n + 1) and 3 elements: n = 2). So
 * `SumLongs(undefined, [1, 2, 3])` sends n = 3, and `Shout(undefined, 'abc')` sends
 * size = 4: a buffer exactly as long as the string. A size that sizes only [out]
 * data cannot be implied and must be given. A size given explicitly is checked
 * against the data instead (RangeError when they disagree).
 */
function bindArguments(
  proc: CompiledProcedure,
  inParams: readonly CompiledParam[],
  args: readonly unknown[],
): Map<string, unknown> {
  if (args.length > inParams.length) {
    const names = inParams.map((p) => p.name).join(', ');
    throw new TypeError(
      `${proc.name}: expected at most ${inParams.length} arguments (${names}), got ${args.length}`,
    );
  }
  const inputs = new Map<string, unknown>();
  for (let i = 0; i < inParams.length; i++) inputs.set(inParams[i]!.name, args[i]);
  for (let i = 0; i < inParams.length; i++) {
    if (args[i] !== undefined) continue;
    const param = inParams[i]!;
    const implied = impliedSize(proc, param, inputs);
    if (implied !== undefined) inputs.set(param.name, implied);
    else if (!(param.type.kind === 'pointer' && param.type.pointer !== 'ref')) {
      throw new TypeError(`${proc.name}(${param.name}): missing argument`);
    }
  }
  return inputs;
}

/** The size another [in] argument implies for `param`, when `param` sizes it. */
function impliedSize(
  proc: CompiledProcedure,
  param: CompiledParam,
  inputs: Map<string, unknown>,
): number | undefined {
  if (param.type.kind !== 'primitive' && param.type.kind !== 'enum') return undefined;
  for (const other of proc.params) {
    if (other.direction === 'out') continue;
    const target = other.type.kind === 'pointer' ? other.type.target : other.type;
    const data = inputs.get(other.name);
    const tag = impliedDiscriminant(target, data, 'param', param.name);
    if (tag !== undefined) return tag;
    if (isPlainRef(target.kind === 'array' ? target.firstIs : undefined, 'param', param.name)) return 0;
    for (const correlation of correlationsOf(target)) {
      if (correlation.source !== 'param' || correlation.name !== param.name || correlation.deref) continue;
      const count = dataLength(target, data);
      if (count !== undefined) return invertCorrelation(correlation, count);
    }
  }
  return undefined;
}

/**
 * A non-encapsulated union's switch_is parameter or field left out takes the `case`
 * of the union value it selects the arm of (the fill-in rule, as for sizes).
 */
function impliedDiscriminant(
  type: TypeLayout,
  data: unknown,
  source: 'param' | 'field',
  name: string,
): number | undefined {
  if (type.kind !== 'union' || !type.switchIs || type.switchIs.source !== source) return undefined;
  if (type.switchIs.name !== name || type.switchIs.deref || type.switchIs.op !== 'none') return undefined;
  const tag = (data as { case?: unknown } | null | undefined)?.case;
  return typeof tag === 'number' ? tag : undefined;
}

function correlationsOf(type: TypeLayout): Correlation[] {
  // With first_is the data is a window: it implies only its length (first_is defaults to 0).
  if (type.kind === 'array' && type.firstIs) return type.lengthIs ? [type.lengthIs] : [];
  // Both of size_is and length_is: an [in] array sends all of its elements.
  if (type.kind === 'array') return [type.sizeIs, type.lengthIs].filter((c): c is Correlation => !!c);
  if (type.kind === 'string' && type.sizeIs) return [type.sizeIs];
  return [];
}

function dataLength(type: TypeLayout, data: unknown): number | undefined {
  if (type.kind === 'array') {
    return isByteArray(type) ? byteValueLength(data) : isArrayLike(data) ? data.length : undefined;
  }
  if (type.kind === 'string' && typeof data === 'string') return encodeString(type.char, data).length + 1;
  return undefined;
}

/** A correlation that is exactly the parameter or field `name`. */
function isPlainRef(c: Correlation | undefined, source: 'param' | 'field', name: string): boolean {
  return c?.source === source && c.name === name && !c.deref && c.op === 'none';
}

type Lookup = (correlation: Correlation) => number | undefined;

/** A size operand's value: a number, a bigint, or a `char` (one character: its code, as the decoder counts it). */
function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return typeof value === 'string' && value.length === 1 ? value.charCodeAt(0) : undefined;
}

function paramLookup(proc: CompiledProcedure, inputs: Map<string, unknown>): Lookup {
  return (correlation) =>
    evaluateCorrelation(correlation, (name, deref) => {
      const param = proc.params.find((p) => p.name === name);
      if (!param || (deref && param.type.kind !== 'pointer')) return undefined;
      return numeric(inputs.get(name));
    });
}

/**
 * Inside a struct, size_is(field) refers to a sibling field. A size field left
 * `undefined` is filled in from the data it sizes, as for parameters (bindArguments).
 */
function structFields(
  type: Extract<TypeLayout, { kind: 'struct' }>,
  value: unknown,
  path: string,
  outer: Lookup,
): { record: Record<string, unknown>; lookup: Lookup } {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw new TypeError(`${path}: expected an object, got ${describe(value)}`);
  }
  const record: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const field of type.fields) {
    if (record[field.name] !== undefined || (field.type.kind !== 'primitive' && field.type.kind !== 'enum')) {
      continue;
    }
    for (const other of type.fields) {
      const target = other.type.kind === 'pointer' ? other.type.target : other.type;
      const tag = impliedDiscriminant(target, record[other.name], 'field', field.name);
      if (tag !== undefined) {
        record[field.name] = tag;
        break;
      }
      if (isPlainRef(target.kind === 'array' ? target.firstIs : undefined, 'field', field.name)) {
        record[field.name] = 0;
        break;
      }
      const count = dataLength(target, record[other.name]);
      const correlation = correlationsOf(target).find(
        (c) => c.source === 'field' && c.name === field.name && !c.deref,
      );
      if (count === undefined || !correlation) continue;
      const implied = invertCorrelation(correlation, count);
      if (implied !== undefined) {
        record[field.name] = implied;
        break;
      }
    }
  }
  // An expression inside a struct (size_is((size + 7) & ~7), switch_is(0x00FFFFFF & Level))
  // names the struct's own fields, as a plain field correlation does.
  const lookup: Lookup = (correlation) =>
    correlation.source === 'field' || correlation.source === 'expr'
      ? evaluateCorrelation(correlation, (name, deref) => (deref ? undefined : numeric(record[name])))
      : outer(correlation);
  return { record, lookup };
}

/** A size_is / length_is value: a non-negative integer, or a TypeError/RangeError naming `path`. */
function sizeValue(correlation: Correlation, lookup: Lookup, what: string, path: string): number {
  const size = lookup(correlation);
  if (size === undefined) throw new TypeError(`${path}: its ${what} value is missing`);
  if (!Number.isInteger(size)) throw new TypeError(`${path}: its ${what} value ${size} is not an integer`);
  if (size < 0) throw new RangeError(`${path}: its ${what} value ${size} is negative`);
  return size;
}

/**
 * [range] on a [string] bounds its element count, terminator included (the Windows
 * engine checks it too when the format string carries it: CompileOptions.rangeOnConformance).
 */
export function checkStringRange(
  length: number,
  range: { min: number; max: number } | undefined,
  path: string,
): void {
  if (range && (length + 1 < range.min || length + 1 > range.max))
    throw new RangeError(
      `${path}: ${length} characters and the terminator are outside [range(${range.min}, ${range.max})]`,
    );
}

/** [range] on a sized array bounds its size_is. */
export function checkCountRange(
  type: Extract<TypeLayout, { kind: 'array' }>,
  size: number,
  path: string,
): void {
  const r = type.sizeRange;
  if (r && (size < r.min || size > r.max))
    throw new RangeError(`${path}: size_is ${size} is outside [range(${r.min}, ${r.max})]`);
}

/** The first element sent (first_is), checked with the length against the array's room. */
function checkWindow(
  type: Extract<TypeLayout, { kind: 'array' }>,
  lookup: Lookup,
  length: number,
  room: string,
  capacity: number,
  path: string,
): number {
  const first = firstIndex(type, lookup, path);
  if (first + length > capacity) {
    throw new RangeError(
      `${path}: ${first ? `first_is ${first} + ` : ''}length_is ${length} exceeds ${room}`,
    );
  }
  return first;
}

/** The index of an array's first element sent (first_is; 0 without it). */
function firstIndex(type: Extract<TypeLayout, { kind: 'array' }>, lookup: Lookup, path: string): number {
  return type.firstIs ? sizeValue(type.firstIs, lookup, 'first_is', path) : 0;
}

/**
 * Elements of a conformant array or string (or of a conformant struct's trailing
 * array), from its size_is, checked against the data for [in] values.
 */
function elementCount(type: TypeLayout, value: unknown, path: string, lookup: Lookup): number {
  if (type.kind === 'array' && type.sizeIs) {
    const size = sizeValue(type.sizeIs, lookup, 'size_is', path);
    checkCountRange(type, size, path);
    if (value !== undefined) {
      const length = type.lengthIs ? sizeValue(type.lengthIs, lookup, 'length_is', path) : size;
      const given = arrayLength(type, value, path);
      checkWindow(type, lookup, length, `size_is ${size}`, size, path);
      if (given !== length) {
        throw new RangeError(
          `${path}: ${given} elements contradict ${type.lengthIs ? 'length_is' : 'size_is'} (${length})`,
        );
      }
    }
    return size;
  }
  if (type.kind === 'string') {
    if (type.sizeIs) return sizeValue(type.sizeIs, lookup, 'size_is', path);
    if (type.count !== undefined) return type.count;
    if (value === undefined) throw new TypeError(`${path}: an [out] string needs size_is`);
    if (typeof value !== 'string') throw new TypeError(`${path}: expected a string, got ${describe(value)}`);
    return encodeString(type.char, value).length + 1;
  }
  const tail = conformantTail(type);
  if (tail) {
    if (value === undefined) {
      throw new TypeError(`${path}: an [out] conformant struct is not supported (its size is unknown)`);
    }
    const shaped = asStructValue(type, value, path);
    const { record, lookup: fields } = structFields(tail.struct, shaped, path, lookup);
    return elementCount(tail.field.type, record[tail.field.name], `${path}.${tail.field.name}`, fields);
  }
  return 1;
}

/**
 * A struct whose last field is a conformant array or a conformant [string] array
 * (FC_CSTRUCT, FC_CVSTRUCT): its memory grows with that field.
 */
function conformantTail(type: TypeLayout) {
  if (type.kind !== 'struct') return undefined;
  const field = type.fields.at(-1);
  if (!field) return undefined;
  const tail = field.type;
  if (!isConformant(tail)) return undefined;
  return {
    struct: type,
    field: field as FieldLayout & { type: Extract<TypeLayout, { kind: 'array' | 'string' }> },
  };
}

function unitSize(type: Extract<TypeLayout, { kind: 'array' | 'string' }>): number {
  return type.kind === 'array' ? type.element.size : type.char === 'char' ? 1 : 2;
}

function byteSize(type: TypeLayout, count: number): number {
  if (type.kind === 'array' && type.sizeIs) return type.element.size * count;
  if (type.kind === 'string') return (type.char === 'char' ? 1 : 2) * count;
  const tail = conformantTail(type);
  if (tail) return Math.max(type.size, tail.field.offset + unitSize(tail.field.type) * count);
  return type.size;
}

// One pointee may take the whole arena at most (MAX_ARENA_BYTES says why).
function checkedSize(type: TypeLayout, count: number, path: string): number {
  const size = byteSize(type, count);
  if (size > MAX_ARENA_BYTES) {
    throw new RangeError(`${path}: ${count} elements need ${size} bytes, more than one call can carry`);
  }
  return size;
}

/**
 * Writes what a pointer points at. A [ref] or [unique] pointee is sent whole wherever it
 * is reached, so a JS value that leads back to itself (a list whose `next` is an
 * earlier node) would be laid out forever: a TypeError at the pointer that closes the
 * cycle. A full pointer aliases instead (rememberAlias, before its pointee is written).
 */
function writePointee(
  writer: ArenaWriter,
  pointer: 'ref' | 'unique' | 'full',
  type: TypeLayout,
  value: unknown,
  at: number,
  count: number,
  path: string,
  lookup: Lookup,
): void {
  // A pointer to a pointer has one JS value for both levels: it is laid out (and
  // tracked) where the inner pointer's pointee is written, not here.
  const tracked =
    pointer !== 'full' && type.kind !== 'pointer' && typeof value === 'object' && value !== null
      ? value
      : undefined;
  if (tracked) {
    if (writer.pointeesOnPath.has(tracked)) {
      throw new TypeError(
        `${path}: the value leads back to itself (a cycle); a [${pointer}] pointer cannot send one, only a full ([ptr]) pointer can`,
      );
    }
    writer.pointeesOnPath.add(tracked);
  }
  writeTarget(writer, type, value, at, count, path, lookup);
  if (tracked) writer.pointeesOnPath.delete(tracked);
}

/** Writes a pointee: conformant arrays and strings with their count, else one value. */
function writeTarget(
  writer: ArenaWriter,
  type: TypeLayout,
  value: unknown,
  at: number,
  count: number,
  path: string,
  lookup: Lookup,
): void {
  if (type.kind === 'array' && type.sizeIs) {
    const start = at + firstIndex(type, lookup, path) * type.element.size;
    const items = (isByteArray(type) ? (viewBytes(value) ?? value) : value) as ArrayLike<unknown>;
    writeElements(writer, type.element, items, start, path, lookup);
    return;
  }
  if (type.kind === 'string') {
    writeString(writer, type.char, value, at, count, path, type.range);
    return;
  }
  writeValue(writer, type, value, at, path, lookup);
}

function writeElements(
  writer: ArenaWriter,
  element: TypeLayout,
  items: ArrayLike<unknown>,
  at: number,
  path: string,
  lookup: Lookup,
): void {
  // Byte data in any binary form is copied in one step (a number[] is checked per element).
  const bytes = isByteElement(element) ? viewBytes(items) : undefined;
  if (bytes) {
    writer.raw.set(bytes, at);
    return;
  }
  for (let i = 0; i < items.length; i++) {
    writeValue(writer, element, items[i], at + i * element.size, `${path}[${i}]`, lookup);
  }
}

function writeValue(
  writer: ArenaWriter,
  type: TypeLayout,
  value: unknown,
  at: number,
  path: string,
  lookup: Lookup,
): void {
  switch (type.kind) {
    case 'primitive': {
      const checked = checkScalar(type.primitive, value, path);
      checkRange(type.range, checked, path);
      writeScalar(writer.data, at, type.primitive, checked);
      return;
    }
    case 'enum':
      writer.data.setInt32(at, checkEnum(type, value, path), true);
      return;
    case 'struct': {
      // A GUID is its string (or, below, its struct); anything else is refused as a GUID.
      if (isGuid(type) && (typeof value !== 'object' || value === null)) {
        writer.raw.set(guidBytes(value, path), at);
        return;
      }
      const shaped = asStructValue(type, value, path);
      const { record, lookup: fields } = structFields(type, shaped, path, lookup);
      for (const field of type.fields) {
        writeValue(
          writer,
          field.type,
          record[field.name],
          at + field.offset,
          `${path}.${field.name}`,
          fields,
        );
      }
      return;
    }
    case 'pointer': {
      if (value == null) {
        if (type.pointer !== 'ref') return; // the arena is zeroed: NULL
        if (!isNullablePointer(type.target)) throw new TypeError(`${path}: a [ref] pointer cannot be null`);
        // A [ref] pointer to a NULL unique/full pointer: the inner pointer stays zeroed.
        writer.pointer(at, writer.allocate(8, 8));
        return;
      }
      const aliased = type.pointer === 'full' ? aliasOf(writer, value) : undefined;
      if (aliased !== undefined) {
        writer.pointer(at, aliased);
        return;
      }
      const count = elementCount(type.target, value, path, lookup);
      const target = writer.allocate(checkedSize(type.target, count, path), type.target.align);
      if (type.pointer === 'full') rememberAlias(writer, value, target);
      writePointee(writer, type.pointer, type.target, value, target, count, path, lookup);
      writer.pointer(at, target);
      return;
    }
    case 'array': {
      if (type.sizeIs) {
        // A conformant struct's trailing array: its pointer's allocation made room
        // for it (elementCount, byteSize), so only the data is checked here. It is [in]
        // data, so it must be there (elementCount takes undefined for [out] memory).
        if (value === undefined) arrayLength(type, value, path);
        elementCount(type, value, path, lookup);
        writeTarget(writer, type, value, at, 0, path, lookup);
        return;
      }
      const count = type.count ?? 0;
      // A fixed array with length_is sends only length_is elements, from first_is on.
      const length = type.lengthIs ? sizeValue(type.lengthIs, lookup, 'length_is', path) : count;
      const first = checkWindow(type, lookup, length, `the array's ${count}`, count, path);
      const given = isByteArray(type)
        ? byteValueLength(value)
        : isArrayLike(value)
          ? value.length
          : undefined;
      if (given !== length) {
        const what = isByteArray(type)
          ? `${length} bytes (${BYTES_EXPECTED})`
          : `an array of ${length} elements`;
        throw new TypeError(`${path}: expected ${what}, got ${describeArray(value)}`);
      }
      const items = (viewBytes(value) ?? value) as ArrayLike<unknown>;
      writeElements(writer, type.element, items, at + first * type.element.size, path, lookup);
      return;
    }
    case 'string':
      // A fixed [string] array has its count; a conformant struct's trailing one is
      // sized by its size_is field (or by the text), and its pointer made room for it.
      writeString(
        writer,
        type.char,
        value,
        at,
        type.count ?? elementCount(type, value, path, lookup),
        path,
        type.range,
      );
      return;
    case 'union':
      writeUnion(writer, type, value, at, path, lookup);
      return;
    case 'int3264':
      writer.data.setBigInt64(at, BigInt(checkInt3264(type, value, path)), true);
      return;
    case 'ignore':
      // [ignore]: never sent; the memory stays NULL.
      if (value != null) throw new TypeError(`${path}: an [ignore] field takes null, got ${describe(value)}`);
      return;
    default:
      // A kind lib/ndr compiles before the runtime can lay it out: refuse, never skip.
      throw new TypeError(`${path}: values of kind ${(type as { kind: string }).kind} are not supported yet`);
  }
}

function writeUnion(
  writer: ArenaWriter,
  type: Extract<TypeLayout, { kind: 'union' }>,
  value: unknown,
  at: number,
  path: string,
  lookup: Lookup,
): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${path}: expected a union object ({ case, … }), got ${describe(value)}`);
  }
  const record = value as Record<string, unknown>;
  // A non-encapsulated union's `case` may be left out: its switch_is value selects the arm.
  const selector = record.case === undefined && type.switchIs ? lookup(type.switchIs) : record.case;
  const tag = discriminantValue(type.switchType, selector, `${path}.case`);
  const arm = armFor(type, tag);
  if (!arm) throw new RangeError(`${path}.case: ${tag} selects no arm of the union (and it has no default)`);
  if (type.encapsulated) {
    writeValue(writer, type.switchType, tag, at, `${path}.case`, lookup);
  } else if (type.switchIs) {
    const selected = lookup(type.switchIs);
    if (selected !== undefined && selected !== tag) {
      throw new RangeError(`${path}.case: ${tag} contradicts its switch_is value (${selected})`);
    }
  }
  if (!arm.member) return;
  const memberAt = at + (type.encapsulated?.unionOffset ?? 0);
  writeValue(
    writer,
    arm.member.type,
    record[arm.member.name],
    memberAt,
    `${path}.${arm.member.name}`,
    lookup,
  );
}

/** The arm a discriminant value selects: its case, else the default arm. */
export function armFor(
  type: Extract<TypeLayout, { kind: 'union' }>,
  tag: number,
): Extract<TypeLayout, { kind: 'union' }>['arms'][number] | undefined {
  return type.arms.find((arm) => arm.cases.includes(tag)) ?? type.arms.find((arm) => arm.isDefault);
}

function discriminantValue(type: TypeLayout, value: unknown, path: string): number {
  if (type.kind === 'enum') return checkEnum(type, value, path);
  if (type.kind === 'primitive') return Number(checkScalar(type.primitive, value, path));
  throw new TypeError(`${path}: a discriminant of kind ${type.kind} is not supported`);
}

function checkInt3264(type: Extract<TypeLayout, { kind: 'int3264' }>, value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${path}: expected an integer, got ${describe(value)}`);
  }
  // 8 bytes in memory, 4 on the wire: the value must survive the trip.
  const [min, max] = type.signed ? [-0x80000000, 0x7fffffff] : [0, 0xffffffff];
  if (value < min || value > max)
    throw new RangeError(`${path}: ${value} is outside __int3264 (${min}..${max})`);
  return value;
}

function writeString(
  writer: ArenaWriter,
  char: 'char' | 'wchar_t',
  value: unknown,
  at: number,
  capacity: number,
  path: string,
  range?: { min: number; max: number },
): void {
  if (typeof value !== 'string') throw new TypeError(`${path}: expected a string, got ${describe(value)}`);
  const units = encodeString(char, value);
  if (units.includes(0)) throw new TypeError(`${path}: a [string] cannot contain NUL characters`);
  checkStringRange(units.length, range, path);
  if (units.length + 1 > capacity) {
    throw new RangeError(
      `${path}: ${units.length} characters and the terminator exceed size_is (${capacity})`,
    );
  }
  if (char === 'char') writer.raw.set(units, at);
  // wchar_t data sits 2-aligned in the arena (allocate, struct layouts), and x64 is
  // little-endian: the units are copied in one step.
  else if (at % 2 === 0)
    new Uint16Array(writer.raw.buffer, writer.raw.byteOffset + at, units.length).set(units);
  else for (const [i, unit] of units.entries()) writer.data.setUint16(at + i * 2, unit, true);
}

/** char strings travel as UTF-8 bytes, wchar_t strings as UTF-16 code units. */
export function encodeString(char: 'char' | 'wchar_t', value: string): Uint8Array | Uint16Array {
  if (char === 'char') return new TextEncoder().encode(value);
  const units = new Uint16Array(value.length);
  for (let i = 0; i < value.length; i++) units[i] = value.charCodeAt(i);
  return units;
}

function checkEnum(type: Extract<TypeLayout, { kind: 'enum' }>, value: unknown, path: string): number {
  const member =
    typeof value === 'string'
      ? type.members.find((m) => m.name === value)
      : type.members.find((m) => m.value === value);
  if (member) {
    // enum16 travels as 16 bits, and rpcrt4 raises RPC_X_ENUM_VALUE_OUT_OF_RANGE from
    // inside the client's own marshalling for anything outside 0..0x7fff: refuse first.
    if (type.wire === 'enum16' && (member.value < 0 || member.value > 0x7fff)) {
      throw new RangeError(
        `${path}: ${member.value} (${member.name}) does not fit an enum16 (0..32767); NDR refuses it (RPC_X_ENUM_VALUE_OUT_OF_RANGE)`,
      );
    }
    const r = type.range;
    if (r && (member.value < r.min || member.value > r.max))
      throw new RangeError(
        `${path}: ${member.value} (${member.name}) is outside [range(${r.min}, ${r.max})]`,
      );
    return member.value;
  }
  const names = type.members.map((m) => m.name).join(', ');
  throw new TypeError(`${path}: expected one of ${names} (or its value), got ${describe(value)}`);
}

/**
 * Checks a scalar argument into its slot. Numbers go in through 32-bit halves or a
 * double (no BigInt per argument); the slot's 64 bits are what C's varargs would hold:
 * integers sign- or zero-extended, a float promoted to double.
 */
function writeSlot(
  slots: BigUint64Array,
  views: SlotViews,
  slot: number,
  type: Extract<TypeLayout, { kind: 'primitive' | 'enum' | 'int3264' }>,
  value: unknown,
  path: string,
): void {
  let integer: number;
  if (type.kind === 'enum') integer = checkEnum(type, value, path);
  else if (type.kind === 'int3264') integer = checkInt3264(type, value, path);
  else {
    const checked = checkScalar(type.primitive, value, path);
    checkRange(type.range, checked, path);
    if (typeof checked === 'bigint') {
      slots[slot] = BigInt.asUintN(64, checked);
      return;
    }
    if (type.primitive === 'float' || type.primitive === 'double') {
      // C varargs promote float to double, and NdrAsyncClientCall reads a float's slot
      // as a double (verified under Wine: test/e2e/types.test.ts, MixedArgs and EchoFloat).
      views.doubles[slot] = checked;
      return;
    }
    integer = checked;
  }
  // Every checked integer here fits 32 bits (signed, or unsigned up to 0xffffffff):
  // the low half is its bits, the high half its sign (x64 is little-endian).
  views.words[slot * 2] = integer | 0;
  views.words[slot * 2 + 1] = integer < 0 ? -1 : 0;
}

/**
 * The element count of an [in] array value, or a TypeError naming `path`. Byte arrays
 * take any binary form (value-shapes.ts); other arrays an array or typed array.
 */
function arrayLength(type: Extract<TypeLayout, { kind: 'array' }>, value: unknown, path: string): number {
  const length = isByteArray(type) ? byteValueLength(value) : isArrayLike(value) ? value.length : undefined;
  if (length === undefined) {
    throw new TypeError(
      `${path}: expected ${isByteArray(type) ? BYTES_EXPECTED : 'an array'}, got ${describe(value)}`,
    );
  }
  return length;
}

function describeArray(value: unknown): string {
  const length = byteValueLength(value);
  return length === undefined ? describe(value) : `${length} elements`;
}

/** Arrays and typed arrays (a DataView has no elements to index). */
function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}
