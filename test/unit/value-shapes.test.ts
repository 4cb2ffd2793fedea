// The JS shapes of byte data, GUIDs and NULL [in, out] context handles, on both sides
// of a call: encodeCall lays them out, and decodeCall reads the same memory back (the
// arena as a server that changed nothing would leave it). Wrong values are TypeErrors
// naming their path, before anything is sent.
import { describe, expect, it } from 'vitest';
import { toJson } from '../../lib/cli/call.js';
import { generateClient } from '../../lib/codegen/generate.js';
import { compileIdl } from '../../lib/ndr/compile.js';
import type { CompiledProcedure } from '../../lib/ndr/compiled.js';
import { decodeCall } from '../../lib/runtime/decode-call.js';
import { encodeCall } from '../../lib/runtime/encode-call.js';
import { callArena } from '../support/call-arena.js';

const shapes = compileIdl(
  `[uuid(5e1f0c2a-3b4d-4e6f-8a9b-0c1d2e3f4a5b), version(1.0), pointer_default(unique)]
  interface shapes {
    typedef [context_handle] void *H;
    typedef struct Rec { GUID id; byte tag[4]; long n; [size_is(n)] unsigned char *data; } Rec;
    typedef struct uuid_t {
      unsigned long time_low; unsigned short time_mid; unsigned short time_hi_and_version;
      unsigned char clock_seq_hi_and_reserved; unsigned char clock_seq_low; byte node[6];
    } uuid_t;
    void Bytes([in] long n, [in, out, size_is(n)] byte *data);
    void Chars([in, out] char fixed[6]);
    void Smalls([in] long n, [in, out, size_is(n)] small *data);
    void Window([in] long n, [in] long len, [in, out, size_is(n), length_is(len)] unsigned char *data);
    void Guid([in, out] GUID *g);
    void DceUuid([in, out] uuid_t *u);
    void Record([in, out] Rec *r);
    void Lookup([in, out] H *h);
    void Text([in, out, string, size_is(8)] char *s);
    void Longs([in] long n, [in, out, size_is(n)] long *data);
    void Large([in, out] LARGE_INTEGER *v, [in, out] ULARGE_INTEGER *u);
    void LargeByValue([in] LARGE_INTEGER v);
    void Sid([in, out] PRPC_SID sid);
  }`,
  { file: 'shapes.idl' },
)[0]!;

function procedure(name: string): CompiledProcedure {
  const proc = shapes.procedures.find((p) => p.name === name);
  if (!proc) throw new Error(`no procedure ${name}`);
  return proc;
}

const ARENA_ADDRESS = 0x7ff6_1234_0000n;

/** Encodes a call, then decodes its [in, out] values from the arena as it was sent. */
function roundTrip(name: string, ...args: unknown[]): Record<string, unknown> {
  const proc = procedure(name);
  const plan = encodeCall(proc, args, shapes.uuid);
  const arena = callArena(plan.encoded);
  // Relocate the arena's pointers as native code does before the call.
  const view = new DataView(arena.buffer);
  for (const at of plan.encoded.relocations) {
    view.setBigUint64(at, view.getBigUint64(at, true) + ARENA_ADDRESS, true);
  }
  return decodeCall(proc, plan, {
    reply: 0n,
    arenaAddress: ARENA_ADDRESS,
    arena: arena.buffer,
    blocks: [],
  } as never) as Record<string, unknown>;
}

function arenaOf(name: string, ...args: unknown[]): Uint8Array {
  return encodeCall(procedure(name), args, shapes.uuid).encoded.arena;
}

describe('byte data is a Uint8Array', () => {
  const bytes = [1, 2, 0xfe, 0xff];
  it.each([
    ['a Uint8Array', new Uint8Array(bytes)],
    ['a Buffer', Buffer.from(bytes)],
    ['an ArrayBuffer', new Uint8Array(bytes).buffer],
    ['a DataView', new DataView(new Uint8Array([9, ...bytes, 9]).buffer, 1, 4)],
    ['another typed array (its bytes)', new Uint16Array([0x0201, 0xfffe])],
    ['a subarray (only its bytes)', new Uint8Array([7, ...bytes, 7]).subarray(1, 5)],
    ['an array of numbers', bytes],
  ])('goes in as %s and comes back as a Uint8Array', (_what, value) => {
    const out = roundTrip('Bytes', undefined, value).data;
    expect(out).toBeInstanceOf(Uint8Array);
    expect(Array.from(out as Uint8Array)).toEqual(bytes);
  });

  it('covers char arrays that are not [string], small (as its bytes) and length_is windows', () => {
    expect(roundTrip('Chars', Buffer.from('abc\0de')).fixed).toEqual(new Uint8Array(Buffer.from('abc\0de')));
    expect(roundTrip('Chars', ['a', 'b', 'c', 0, 'd', 'e']).fixed).toEqual(
      new Uint8Array(Buffer.from('abc\0de')),
    );
    expect(roundTrip('Smalls', undefined, [-1, 2, -128]).data).toEqual(new Uint8Array([0xff, 2, 0x80]));
    expect(roundTrip('Window', 8, undefined, Buffer.from('xyz')).data).toEqual(
      new Uint8Array(Buffer.from('xyz')),
    );
    // [string] char data stays a string.
    expect(roundTrip('Text', 'hi').s).toBe('hi');
    // Other element types stay arrays of numbers.
    expect(roundTrip('Longs', undefined, new Int32Array([1, -2])).data).toEqual([1, -2]);
  });

  it('is copied, not aliased: the result does not share memory with the reply', () => {
    const out = roundTrip('Bytes', undefined, Buffer.from([1, 2, 3])).data as Uint8Array;
    expect(out.byteOffset).toBe(0);
    expect(out.buffer.byteLength).toBe(3);
  });

  it('copies 1 MB in one step', () => {
    const big = Buffer.alloc(1 << 20, 0x5a);
    const arena = arenaOf('Bytes', undefined, big);
    expect(arena.indexOf(0x5a)).toBeGreaterThanOrEqual(0);
    expect(arena.filter((b) => b === 0x5a).length).toBe(1 << 20);
    const out = roundTrip('Bytes', undefined, big).data as Uint8Array;
    expect(out.length).toBe(1 << 20);
    expect(out.every((b) => b === 0x5a)).toBe(true);
  });

  it.each([
    [
      'Bytes',
      [3, 'abc'],
      /^Bytes\(data\): expected a Uint8Array, Buffer, ArrayBufferView, ArrayBuffer or array of numbers, got the string "abc"/,
    ],
    ['Bytes', [undefined, [1, 256]], /^Bytes\(data\)\[1\]: 256 is outside byte/],
    ['Bytes', [2, Buffer.from([1, 2, 3])], /^Bytes\(data\): 3 elements contradict size_is \(2\)/],
    ['Chars', [Buffer.from('abc')], /^Chars\(fixed\): expected 6 bytes \(.*\), got 3 elements/],
    ['Chars', [{ length: 6 }], /^Chars\(fixed\): expected 6 bytes/],
    ['Smalls', [undefined, [200]], /^Smalls\(data\)\[0\]: 200 is outside small/],
  ])('%s(%j) is refused, naming the path', (name, args, message) => {
    expect(() => encodeCall(procedure(name), args, shapes.uuid)).toThrow(message);
  });
});

describe('GUIDs are canonical lowercase strings', () => {
  const text = '6b29fc40-ca47-1067-b31d-00dd010662da';
  const struct = {
    Data1: 0x6b29fc40,
    Data2: 0xca47,
    Data3: 0x1067,
    Data4: [0xb3, 0x1d, 0x00, 0xdd, 0x01, 0x06, 0x62, 0xda],
  };

  it('lays a GUID out as C does (Data1-3 little-endian, Data4 as bytes)', () => {
    expect(Buffer.from(arenaOf('Guid', text)).toString('hex')).toBe('40fc296b47ca6710b31d00dd010662da');
  });

  it.each([
    ['its string', text],
    ['its string in upper case', text.toUpperCase()],
    ['its string in braces', `{${text}}`],
    ['its struct', struct],
    ['its struct with Data4 as a Buffer', { ...struct, Data4: Buffer.from(struct.Data4) }],
  ])('goes in as %s and comes back as the canonical string', (_what, value) => {
    expect(roundTrip('Guid', value).g).toBe(text);
  });

  it('covers DCE uuid_t, UUID and GUIDs inside structs', () => {
    expect(roundTrip('DceUuid', text).u).toBe(text);
    const rec = roundTrip('Record', { id: text, tag: [1, 2, 3, 4], data: Buffer.from('zz') }).r;
    expect(rec).toEqual({
      id: text,
      tag: new Uint8Array([1, 2, 3, 4]),
      n: 2,
      data: new Uint8Array([122, 122]),
    });
  });

  it.each([
    [
      'not-a-guid',
      /^Guid\(g\): expected a GUID like "00000000-0000-0000-0000-000000000000", got the string "not-a-guid"/,
    ],
    [42, /^Guid\(g\): expected a GUID string or a \{ Data1, Data2, Data3, Data4 \} object, got number 42/],
    [{ ...struct, Data4: [1] }, /^Guid\(g\)\.Data4: expected 8 bytes/],
  ])('%j is refused, naming the path', (value, message) => {
    expect(() => encodeCall(procedure('Guid'), [value], shapes.uuid)).toThrow(message);
  });
});

describe('LARGE_INTEGER is a bigint, a SID its string', () => {
  it('reads and writes LARGE_INTEGER / ULARGE_INTEGER as their QuadPart', () => {
    expect(roundTrip('Large', -5n, 2n ** 64n - 1n)).toEqual({ v: -5n, u: 2n ** 64n - 1n });
    expect(roundTrip('Large', 7, { QuadPart: 3n })).toEqual({ v: 7n, u: 3n });
    const slots = encodeCall(procedure('LargeByValue'), [-2n], shapes.uuid).encoded.slots;
    expect(slots[2]).toBe(2n ** 64n - 2n); // passed in its slot, as C passes an 8-byte struct
    expect(() => encodeCall(procedure('Large'), [2n ** 63n, 0], shapes.uuid)).toThrow(
      /^Large\(v\)\.QuadPart: 9223372036854775808 is outside hyper/,
    );
  });

  it.each([
    ['S-1-5-32-544', 'S-1-5-32-544'],
    ['S-1-5-21-1004336348-1177238915-682003330-512', 'S-1-5-21-1004336348-1177238915-682003330-512'],
    ['s-1-0X123456789ABC-7', 'S-1-0x123456789abc-7'],
    ['S-1-1', 'S-1-1'],
  ])('writes %s and reads back %s', (text, canonical) => {
    expect(roundTrip('Sid', text).sid).toBe(canonical);
  });

  it('accepts the RPC_SID struct too', () => {
    const struct = {
      Revision: 1,
      IdentifierAuthority: { Value: [0, 0, 0, 0, 0, 5] },
      SubAuthority: [32, 544],
    };
    expect(roundTrip('Sid', struct).sid).toBe('S-1-5-32-544');
  });

  it.each(['S-1', 'S-1-5-x', 'S-1-281474976710656-1', 'S-1-5-4294967296', 42])(
    'refuses %j, naming the path',
    (value) => {
      expect(() => encodeCall(procedure('Sid'), [value], shapes.uuid)).toThrow(/^Sid\(sid\)/);
    },
  );
});

describe('[in, out] context handles', () => {
  it('accept null: a NULL context handle is sent, and a NULL one comes back as null', () => {
    const plan = encodeCall(procedure('Lookup'), [null], shapes.uuid);
    const at = plan.pointees.get('h')!;
    expect(
      new DataView(plan.encoded.arena.buffer).getBigUint64(plan.encoded.arena.byteOffset + at, true),
    ).toBe(0n);
    expect(roundTrip('Lookup', null)).toEqual({ h: null });
  });

  it('still refuse anything else', () => {
    expect(() => encodeCall(procedure('Lookup'), [42], shapes.uuid)).toThrow(
      /^Lookup\(h\): expected a context handle this interface returned, got number 42/,
    );
  });
});

describe('generated types say the same', () => {
  const source = `[uuid(5e1f0c2a-3b4d-4e6f-8a9b-0c1d2e3f4a5c), version(1.0), pointer_default(unique)]
  interface typed {
    typedef [context_handle] void *H;
    typedef struct Rec { GUID id; byte tag[4]; } Rec;
    void Bytes([in] long n, [in, out, size_is(n)] byte *data);
    void Guid([in, out] GUID *g);
    void Record([out] Rec *r);
    void Lookup([in, out] H *h);
    void Large([in, out] LARGE_INTEGER *v);
    void Sid([in] PRPC_SID sid);
  }`;
  const text = generateClient(source, { file: 'typed.idl' });

  it('types LARGE_INTEGER as bigint and a SID as its string, accepting their structs too', () => {
    expect(text).toContain('export type LARGE_INTEGER = bigint;');
    expect(text).toContain('export type RPC_SID = string;');
    expect(text).toContain(
      'Large(v: bigint | number | { QuadPart: bigint | number; }, options?: CallOptions): Promise<{ v: LARGE_INTEGER }>;',
    );
    expect(text).toMatch(
      /Sid\(sid: string \| \{ Revision: number; SubAuthorityCount: .*; \}, options\?: CallOptions\): Promise<void>;/,
    );
  });

  it('types byte data as Uint8Array, accepting any binary form', () => {
    expect(text).toContain(
      'Bytes(n: number | undefined, data: ArrayBufferView | ArrayBuffer | readonly number[], options?: CallOptions): Promise<{ data: Uint8Array }>;',
    );
    expect(text).toContain('tag: Uint8Array;');
  });

  it('types GUIDs as strings, accepting the struct too', () => {
    expect(text).toContain('export type GUID = string;');
    expect(text).toContain('id: GUID;');
    expect(text).toMatch(
      /Guid\(g: string \| \{ Data1: number; Data2: number; Data3: number; Data4: ArrayBufferView \| ArrayBuffer \| readonly number\[\]; \}, options\?: CallOptions\): Promise<\{ g: GUID \}>;/,
    );
  });

  it('lets an [in, out] context handle be null', () => {
    expect(text).toContain(
      'Lookup(h: ContextHandle<"H"> | null, options?: CallOptions): Promise<{ h: ContextHandle<"H"> | null }>;',
    );
  });
});

describe('winrpc call prints byte data', () => {
  it('as an array of numbers on one line (what it takes as input), bigints as digits', () => {
    expect(toJson({ data: new Uint8Array([1, 2, 255]), empty: new Uint8Array(0), big: 2n ** 64n })).toBe(
      '{\n  "data": [1, 2, 255],\n  "empty": [],\n  "big": 18446744073709551616\n}',
    );
  });
});
