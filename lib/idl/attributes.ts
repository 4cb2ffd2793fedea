// The one table of IDL and ACF attributes: for each, where MIDL allows it (in the IDL
// and in the ACF) and what winrpc does with it there. The parser keeps every attribute;
// the resolve-*.ts files and acf.ts check each list against this table before reading it, so an
// unknown or misplaced attribute is an IdlError at the attribute.
import type { AttrAst } from './ast.js';
import { IdlError } from './errors.js';

/** Where an attribute list stands. `arm`: a union arm's [case]/[default], read by the parser. */
export type AttrPlace = 'interface' | 'typedef' | 'field' | 'param' | 'procedure' | 'arm';

/**
 * What winrpc does with an attribute in one place: reads it (`supported`), accepts it
 * with no effect on the wire or the client (`ignored`), skips what carries it with a
 * warning (`skips`), or refuses it (`unsupported`). `why` says why, where it needs saying.
 */
export type AttrSupport =
  | { kind: 'supported'; why?: string }
  | { kind: 'ignored'; why: string }
  | { kind: 'skips'; why: string }
  | { kind: 'unsupported'; why?: string };

export interface AttrRule {
  /** Places MIDL allows it in an IDL file. */
  idl?: Partial<Record<AttrPlace, AttrSupport>>;
  /** Places MIDL allows it in an ACF. */
  acf?: Partial<Record<Exclude<AttrPlace, 'field' | 'arm'>, AttrSupport>>;
}

const yes: AttrSupport = { kind: 'supported' };
const recorded = (why: string): AttrSupport => ({ kind: 'supported', why });
const ignored = (why: string): AttrSupport => ({ kind: 'ignored', why });
const skips = (why: string): AttrSupport => ({ kind: 'skips', why });
const no = (why?: string): AttrSupport => ({ kind: 'unsupported', ...(why ? { why } : {}) });

/** The same support in several places. */
function on<P extends AttrPlace>(
  places: readonly P[],
  support: AttrSupport,
): Partial<Record<P, AttrSupport>> {
  return Object.fromEntries(places.map((p) => [p, support])) as Partial<Record<P, AttrSupport>>;
}

/** Where a data item's type is declared: its attributes shape that type. */
const DATA = ['typedef', 'field', 'param'] as const;
const TYPELIB = ignored('it is type library information, which RPC never sends');
const TYPELIB_PLACES = ['interface', 'typedef', 'field', 'param', 'procedure'] as const;
const NO_RETURN_POINTER = no('a procedure cannot return a pointer in winrpc');
const OWN_MEMORY = no('winrpc allocates [out] memory itself');
const CS = no('international character conversion needs C routines in the client');
const PICKLING = no('type/procedure serialization (pickling) is not RPC');
const STUB_SHAPE = ignored("it only shapes MIDL's own stubs");

export const ATTRIBUTES: Readonly<Record<string, AttrRule>> = {
  // The interface header.
  uuid: { idl: { interface: yes, typedef: TYPELIB } },
  version: { idl: { interface: yes } },
  pointer_default: { idl: { interface: yes } },
  endpoint: { idl: { interface: yes } },
  ms_union: { idl: { interface: yes, typedef: yes } },
  object: { idl: { interface: skips('an object (COM) interface is not supported yet') } },
  local: {
    idl: {
      interface: skips('a [local] interface is not supported yet'),
      procedure: skips('a [local] procedure has no stubs'),
    },
  },
  async_uuid: { idl: { interface: no('COM asynchronous interfaces') } },
  implicit_handle: {
    idl: { interface: recorded('winrpc always binds explicitly') },
    acf: { interface: recorded('winrpc always binds explicitly') },
  },
  auto_handle: {
    idl: { interface: recorded('winrpc always binds explicitly') },
    acf: { interface: recorded('winrpc always binds explicitly') },
  },
  explicit_handle: {
    idl: { interface: recorded('winrpc always binds explicitly') },
    acf: { interface: recorded('winrpc always binds explicitly'), procedure: yes },
  },
  strict_context_handle: {
    idl: { interface: yes, typedef: yes, param: yes },
    acf: { interface: yes },
  },

  // Procedures.
  idempotent: { idl: { procedure: yes } },
  maybe: { idl: { procedure: yes } },
  broadcast: { idl: { procedure: yes } },
  callback: { idl: { procedure: skips('a [callback] runs in the client') } },
  call_as: { idl: { procedure: no('[call_as] maps COM methods to remote ones') } },
  message: { idl: { procedure: no('message queuing RPC') } },
  async: { acf: { procedure: recorded('winrpc calls every procedure asynchronously') } },
  notify: { acf: { procedure: no('a server-side routine') } },
  notify_flag: { acf: { procedure: no('a server-side routine') } },
  comm_status: {
    acf: {
      procedure: no('a communication failure rejects the call with an RpcError instead'),
      param: no('a communication failure rejects the call with an RpcError instead'),
    },
  },
  fault_status: {
    acf: {
      procedure: no('a server fault rejects the call with an RpcError instead'),
      param: no('a server fault rejects the call with an RpcError instead'),
    },
  },
  code: { acf: { interface: STUB_SHAPE, procedure: STUB_SHAPE } },
  nocode: { acf: { interface: STUB_SHAPE, procedure: STUB_SHAPE } },
  optimize: { acf: { interface: STUB_SHAPE, procedure: STUB_SHAPE } },
  encode: { acf: { interface: PICKLING, procedure: PICKLING, typedef: PICKLING } },
  decode: { acf: { interface: PICKLING, procedure: PICKLING, typedef: PICKLING } },

  // Parameters and the types of data.
  in: { idl: { param: yes } },
  out: { idl: { param: yes } },
  string: { idl: { ...on(DATA, yes), procedure: NO_RETURN_POINTER } },
  ref: { idl: { ...on(DATA, yes), procedure: NO_RETURN_POINTER } },
  unique: { idl: { ...on(DATA, yes), procedure: NO_RETURN_POINTER } },
  ptr: { idl: { ...on(DATA, yes), procedure: NO_RETURN_POINTER } },
  size_is: { idl: on(DATA, yes) },
  max_is: { idl: on(DATA, yes) },
  min_is: { idl: on(DATA, yes) },
  length_is: { idl: on(DATA, yes) },
  first_is: { idl: on(DATA, yes) },
  last_is: { idl: on(DATA, yes) },
  range: { idl: on(DATA, yes) },
  switch_is: { idl: on(DATA, yes) },
  switch_type: { idl: on(DATA, yes) },
  case: { idl: { arm: yes } },
  default: { idl: { arm: yes } },
  ignore: { idl: { field: yes } },
  v1_enum: { idl: { typedef: yes } },
  handle: { idl: { typedef: yes } },
  context_handle: { idl: { typedef: yes, param: yes, procedure: no('a context handle return value') } },
  type_strict_context_handle: { idl: { typedef: yes }, acf: { typedef: yes } },
  context_handle_serialize: {
    idl: { typedef: ignored("serialising calls on one handle is the server's business") },
    acf: { typedef: ignored("serialising calls on one handle is the server's business") },
  },
  context_handle_noserialize: {
    idl: { typedef: ignored("serialising calls on one handle is the server's business") },
    acf: { typedef: ignored("serialising calls on one handle is the server's business") },
  },
  disable_consistency_check: {
    idl: on(
      [...DATA, 'procedure'],
      ignored("it turns off the server's robust checks: nothing on the wire or in a client"),
    ),
  },
  public: { idl: { typedef: ignored('it only changes the C header') } },
  annotation: {
    idl: on(['interface', ...DATA, 'procedure'], ignored('a note for tools that read the IDL')),
  },
  iid_is: { idl: { field: no('interface pointers'), param: no('interface pointers') } },
  partial_ignore: { idl: { param: no() } },
  transmit_as: { idl: { typedef: no() } },
  wire_marshal: { idl: { typedef: no() } },
  represent_as: {
    // Only what a C client holds changes: the wire carries the IDL type, and so does JS.
    acf: { typedef: ignored('the wire carries the IDL (transmitted) type, which a JS caller passes') },
  },
  user_marshal: { acf: { typedef: no() } },
  allocate: { acf: { typedef: OWN_MEMORY } },
  enable_allocate: { acf: { interface: OWN_MEMORY } },
  heap: { acf: { typedef: OWN_MEMORY, param: OWN_MEMORY } },
  byte_count: { acf: { param: OWN_MEMORY } },
  force_allocate: { acf: { procedure: OWN_MEMORY, param: OWN_MEMORY } },
  cs_char: { acf: { typedef: CS } },
  cs_stag: { acf: { param: CS } },
  cs_drtag: { acf: { param: CS } },
  cs_rtag: { acf: { param: CS } },
  cs_tag_rtn: { acf: { procedure: CS } },

  // Type library attributes: MIDL writes them into a .tlb, never into stubs.
  ...Object.fromEntries(
    [
      'helpstring',
      'helpcontext',
      'helpfile',
      'helpstringcontext',
      'helpstringdll',
      'id',
      'hidden',
      'restricted',
      'custom',
      'lcid',
      'nonbrowsable',
      'nonextensible',
      'oleautomation',
      'dual',
      'odl',
      'propget',
      'propput',
      'propputref',
      'retval',
      'optional',
      'defaultvalue',
      'vararg',
      'source',
      'bindable',
      'displaybind',
      'defaultbind',
      'requestedit',
      'immediatebind',
      'readonly',
      'usesgetlasterror',
      'entry',
    ].map((name) => [name, { idl: on(TYPELIB_PLACES, TYPELIB) }]),
  ),
};

const IDL_WHERE: Record<AttrPlace, string> = {
  interface: 'an interface',
  typedef: 'a typedef',
  field: 'a struct field',
  param: 'a parameter',
  procedure: 'a procedure',
  arm: 'a union arm',
};

/**
 * Checks an IDL attribute list against the table. An ACF attribute is accepted in the IDL
 * where the ACF allows it (as MIDL does for implicit_handle and the like).
 */
export function checkIdlAttrs(attrs: readonly AttrAst[], place: AttrPlace): void {
  for (const a of attrs) {
    const rule = ATTRIBUTES[a.name];
    const where = IDL_WHERE[place];
    if (!rule) throw new IdlError(`unknown attribute [${a.name}] on ${where}`, a.loc);
    const support =
      rule.idl?.[place] ?? (place !== 'field' && place !== 'arm' ? rule.acf?.[place] : undefined);
    if (!support)
      throw new IdlError(`attribute [${a.name}] does not belong on ${where} (${placesOf(rule)})`, a.loc);
    if (support.kind === 'unsupported') throw unsupported(`attribute [${a.name}] on ${where}`, support, a);
  }
}

/** Checks an ACF attribute list; `where` names the place in messages (`type 'S'`). */
export function checkAcfAttrs(
  attrs: readonly AttrAst[],
  place: Exclude<AttrPlace, 'field' | 'arm'>,
  where: string = IDL_WHERE[place],
): void {
  for (const a of attrs) {
    const rule = ATTRIBUTES[a.name];
    const support = rule?.acf?.[place];
    if (support?.kind === 'unsupported' || !support) {
      const why =
        support ??
        (rule?.idl
          ? no(`it is an IDL attribute (${placesOf(rule)}), not an ACF one`)
          : rule
            ? no(`it does not belong on ${where} (${placesOf(rule)})`)
            : no());
      throw unsupported(`ACF attribute [${a.name}] on ${where}`, why, a);
    }
  }
}

/** The first attribute that makes the resolver skip what carries it, with why. */
export function skippedBy(attrs: readonly AttrAst[], place: AttrPlace): string | undefined {
  for (const a of attrs) {
    const s = ATTRIBUTES[a.name]?.idl?.[place];
    if (s?.kind === 'skips') return s.why;
  }
  return undefined;
}

function unsupported(what: string, support: AttrSupport, a: AttrAst): IdlError {
  const message = support.why ? `${what} is not supported: ${support.why}` : `${what} is not supported yet`;
  return new IdlError(message, a.loc, { kind: 'unsupported' });
}

/** Where an attribute belongs, for messages: "IDL: typedef, parameter; ACF: interface". */
function placesOf(rule: AttrRule): string {
  const list = (r: Partial<Record<AttrPlace, AttrSupport>> | undefined) =>
    Object.keys(r ?? {})
      .map((p) => IDL_WHERE[p as AttrPlace].replace(/^an? /, ''))
      .join(', ');
  return [rule.idl ? `IDL: ${list(rule.idl)}` : '', rule.acf ? `ACF: ${list(rule.acf)}` : '']
    .filter(Boolean)
    .join('; ');
}
