// The ACF (attribute configuration file): what winrpc can honour is applied or recorded,
// everything else is an IdlError at the attribute. winrpc calls every procedure
// asynchronously and always binds with an explicit primitive handle (slot 1), so [async]
// and the binding-handle attributes are recorded, not obeyed (docs/internals.md, "ACF").
import { checkAcfAttrs } from './attributes.js';
import { IdlError } from './errors.js';
import type { IdlInterface, IdlType } from './model.js';
import { parseAttrLists } from './parser.js';
import { bindingHandleAttr } from './resolve-interface.js';
import { markAllStrict } from './resolve-procedure.js';
import type { Token } from './token.js';
import { TokenStream } from './token-stream.js';

export function applyAcf(tokens: Token[], interfaces: IdlInterface[]): void {
  const ts = new TokenStream(tokens);
  while (!ts.atEnd()) {
    if (ts.accept(';')) continue;
    if (ts.is('import') || ts.is('include')) {
      while (!ts.accept(';')) if (ts.next().kind === 'eof') ts.fail("missing ';'");
      continue;
    }
    if (ts.is('typedef')) {
      applyTypedef(ts, interfaces);
      continue;
    }
    const attrs = parseAttrLists(ts);
    ts.expect('interface');
    const nameTok = ts.expectIdent('an interface name');
    const iface = interfaces.find((i) => i.name === nameTok.text);
    if (!iface)
      throw new IdlError(
        `the ACF names interface '${nameTok.text}', which the IDL does not define`,
        nameTok.loc,
      );
    checkAcfAttrs(attrs, 'interface');
    for (const a of attrs) {
      if (a.name === 'implicit_handle' || a.name === 'auto_handle' || a.name === 'explicit_handle')
        iface.acfHandle = bindingHandleAttr(a);
      if (a.name === 'strict_context_handle') markAllStrict(iface);
    }
    ts.expect('{');
    while (!ts.accept('}')) {
      if (ts.atEnd()) ts.fail(`missing '}' at the end of interface '${iface.name}' in the ACF`);
      if (ts.accept(';')) continue;
      if (ts.is('typedef')) {
        applyTypedef(ts, [iface]);
        continue;
      }
      const pattrs = parseAttrLists(ts);
      const procTok = ts.expectIdent('a procedure name');
      const proc = iface.procedures.find((p) => p.name === procTok.text);
      if (!proc)
        throw new IdlError(
          `the ACF names procedure '${procTok.text}', which interface '${iface.name}' does not define`,
          procTok.loc,
        );
      checkAcfAttrs(pattrs, 'procedure');
      if (pattrs.some((a) => a.name === 'async')) proc.acfAsync = true;
      if (ts.accept('(')) {
        while (!ts.accept(')')) {
          if (ts.accept(',')) continue;
          // Every ACF parameter attribute ([comm_status], [allocate], [cs_*]...) changes
          // the client's C signature or memory handling, none of which winrpc has.
          const aattrs = parseAttrLists(ts);
          const paramTok = ts.expectIdent('a parameter name');
          const known =
            proc.params.some((p) => p.name === paramTok.text) || proc.bindingHandle?.name === paramTok.text;
          if (!known)
            throw new IdlError(
              `the ACF names parameter '${paramTok.text}', which procedure '${proc.name}' does not have`,
              paramTok.loc,
            );
          checkAcfAttrs(aattrs, 'param');
        }
      }
      ts.expect(';');
    }
    ts.accept(';');
  }
}

/** `typedef [attrs] Name;`: attributes for a type the IDL defines. */
function applyTypedef(ts: TokenStream, interfaces: IdlInterface[]): void {
  ts.expect('typedef');
  const attrs = parseAttrLists(ts);
  const nameTok = ts.expectIdent('a type name');
  ts.expect(';');
  const name = nameTok.text;
  const owners = interfaces.filter((i) => name in i.aliases || name in i.types);
  if (owners.length === 0)
    throw new IdlError(`the ACF names type '${name}', which the IDL does not define`, nameTok.loc);
  checkAcfAttrs(attrs, 'typedef', `type '${name}'`);
  for (const a of attrs) {
    if (
      a.name === 'represent_as' &&
      (a.args.length !== 1 || a.args[0]?.length !== 1 || a.args[0][0]?.kind !== 'ident')
    )
      throw new IdlError(`[represent_as] takes one local type name`, a.loc);
    if (a.name !== 'type_strict_context_handle') continue;
    for (const iface of owners) {
      if (iface.aliases[name]?.kind !== 'context_handle')
        throw new IdlError(
          `[type_strict_context_handle] needs a context handle type, and '${name}' is not one`,
          a.loc,
        );
      markTypeStrict(iface, name);
    }
  }
}

/** Marks every use of a context handle typedef type-strict (a server-side check; recorded). */
function markTypeStrict(iface: IdlInterface, alias: string): void {
  const visit = (t: IdlType): IdlType => {
    if (t.kind === 'context_handle' && t.alias === alias) return { ...t, typeStrict: true };
    if (t.kind === 'pointer') return { ...t, target: visit(t.target) };
    return t;
  };
  const own = iface.aliases[alias];
  if (own) iface.aliases[alias] = visit(own);
  for (const p of iface.procedures) {
    p.returnType = visit(p.returnType);
    for (const x of p.params) x.type = visit(x.type);
  }
}
