// Base types between JS values and C memory: checks (TypeError/RangeError naming the
// parameter path, thrown before anything reaches native code), writes and reads.
import type { PrimitiveName } from '../idl/model.js';

/**
 * JS side of each base type: numbers, except 64-bit integers (bigint) and characters
 * (string: char and wchar_t; `unsigned char` is a number, as UCHAR and BOOLEAN are).
 */
export type ScalarValue = number | bigint | boolean | string;

/** The range of each integer base type up to 32 bits (one table: encoding checks it). */
export const INTEGER_RANGE: Partial<Record<PrimitiveName, [number, number]>> = {
  byte: [0, 0xff],
  uchar: [0, 0xff],
  small: [-0x80, 0x7f],
  usmall: [0, 0xff],
  short: [-0x8000, 0x7fff],
  ushort: [0, 0xffff],
  long: [-0x80000000, 0x7fffffff],
  ulong: [0, 0xffffffff],
  error_status_t: [0, 0xffffffff],
};

/** How messages spell the unsigned base types (their model names are short forms). */
const IDL_SPELLING: Partial<Record<PrimitiveName, string>> = {
  uchar: 'unsigned char',
  usmall: 'unsigned small',
  ushort: 'unsigned short',
  ulong: 'unsigned long',
};

/** Checks a value for a base type and returns the number or bigint to store. */
export function checkScalar(type: PrimitiveName, value: unknown, path: string): number | bigint {
  switch (type) {
    case 'boolean':
      if (typeof value !== 'boolean')
        throw new TypeError(`${path}: expected a boolean, got ${describe(value)}`);
      return value ? 1 : 0;
    case 'char':
      return checkCharacter(value, path, 0xff, 'a one-character Latin-1 string');
    case 'wchar_t':
      return checkCharacter(value, path, 0xffff, 'a one-character string (one UTF-16 unit)');
    case 'hyper':
    case 'uhyper':
      return checkHyper(type, value, path);
    case 'float':
      if (typeof value !== 'number')
        throw new TypeError(`${path}: expected a number, got ${describe(value)}`);
      // Rounding to float32 is expected; a finite value that would become infinite is not.
      if (Number.isFinite(value) && !Number.isFinite(Math.fround(value))) {
        throw new RangeError(`${path}: ${value} is outside float (±3.4028234663852886e38)`);
      }
      return value;
    case 'double':
      if (typeof value !== 'number')
        throw new TypeError(`${path}: expected a number, got ${describe(value)}`);
      return value;
    case 'handle_t':
      throw new TypeError(`${path}: handle_t values are not passed from JS`);
    default: {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        throw new TypeError(`${path}: expected an integer, got ${describe(value)}`);
      }
      const range = INTEGER_RANGE[type];
      if (!range) throw new TypeError(`${path}: values of type ${type} are not supported`);
      const [min, max] = range;
      if (value < min || value > max) {
        throw new RangeError(`${path}: ${value} is outside ${IDL_SPELLING[type] ?? type} (${min}..${max})`);
      }
      return value;
    }
  }
}

/**
 * A [range(min, max)] value: rpcrt4 checks it on both sides (RPC_S_INVALID_BOUND from
 * the client's own engine), so winrpc refuses it before sending, naming the path.
 * `checked` is what checkScalar returned (a character as its code).
 */
export function checkRange(
  range: { min: number; max: number } | undefined,
  checked: number | bigint,
  path: string,
): void {
  if (!range) return;
  const value = Number(checked);
  if (value < range.min || value > range.max) {
    throw new RangeError(`${path}: ${value} is outside [range(${range.min}, ${range.max})]`);
  }
}

function checkCharacter(value: unknown, path: string, max: number, expected: string): number {
  if (typeof value === 'string' && value.length === 1 && value.charCodeAt(0) <= max)
    return value.charCodeAt(0);
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max) return value;
  throw new TypeError(`${path}: expected ${expected} or its code, got ${describe(value)}`);
}

function checkHyper(type: 'hyper' | 'uhyper', value: unknown, path: string): bigint {
  let big: bigint;
  if (typeof value === 'bigint') big = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) big = BigInt(value);
  else throw new TypeError(`${path}: expected a bigint (or a safe integer), got ${describe(value)}`);
  const fits = type === 'hyper' ? BigInt.asIntN(64, big) === big : BigInt.asUintN(64, big) === big;
  if (!fits) throw new RangeError(`${path}: ${big} is outside ${type}`);
  return big;
}

export function writeScalar(
  view: DataView,
  offset: number,
  type: PrimitiveName,
  value: number | bigint,
): void {
  switch (type) {
    case 'boolean':
    case 'byte':
    case 'char':
    case 'uchar':
    case 'usmall':
      view.setUint8(offset, Number(value));
      return;
    case 'small':
      view.setInt8(offset, Number(value));
      return;
    case 'wchar_t':
    case 'ushort':
      view.setUint16(offset, Number(value), true);
      return;
    case 'short':
      view.setInt16(offset, Number(value), true);
      return;
    case 'long':
      view.setInt32(offset, Number(value), true);
      return;
    case 'ulong':
    case 'error_status_t':
      view.setUint32(offset, Number(value), true);
      return;
    case 'hyper':
      view.setBigInt64(offset, BigInt(value), true);
      return;
    case 'uhyper':
    case 'handle_t':
      view.setBigUint64(offset, BigInt(value), true);
      return;
    case 'float':
      view.setFloat32(offset, Number(value), true);
      return;
    case 'double':
      view.setFloat64(offset, Number(value), true);
      return;
  }
}

export function readScalar(view: DataView, offset: number, type: PrimitiveName): ScalarValue {
  switch (type) {
    case 'boolean':
      return view.getUint8(offset) !== 0;
    case 'byte':
    case 'uchar':
    case 'usmall':
      return view.getUint8(offset);
    case 'char':
      return String.fromCharCode(view.getUint8(offset));
    case 'small':
      return view.getInt8(offset);
    case 'wchar_t':
      return String.fromCharCode(view.getUint16(offset, true));
    case 'ushort':
      return view.getUint16(offset, true);
    case 'short':
      return view.getInt16(offset, true);
    case 'long':
      return view.getInt32(offset, true);
    case 'ulong':
    case 'error_status_t':
      return view.getUint32(offset, true);
    case 'hyper':
      return view.getBigInt64(offset, true);
    case 'uhyper':
    case 'handle_t':
      return view.getBigUint64(offset, true);
    case 'float':
      return view.getFloat32(offset, true);
    case 'double':
      return view.getFloat64(offset, true);
  }
}

/** A short description of a wrong value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
