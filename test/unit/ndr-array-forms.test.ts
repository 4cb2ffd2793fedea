// Fixed and varying arrays: the small (16-bit sizes) and large (32-bit sizes) forms, byte
// by byte, from the array layouts of "RPC NDR Format Strings":
//   FC_SMFARRAY alignment<1> total_size<2> element FC_END
//   FC_LGFARRAY alignment<1> total_size<4> element FC_END
//   FC_SMVARRAY alignment<1> total_size<2> number_elements<2> element_size<2> variance element FC_END
//   FC_LGVARRAY alignment<1> total_size<4> number_elements<4> element_size<2> variance element FC_END
// (alignment is the element's wire alignment less one; a pad byte 0x5c keeps a descriptor
// even-sized before FC_END 0x5b). The small forms hold total sizes up to 65535 bytes.
// Under /robust the variance descriptor is 6 bytes: here `28 00 08 00 01 00`, a long
// parameter at stack offset 8 (the handle_t is slot 0), early.
import { describe, expect, it } from 'vitest';
import { compileBody } from './idl-body.js';

const hex = (a: ArrayLike<number>) => Array.from(a, (b) => b.toString(16).padStart(2, '0')).join(' ');
const typeFormat = (body: string) => hex(compileBody(body).typeFormat);

describe('fixed arrays', () => {
  it.each([
    // 65535 bytes: the last size the 16-bit total holds.
    ['byte', 65535, '1d 00 ff ff 01 5b'],
    ['byte', 65536, '1e 00 00 00 01 00 01 5b'],
    // 20000 longs = 80000 bytes = 0x13880, 4-aligned.
    ['long', 20000, '1e 03 80 38 01 00 08 5b'],
    ['short', 8, '1d 01 10 00 06 5b'],
  ])('%s[%i] behind a [unique] pointer: %s', (type, count, bytes) => {
    const t = typeFormat(`typedef ${type} A[${count}];\nvoid F([in] handle_t h, [in, unique] A *p);`);
    // The array first (after the leading zero short), then the FC_UP pointing back at it.
    expect(t.startsWith(`00 00 ${bytes} 12 00`)).toBe(true);
  });
});

describe('varying arrays (length_is)', () => {
  const V = '28 00 08 00 01 00';
  it.each([
    ['long', 4, `1f 03 10 00 04 00 04 00 ${V} 08 5b`],
    ['byte', 65535, `1f 00 ff ff ff ff 01 00 ${V} 01 5b`],
    // 70000 = 0x11170 bytes and elements.
    ['byte', 70000, `20 00 70 11 01 00 70 11 01 00 01 00 ${V} 01 5b`],
  ])('[unique, length_is(n)] %s a[%i]: %s', (type, count, bytes) => {
    const t = typeFormat(
      `void F([in] handle_t h, [in] long n, [in, unique, length_is(n)] ${type} a[${count}]);`,
    );
    expect(t.startsWith(`00 00 ${bytes} 12 00`)).toBe(true);
  });
});
