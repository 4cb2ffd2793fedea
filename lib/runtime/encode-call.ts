// JS arguments -> the C memory and argument slots of one call. Every check happens
// here, before anything reaches native code: a wrong value is a TypeError or
// RangeError naming its path (`Proc(arg).field[3]`).
import type { CompiledParam, CompiledProcedure, Correlation, TypeLayout } from '../ndr/compiled.js';
import { ArenaWriter } from './arena-writer.js';
import type { EncodedCall } from './call-engine.js';
import { evaluateCorrelation, invertCorrelation } from './correlation.js';
import { checkScalar, describe, writeScalar } from './scalars.js';

/** Where each pointer parameter's memory went, for decoding [out] values afterwards. */
export interface CallPlan {
  encoded: EncodedCall;
  /** Arena offset of each pointer parameter's pointee (absent for NULL unique ones). */
  pointees: Map<string, number>;
  /** The checked [in] values by parameter name (sizes the caller left out filled in). */
  inputs: Map<string, unknown>;
}

export function encodeCall(proc: CompiledProcedure, args: readonly unknown[]): CallPlan {
  const inputs = bindArguments(proc, args);
  const writer = new ArenaWriter();
  const slots = new BigUint64Array(proc.stackSize / 8);
  const pointerSlots: number[] = [];
  const pointees = new Map<string, number>();
  const lookup = paramLookup(proc, inputs);

  for (const param of proc.params) {
    const path = `${proc.name}(${param.name})`;
    const slot = param.stackOffset / 8;
    const value = inputs.get(param.name);
    const type = param.type;
    if (type.kind === 'primitive' || type.kind === 'enum') {
      slots[slot] = slotBits(type, value, path);
      continue;
    }
    if (type.kind === 'struct' && isRegisterSized(type.size)) {
      // x64 passes structs of 1, 2, 4 or 8 bytes by value in the slot itself.
      const scratch = new ArenaWriter();
      const at = scratch.allocate(8, 8);
      writeValue(scratch, type, value, at, path, lookup);
      slots[slot] = scratch.data.getBigUint64(at, true);
      continue;
    }
    const pointee = type.kind === 'pointer' ? type.target : type;
    if (type.kind === 'pointer' && type.pointer !== 'ref' && param.direction === 'in' && value == null) {
      continue; // a NULL unique/full pointer: slot stays 0
    }
    const count = elementCount(pointee, param.direction === 'out' ? undefined : value, path, lookup);
    const at = writer.allocate(byteSize(pointee, count), pointee.align);
    if (param.direction !== 'out') writeTarget(writer, pointee, value, at, count, path, lookup);
    pointees.set(param.name, at);
    slots[slot] = BigInt(at);
    pointerSlots.push(slot);
  }
  const { arena, relocations } = writer.finish();
  return {
    encoded: {
      procFormatOffset: proc.procFormatOffset,
      arena,
      relocations,
      slots,
      pointerSlots: Uint32Array.from(pointerSlots),
    },
    pointees,
    inputs,
  };
}

/**
 * Positional [in] / [in, out] arguments by name. A size_is / length_is parameter the
 * caller passes as `undefined` is filled in from the length of the data it sizes.
 */
function bindArguments(proc: CompiledProcedure, args: readonly unknown[]): Map<string, unknown> {
  const inParams = proc.params.filter((p) => p.direction !== 'out');
  if (args.length > inParams.length) {
    throw new TypeError(`${proc.name}: expected at most ${inParams.length} arguments, got ${args.length}`);
  }
  const inputs = new Map<string, unknown>();
  inParams.forEach((param, index) => {
    inputs.set(param.name, args[index]);
  });
  for (const param of inParams) {
    if (inputs.get(param.name) !== undefined) continue;
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
  if (param.type.kind !== 'primitive') return undefined;
  for (const other of proc.params) {
    if (other.direction === 'out') continue;
    const target = other.type.kind === 'pointer' ? other.type.target : other.type;
    const data = inputs.get(other.name);
    for (const correlation of correlationsOf(target)) {
      if (correlation.source !== 'param' || correlation.name !== param.name || correlation.deref) continue;
      const count = dataLength(target, data);
      if (count !== undefined) return invertCorrelation(correlation, count);
    }
  }
  return undefined;
}

function correlationsOf(type: TypeLayout): Correlation[] {
  if (type.kind === 'array') return [type.lengthIs ?? type.sizeIs].filter((c): c is Correlation => !!c);
  if (type.kind === 'string' && type.sizeIs) return [type.sizeIs];
  return [];
}

function dataLength(type: TypeLayout, data: unknown): number | undefined {
  if (type.kind === 'array' && isArrayLike(data)) return data.length;
  if (type.kind === 'string' && typeof data === 'string') return encodeString(type.char, data).length + 1;
  return undefined;
}

type Lookup = (correlation: Correlation) => number | undefined;

function paramLookup(proc: CompiledProcedure, inputs: Map<string, unknown>): Lookup {
  return (correlation) =>
    evaluateCorrelation(correlation, (name, deref) => {
      const param = proc.params.find((p) => p.name === name);
      const value = inputs.get(name);
      if (!param || (deref && param.type.kind !== 'pointer')) return undefined;
      return typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : undefined;
    });
}

/** Elements of a conformant array or string, from its size_is (and the data for [in]). */
function elementCount(type: TypeLayout, value: unknown, path: string, lookup: Lookup): number {
  if (type.kind === 'array' && type.sizeIs) {
    const size = lookup(type.sizeIs);
    if (size === undefined || size < 0)
      throw new TypeError(`${path}: its size_is value is missing or negative`);
    const length = type.lengthIs ? lookup(type.lengthIs) : size;
    if (value !== undefined) {
      if (!isArrayLike(value)) throw new TypeError(`${path}: expected an array, got ${describe(value)}`);
      if (value.length !== length) {
        throw new RangeError(
          `${path}: ${value.length} elements contradict ${type.lengthIs ? 'length_is' : 'size_is'} (${length})`,
        );
      }
      if (length !== undefined && length > size)
        throw new RangeError(`${path}: length_is ${length} exceeds size_is ${size}`);
    }
    return size;
  }
  if (type.kind === 'string') {
    if (type.sizeIs) {
      const size = lookup(type.sizeIs);
      if (size === undefined || size < 0)
        throw new TypeError(`${path}: its size_is value is missing or negative`);
      return size;
    }
    if (type.count !== undefined) return type.count;
    if (value === undefined) throw new TypeError(`${path}: an [out] string needs size_is`);
    if (typeof value !== 'string') throw new TypeError(`${path}: expected a string, got ${describe(value)}`);
    return encodeString(type.char, value).length + 1;
  }
  return 1;
}

function byteSize(type: TypeLayout, count: number): number {
  if (type.kind === 'array' && type.sizeIs) return type.element.size * count;
  if (type.kind === 'string') return (type.char === 'char' ? 1 : 2) * count;
  return type.size;
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
    const items = value as ArrayLike<unknown>;
    for (let i = 0; i < items.length; i++) {
      writeValue(writer, type.element, items[i], at + i * type.element.size, `${path}[${i}]`, lookup);
    }
    return;
  }
  if (type.kind === 'string') {
    writeString(writer, type.char, value, at, count, path);
    return;
  }
  writeValue(writer, type, value, at, path, lookup);
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
    case 'primitive':
      writeScalar(writer.data, at, type.primitive, checkScalar(type.primitive, value, path));
      return;
    case 'enum':
      writer.data.setInt32(at, checkEnum(type, value, path), true);
      return;
    case 'struct': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new TypeError(`${path}: expected an object, got ${describe(value)}`);
      }
      const record = value as Record<string, unknown>;
      for (const field of type.fields) {
        writeValue(
          writer,
          field.type,
          record[field.name],
          at + field.offset,
          `${path}.${field.name}`,
          lookup,
        );
      }
      return;
    }
    case 'pointer': {
      if (value == null) {
        if (type.pointer === 'ref') throw new TypeError(`${path}: a [ref] pointer cannot be null`);
        return; // the arena is zeroed: NULL
      }
      const count = elementCount(type.target, value, path, lookup);
      const target = writer.allocate(byteSize(type.target, count), type.target.align);
      writeTarget(writer, type.target, value, target, count, path, lookup);
      writer.pointer(at, target);
      return;
    }
    case 'array': {
      const count = type.count ?? 0;
      if (!isArrayLike(value) || value.length !== count) {
        throw new TypeError(`${path}: expected an array of ${count} elements, got ${describe(value)}`);
      }
      for (let i = 0; i < count; i++) {
        writeValue(writer, type.element, value[i], at + i * type.element.size, `${path}[${i}]`, lookup);
      }
      return;
    }
    case 'string':
      writeString(writer, type.char, value, at, type.count ?? 0, path);
      return;
  }
}

function writeString(
  writer: ArenaWriter,
  char: 'char' | 'wchar_t',
  value: unknown,
  at: number,
  capacity: number,
  path: string,
): void {
  if (typeof value !== 'string') throw new TypeError(`${path}: expected a string, got ${describe(value)}`);
  const units = encodeString(char, value);
  if (units.includes(0)) throw new TypeError(`${path}: a [string] cannot contain NUL characters`);
  if (units.length + 1 > capacity) {
    throw new RangeError(
      `${path}: ${units.length} characters and the terminator exceed size_is (${capacity})`,
    );
  }
  if (char === 'char') writer.raw.set(units, at);
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
  if (member) return member.value;
  const names = type.members.map((m) => m.name).join(', ');
  throw new TypeError(`${path}: expected one of ${names} (or its value), got ${describe(value)}`);
}

function slotBits(
  type: Extract<TypeLayout, { kind: 'primitive' | 'enum' }>,
  value: unknown,
  path: string,
): bigint {
  if (type.kind === 'enum') return BigInt.asUintN(64, BigInt(checkEnum(type, value, path)));
  const checked = checkScalar(type.primitive, value, path);
  if (type.primitive === 'float' || type.primitive === 'double') {
    // C varargs promote float to double: the engine reads a double from a float's slot.
    const bits = new DataView(new ArrayBuffer(8));
    bits.setFloat64(0, Number(checked), true);
    return bits.getBigUint64(0, true);
  }
  return BigInt.asUintN(64, BigInt(checked));
}

function isRegisterSized(size: number): boolean {
  return size === 1 || size === 2 || size === 4 || size === 8;
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || ArrayBuffer.isView(value);
}
