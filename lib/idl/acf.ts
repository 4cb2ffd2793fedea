// The ACF (attribute configuration file) subset: [async] per procedure and the
// interface's binding-handle attributes. winrpc binds every call explicitly, so the
// latter are recorded, not obeyed.
import { IdlError, notSupported } from './errors.js';
import type { IdlInterface } from './model.js';
import { parseAttrs } from './parser.js';
import { markAllStrict } from './resolve.js';
import type { Token } from './token.js';
import { TokenStream } from './token-stream.js';

const ACF_INTERFACE_ATTRS = new Set([
  'implicit_handle',
  'auto_handle',
  'explicit_handle',
  'strict_context_handle',
  'optimize',
  'code',
  'nocode',
  'encode',
  'decode',
]);
const ACF_PROC_ATTRS = new Set(['async', 'code', 'nocode', 'optimize', 'explicit_handle']);

export function applyAcf(tokens: Token[], interfaces: IdlInterface[]): void {
  const ts = new TokenStream(tokens);
  while (!ts.atEnd()) {
    if (ts.accept(';')) continue;
    if (ts.is('import') || ts.is('include')) {
      while (!ts.accept(';')) if (ts.next().kind === 'eof') ts.fail("missing ';'");
      continue;
    }
    if (ts.is('typedef')) throw notSupported('typedef in an ACF', ts.peek().loc);
    const attrs = ts.is('[') ? parseAttrs(ts) : [];
    ts.expect('interface');
    const nameTok = ts.expectIdent('an interface name');
    const iface = interfaces.find((i) => i.name === nameTok.text);
    if (!iface)
      throw new IdlError(
        `the ACF names interface '${nameTok.text}', which the IDL does not define`,
        nameTok.loc,
      );
    for (const a of attrs) {
      if (!ACF_INTERFACE_ATTRS.has(a.name))
        throw notSupported(`ACF attribute [${a.name}] on an interface`, a.loc);
      if (a.name === 'implicit_handle' || a.name === 'auto_handle' || a.name === 'explicit_handle') {
        const toks = a.args[0] ?? [];
        const name = toks[toks.length - 1]?.text;
        iface.acfHandle = { kind: a.name, ...(a.name === 'implicit_handle' && name ? { name } : {}) };
      }
      if (a.name === 'strict_context_handle') markAllStrict(iface);
    }
    ts.expect('{');
    while (!ts.accept('}')) {
      if (ts.atEnd()) ts.fail(`missing '}' at the end of interface '${iface.name}' in the ACF`);
      if (ts.accept(';')) continue;
      if (ts.is('typedef')) throw notSupported('typedef in an ACF', ts.peek().loc);
      const pattrs = ts.is('[') ? parseAttrs(ts) : [];
      const procTok = ts.expectIdent('a procedure name');
      const proc = iface.procedures.find((p) => p.name === procTok.text);
      if (!proc)
        throw new IdlError(
          `the ACF names procedure '${procTok.text}', which interface '${iface.name}' does not define`,
          procTok.loc,
        );
      for (const a of pattrs) {
        if (!ACF_PROC_ATTRS.has(a.name))
          throw notSupported(`ACF attribute [${a.name}] on a procedure`, a.loc);
        if (a.name === 'async') proc.acfAsync = true;
      }
      if (ts.accept('(')) {
        // Parameter attributes in an ACF ([comm_status], [allocate], ...) change the stubs.
        if (!ts.is(')')) {
          const t = ts.peek();
          if (t.text === '[') throw notSupported('ACF attributes on parameters', t.loc);
          while (!ts.is(')')) if (ts.next().kind === 'eof') ts.fail("missing ')'");
        }
        ts.expect(')');
      }
      ts.expect(';');
    }
    ts.accept(';');
  }
}
