// The IDLs of test/fixtures/idl/ that the differential (widl) and layout (mingw) checks
// compile; one list, so a new fixture is checked by both.
export const IDL_CORPUS = [
  'calc',
  'types',
  'structs',
  'dtyp',
  'unions',
  'ctxh',
  'misc',
  'ms-srvs',
  'ms-wkst',
  'ms-even',
  'ms-rrp',
  'levels',
  'handles',
  'arrayparams',
] as const;
