// The JS shapes of types that are not plain numbers, strings and objects: byte data
// (Uint8Array) and GUIDs (canonical lowercase strings). One place decides which layouts
// get them, so the runtime's encoder and decoder and the generated types agree
// (lib/codegen/ts-types.ts asks the same questions).
import type { TypeLayout } from '../ndr/compiled.js';
import { describe } from './scalars.js';

const BYTE_PRIMITIVES = new Set(['byte', 'char', 'uchar', 'small', 'usmall']);

/**
 * One-byte elements that are data, not text: byte, (unsigned) char, small. An array (or
 * sized pointer) of them is a Uint8Array; `[string]` char data is a `string` kind, not this.
 */
export function isByteElement(type: TypeLayout): boolean {
  return type.kind === 'primitive' && BYTE_PRIMITIVES.has(type.primitive);
}

/** An array of byte elements: a Uint8Array in JS. */
export function isByteArray(type: TypeLayout): boolean {
  return type.kind === 'array' && isByteElement(type.element);
}

/**
 * The bytes of a byte-array value without copying: a Uint8Array or Buffer as it is, any
 * other ArrayBufferView as the bytes it spans, an ArrayBuffer whole. Plain arrays
 * (number[]) are not bytes yet: they are checked element by element. undefined otherwise.
 */
export function viewBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return undefined;
}

/** The element count of a byte-array value (bytes, or a plain array of numbers). */
export function byteValueLength(value: unknown): number | undefined {
  if (Array.isArray(value)) return value.length;
  return viewBytes(value)?.length;
}

/** What a byte-array parameter accepts, for error messages. */
export const BYTES_EXPECTED = 'a Uint8Array, Buffer, ArrayBufferView, ArrayBuffer or array of numbers';

// GUID, UUID, uuid_t (DCE's name), IID, CLSID...: recognised by their C shape, whatever
// the typedef calls them: { unsigned long Data1; unsigned short Data2, Data3; byte Data4[8]; }.
const GUID_FIELDS: readonly [string, (t: TypeLayout) => boolean][] = [
  ['Data1', (t) => t.kind === 'primitive' && (t.primitive === 'ulong' || t.primitive === 'long')],
  ['Data2', (t) => t.kind === 'primitive' && (t.primitive === 'ushort' || t.primitive === 'short')],
  ['Data3', (t) => t.kind === 'primitive' && (t.primitive === 'ushort' || t.primitive === 'short')],
  [
    'Data4',
    (t) => t.kind === 'array' && isByteElement(t.element) && t.count === 8 && !t.sizeIs && !t.lengthIs,
  ],
];

// DCE's own uuid_t spells the same 16 bytes with the RFC 4122 field names.
const isOneByte = (t: TypeLayout) => isByteElement(t);
const DCE_UUID_FIELDS: readonly [string, (t: TypeLayout) => boolean][] = [
  ['time_low', (t) => t.kind === 'primitive' && t.primitive === 'ulong'],
  ['time_mid', (t) => t.kind === 'primitive' && t.primitive === 'ushort'],
  ['time_hi_and_version', (t) => t.kind === 'primitive' && t.primitive === 'ushort'],
  ['clock_seq_hi_and_reserved', isOneByte],
  ['clock_seq_low', isOneByte],
  ['node', (t) => t.kind === 'array' && isByteElement(t.element) && t.count === 6 && !t.lengthIs],
];

/** A GUID struct (GUID, UUID, IID, DCE's uuid_t...): its JS value is the canonical lowercase string. */
export function isGuid(type: TypeLayout): boolean {
  if (type.kind !== 'struct' || type.size !== 16) return false;
  const matches = (fields: readonly [string, (t: TypeLayout) => boolean][]) =>
    type.fields.length === fields.length &&
    fields.every(([name, fits], i) => {
      const field = type.fields[i];
      return field?.name === name && fits(field.type);
    });
  return matches(GUID_FIELDS) || matches(DCE_UUID_FIELDS);
}

const GUID_TEXT = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i;

/** The 16 bytes of a GUID in memory (Data1-3 little-endian) from its string or struct value. */
export function guidBytes(value: unknown, path: string): Uint8Array {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  if (typeof value === 'string') {
    const m = GUID_TEXT.exec(value);
    if (!m)
      throw new TypeError(
        `${path}: expected a GUID like "00000000-0000-0000-0000-000000000000", got ${describe(value)}`,
      );
    const [, d1, d2, d3, d4a, d4b] = m as unknown as [string, string, string, string, string, string];
    view.setUint32(0, Number.parseInt(d1, 16), true);
    view.setUint16(4, Number.parseInt(d2, 16), true);
    view.setUint16(6, Number.parseInt(d3, 16), true);
    const tail = d4a + d4b;
    for (let i = 0; i < 8; i++) bytes[8 + i] = Number.parseInt(tail.slice(i * 2, i * 2 + 2), 16);
    return bytes;
  }
  throw new TypeError(
    `${path}: expected a GUID string or a { Data1, Data2, Data3, Data4 } object, got ${describe(value)}`,
  );
}

const hex = (n: number, digits: number) => n.toString(16).padStart(digits, '0');

/** The canonical lowercase string of a GUID's 16 bytes in memory. */
export function guidString(view: DataView, offset: number): string {
  let tail = '';
  for (let i = 8; i < 16; i++) tail += hex(view.getUint8(offset + i), 2);
  return `${hex(view.getUint32(offset, true), 8)}-${hex(view.getUint16(offset + 4, true), 4)}-${hex(view.getUint16(offset + 6, true), 4)}-${tail.slice(0, 4)}-${tail.slice(4)}`;
}

// LARGE_INTEGER / ULARGE_INTEGER: { hyper QuadPart } is its bigint.
/** A struct whose only field is a 64-bit QuadPart: its JS value is that bigint. */
export function isLargeInteger(type: TypeLayout): boolean {
  if (type.kind !== 'struct' || type.size !== 8 || type.fields.length !== 1) return false;
  const [field] = type.fields;
  return (
    field?.name === 'QuadPart' &&
    field.type.kind === 'primitive' &&
    (field.type.primitive === 'hyper' || field.type.primitive === 'uhyper')
  );
}

// RPC_SID ([MS-DTYP] 2.4.2.3): Revision, SubAuthorityCount, IdentifierAuthority.Value[6],
// SubAuthority[SubAuthorityCount]. Its JS value is the string form of [MS-DTYP] 2.4.2.1.
/** A SID struct: its JS value is "S-1-5-32-544". */
export function isSid(type: TypeLayout): boolean {
  if (type.kind !== 'struct' || type.fields.length !== 4) return false;
  const [revision, count, authority, sub] = type.fields;
  return (
    revision?.name === 'Revision' &&
    count?.name === 'SubAuthorityCount' &&
    authority?.name === 'IdentifierAuthority' &&
    authority.type.kind === 'struct' &&
    authority.type.size === 6 &&
    sub?.name === 'SubAuthority' &&
    sub.type.kind === 'array' &&
    sub.type.sizeIs?.source === 'field'
  );
}

const SID_TEXT = /^S-(\d+)-(\d+|0x[0-9a-f]{12})((?:-\d+)*)$/i;

/** A SID string as the struct object the encoder lays out (checked, naming `path`). */
export function sidRecord(value: string, path: string): Record<string, unknown> {
  const m = SID_TEXT.exec(value);
  const subs = m?.[3] ? m[3].slice(1).split('-').map(Number) : [];
  const authority = m ? BigInt(m[2]!) : -1n;
  const revision = m ? Number(m[1]) : -1;
  if (
    !m ||
    revision > 255 ||
    authority >= 2n ** 48n ||
    subs.length > 15 ||
    subs.some((s) => s > 0xffffffff)
  ) {
    throw new TypeError(`${path}: expected a SID like "S-1-5-32-544", got ${describe(value)}`);
  }
  const bytes = new Uint8Array(6);
  for (let i = 0; i < 6; i++) bytes[i] = Number((authority >> BigInt(8 * (5 - i))) & 0xffn);
  return {
    Revision: revision,
    SubAuthorityCount: subs.length,
    IdentifierAuthority: { Value: bytes },
    SubAuthority: subs,
  };
}

/** The string form of a decoded SID struct (authority in hex from 2^32 on, as Windows writes it). */
export function sidString(record: Record<string, unknown>): string {
  const revision = record.Revision as string | number;
  const value = (record.IdentifierAuthority as { Value: Uint8Array }).Value;
  let authority = 0n;
  for (const b of value) authority = (authority << 8n) | BigInt(b);
  const text = authority < 2n ** 32n ? String(authority) : `0x${authority.toString(16).padStart(12, '0')}`;
  const code = typeof revision === 'string' ? revision.charCodeAt(0) : revision;
  return [`S-${code}-${text}`, ...(record.SubAuthority as number[])].join('-');
}

/**
 * A struct value in the JS form of its shape (a LARGE_INTEGER's bigint, a SID's string)
 * as the struct object the encoder lays out; any other value as it is.
 */
export function asStructValue(type: TypeLayout, value: unknown, path: string): unknown {
  if ((typeof value === 'bigint' || typeof value === 'number') && isLargeInteger(type))
    return { QuadPart: value };
  if (typeof value === 'string' && isSid(type)) return sidRecord(value, path);
  return value;
}

/** A decoded struct record in the JS form of its shape. */
export function shapedStruct(type: TypeLayout, record: Record<string, unknown>): unknown {
  if (isLargeInteger(type)) return record.QuadPart;
  if (isSid(type)) return sidString(record);
  return record;
}
