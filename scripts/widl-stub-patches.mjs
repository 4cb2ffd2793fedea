// Corrections to widl 7's stubs for the test servers and clients (Wine lane only; MIDL builds
// them on Windows). widl writes an embedded varying array's length_is offset from the end
// of its struct, where the NDR engine counts from the array's own start (as MIDL and
// winrpc write it: the count field's offset minus the array's). Such a server sends a
// garbage length for an [out] struct and refuses an [in] one, so the stub's bytes are
// corrected here, each patch applied exactly once or the build fails. The bytes before
// and after are pinned by each patch's text; the e2e tests that need them
// (arrays.test.ts: FillVarying, SumByteWindow) say so.

/** server name -> patches to its widl-generated <name>_s.c. */
export const WIDL_STUB_PATCHES = {
  arrays: [
    {
      why: 'Varying.values: length_is(len), len at 0, values at 4 in a 36-byte struct: -4, not -36',
      find: '0x8,\t/* Corr desc: field len, FC_LONG */\n        0x0,\t/* no operators */\n        NdrFcShort(0xffdc),\t/* offset = -36 */',
      replace:
        '0x8,\t/* Corr desc: field len, FC_LONG */\n        0x0,\t/* no operators */\n        NdrFcShort(0xfffc),\t/* offset = -4 (patched) */',
    },
    {
      why: 'ByteWindow.data: length_is(len), len at 4, data at 8 in a 20-byte struct: -4, not -16',
      find: 'NdrFcShort(0x1),\t/* 1 */\n        0x8,\t/* Corr desc: field len, FC_LONG */\n        0x0,\t/* no operators */\n        NdrFcShort(0xfff0),\t/* offset = -16 */\n        0x01,\t/* FC_BYTE */',
      replace:
        'NdrFcShort(0x1),\t/* 1 */\n        0x8,\t/* Corr desc: field len, FC_LONG */\n        0x0,\t/* no operators */\n        NdrFcShort(0xfffc),\t/* offset = -4 (patched) */\n        0x01,\t/* FC_BYTE */',
    },
  ],
  pointers: [
    {
      why: 'MakePair: its [out] Pair holds [ptr] fields, so the stub needs the full-pointer table (Oi flags 0x49, as MIDL and winrpc write); widl writes 0x48 and the server faults with 998 on the NULL table',
      find: '/* 120 (procedure pointers::MakePair) */\n        0x33,\t/* FC_AUTO_HANDLE */\n        0x48,',
      replace:
        '/* 120 (procedure pointers::MakePair) */\n        0x33,\t/* FC_AUTO_HANDLE */\n        0x49,\t/* Oi_FULL_PTR_USED (patched) */',
    },
  ],
  structs: [
    {
      why: 'Tagged.cookie is [ignore]: FC_IGNORE, nothing on the wire (as MIDL and winrpc write); widl drops [ignore] and expects a unique pointer (FC_POINTER). With it the call goes through under Wine, whose engine then mishandles FC_IGNORE itself (structs.test.ts)',
      find: '/* 336 (Tagged) */\n        0x1a,\t/* FC_BOGUS_STRUCT */\n        0x3,\t/* 3 */\n        NdrFcShort(0x18),\t/* 24 */\n        NdrFcShort(0x0),\n        NdrFcShort(0x8),\t/* Offset= 8 (350) */\n        0x08,\t/* FC_LONG */\n        0x39,\t/* FC_ALIGNM8 */\n        0x36,\t/* FC_POINTER */',
      replace:
        '/* 336 (Tagged) */\n        0x1a,\t/* FC_BOGUS_STRUCT */\n        0x3,\t/* 3 */\n        NdrFcShort(0x18),\t/* 24 */\n        NdrFcShort(0x0),\n        NdrFcShort(0x0),\t/* no pointer layout (patched) */\n        0x08,\t/* FC_LONG */\n        0x39,\t/* FC_ALIGNM8 */\n        0x0f,\t/* FC_IGNORE (patched) */',
    },
  ],
};

/** Applies `name`'s patches to the stub text; throws unless each matches exactly once. */
export function patchWidlStub(name, text) {
  let out = text;
  for (const p of WIDL_STUB_PATCHES[name] ?? []) {
    const n = out.split(p.find).length - 1;
    if (n !== 1) throw new Error(`widl stub patch for ${name} (${p.why}) matched ${n} times, not once`);
    out = out.replace(p.find, p.replace);
  }
  return out;
}
