// A JS server's [in, out] strings: a reply longer than what the client sent in the same
// place is refused (the client's stub writes it into the memory it sent from), unless the
// client's pointer was NULL on input (it allocates then) or the string has its own bound.
// The e2e side (a winrpc client and a C client, the refusal's status on the wire) is in
// js-server-inout-strings.test.ts.
import { describe, expect, it } from 'vitest';
import { compileIdl } from '../../lib/ndr/compile.js';
import type { CompiledInterface, CompiledProcedure } from '../../lib/ndr/compiled.js';
import { encodeResults } from '../../lib/server/encode-results.js';
import {
  checkInOutStrings,
  INOUT_STRING_TOO_LONG_STATUS,
  ReplyRefused,
} from '../../lib/server/inout-string-bounds.js';
import { sharedCompile } from './shared-compile.js';

const compiled = (): CompiledInterface =>
  sharedCompile('server-inout-string-bounds', () => {
    const [iface] = compileIdl(
      `[uuid(5b0e6a1c-2f4d-4e8a-9c3b-7d1e0f2a4b6c), version(1.0), pointer_default(unique)]
      interface strings {
        typedef [string] wchar_t *WSTR;
        typedef struct Named { long id; WSTR name; [string] char *tag; } Named;
        typedef union switch (long k) Pick { case 1: WSTR text; case 2: long n; } Pick;
        void Plain([in, out, string] wchar_t *s);
        void Narrow([in, out, string] char *s);
        void Sized([in] long size, [in, out, string, size_is(size)] wchar_t *s);
        void Fixed([in, out, string] wchar_t s[8]);
        void Names([in] long n, [in, out, size_is(n)] WSTR *names);
        void Record([in, out] Named *r);
        void Choice([in, out] Pick *p);
        void Out([out] WSTR *s);
      }`,
    );
    if (!iface) throw new Error('no interface');
    return iface;
  });

const proc = (name: string): CompiledProcedure => {
  const found = compiled().procedures.find((p) => p.name === name);
  if (!found) throw new Error(`no procedure ${name}`);
  return found;
};

function refusal(name: string, sent: Record<string, unknown>, reply: Record<string, unknown>) {
  try {
    checkInOutStrings(proc(name), new Map(Object.entries(sent)), new Map(Object.entries(reply)));
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('[in, out] strings in a JS server reply', () => {
  it('a top-level string may come back as long as it went, not one unit longer', () => {
    expect(refusal('Plain', { s: 'abc' }, { s: 'xyz' })).toBeUndefined();
    expect(refusal('Plain', { s: 'abc' }, { s: 'x' })).toBeUndefined();
    const error = refusal('Plain', { s: 'abc' }, { s: 'abcd' });
    expect(error).toBeInstanceOf(ReplyRefused);
    expect((error as ReplyRefused).status).toBe(1734);
    expect(INOUT_STRING_TOO_LONG_STATUS).toBe(1734);
    expect((error as Error).message).toBe(
      "Plain(s): the reply's [in, out] string has 4 code units, more than the 3 the client sent (its memory holds no more; size_is or max_is would give it room)",
    );
  });

  it('counts UTF-16 units for wchar_t and UTF-8 bytes for char', () => {
    // '\u00e9' is one UTF-16 unit and two UTF-8 bytes; '\u{1d11e}' two UTF-16 units.
    expect(refusal('Plain', { s: 'ab' }, { s: '\u{1d11e}' })).toBeUndefined();
    expect(refusal('Plain', { s: 'a' }, { s: '\u{1d11e}' })).toBeInstanceOf(ReplyRefused);
    expect(refusal('Narrow', { s: 'ab' }, { s: '\u00e9' })).toBeUndefined();
    expect(refusal('Narrow', { s: 'a' }, { s: '\u00e9' })).toBeInstanceOf(ReplyRefused);
  });

  it('a string with size_is or a fixed count is bounded by those, not by what was sent', () => {
    expect(refusal('Sized', { size: 16, s: 'a' }, { s: 'a much longer reply' })).toBeUndefined();
    expect(refusal('Fixed', { s: 'a' }, { s: 'seven!!' })).toBeUndefined();
  });

  it('strings behind embedded pointers: checked where the client had one, free where it had NULL', () => {
    expect(
      refusal('Names', { n: 3, names: ['ab', null, 'c'] }, { names: ['AB', 'a new long one', 'C'] }),
    ).toBeUndefined();
    const error = refusal('Names', { n: 3, names: ['ab', null, 'c'] }, { names: ['AB', null, 'CC'] });
    expect((error as Error).message).toMatch(
      /^Names\(names\)\[2\]: the reply's \[in, out\] string has 2 code units, more than the 1 /,
    );
    expect(
      refusal(
        'Record',
        { r: { id: 1, name: 'n', tag: null } },
        { r: { id: 1, name: 'm', tag: 'long tag' } },
      ) as Error | undefined,
    ).toBeUndefined();
    expect(
      (
        refusal(
          'Record',
          { r: { id: 1, name: 'n', tag: 't' } },
          { r: { id: 1, name: 'nn', tag: 't' } },
        ) as Error
      ).message,
    ).toMatch(/^Record\(r\)\.name: /);
  });

  it('a union arm is checked only when the reply keeps the arm the client sent', () => {
    expect(refusal('Choice', { p: { case: 1, text: 'a' } }, { p: { case: 1, text: 'b' } })).toBeUndefined();
    expect(refusal('Choice', { p: { case: 1, text: 'a' } }, { p: { case: 1, text: 'bb' } })).toBeInstanceOf(
      ReplyRefused,
    );
    expect(
      refusal('Choice', { p: { case: 2, n: 1 } }, { p: { case: 1, text: 'any length' } }),
    ).toBeUndefined();
  });

  it("[out] strings are the client stub's to allocate: any length", () => {
    expect(refusal('Out', {}, { s: 'x'.repeat(100) })).toBeUndefined();
  });

  it('encodeResults refuses the reply before laying anything out', () => {
    const encode = (reply: unknown) => encodeResults(proc('Plain'), new Map([['s', 'abc']]), reply, () => 0n);
    expect(encode({ s: 'cba' }).outs.length).toBe(3);
    expect(() => encode({ s: 'abcd' })).toThrow(ReplyRefused);
    // An [in, out] value left out stays what was sent: never longer.
    expect(() => encode({})).not.toThrow();
  });
});
