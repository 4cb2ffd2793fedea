// The [MS-SCMR] Appendix A text (ms-scmr.idl, unchanged) uses three constructs winrpc's
// IDL front end refuses today (or, for the anonymous union, compiles only by leaving
// the procedures that use it out). Until it lands, the example's generated client, the e2e tests and the
// unit test of the specification's text go through this one table of textual
// rewrites, each with the IdlError it avoids. When the compiler accepts the text, the
// unit test `test/unit/services-idl.test.ts` says so, and this file goes away.
export interface Workaround {
  /** The IdlError the unchanged text gives (its position is in ms-scmr.idl). */
  error: string;
  find: RegExp;
  replace: string;
}

export const SCMR_WORKAROUNDS: readonly Workaround[] = [
  {
    // typedef [context_handle] PVOID SC_RPC_HANDLE: the [context_handle] is on a typedef
    // of a typedef of `void *` ([MS-DTYP] PVOID).
    error: 'ms-scmr.idl:33:10: [context_handle] needs a pointer type',
    find: /\[context_handle\](\s+)PVOID /g,
    replace: '[context_handle]$1void *',
  },
  {
    // [out, string, size_is(*lpcchBuffer)] LPSTR lpDisplayName: [string] on a typedef
    // that is already [string] (LPSTR), with size_is.
    error: 'ms-scmr.idl:580:10: [string] on an array of anything but char/wchar_t is not supported yet',
    find: /(\[out,string, size_is\(\*lpcchBuffer\)\]) LPSTR /g,
    replace: '$1 char *',
  },
  {
    // SC_RPC_CONFIG_INFOA/W and SC_RPC_NOTIFY_PARAMS declare their union member without a
    // name (MIDL accepts an anonymous union inside a struct).
    // Without it the three procedures that use those structs are left out of the client.
    error:
      "'SC_RPC_CONFIG_INFOA' cannot be used: an anonymous struct or union member of 'SC_RPC_CONFIG_INFOA' is not supported yet",
    find: /(\n\s*)\};(\n\s*\} (?:SC_RPC_CONFIG_INFOA|SC_RPC_CONFIG_INFOW|SC_RPC_NOTIFY_PARAMS);)/g,
    replace: '$1} u;$2',
  },
];

/** The specification's text with the workarounds applied (each must still match). */
export function applyScmrWorkarounds(text: string): string {
  let out = text;
  for (const w of SCMR_WORKAROUNDS) {
    if (!w.find.test(out)) throw new Error(`the workaround for "${w.error}" no longer matches ms-scmr.idl`);
    w.find.lastIndex = 0;
    out = out.replace(w.find, w.replace);
  }
  return out;
}
