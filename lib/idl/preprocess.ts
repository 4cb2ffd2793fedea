// A small C preprocessor: object-like and function-like #define, #undef, #ifdef/#ifndef/
// #if/#elif/#else/#endif, #include through a callback, #pragma ignored. Enough for
// real-world IDL headers and the [MS-*] IDLs ([MS-DHCPM] ELEMENT_MASK(E)); the # and ##
// operators are reported as unsupported.
import { IdlError, notSupported, type SourceLocation } from './errors.js';
import { evalExpr, parseExpr } from './expr.js';
import { tokenize } from './lexer.js';
import { stripSal } from './sal.js';
import type { Token } from './token.js';
import { TokenStream } from './token-stream.js';

/**
 * Returns a file's text, or undefined when it does not exist. Returning `{ text, file }`
 * also says where it was found: positions then name that file, and its own includes and
 * imports are looked up from there (fromFile).
 */
export type ReadFile = (
  path: string,
  fromFile: string,
) => string | { text: string; file: string } | undefined;

/**
 * A ReadFile's answer as text and the file name to use for it. Text alone is taken to be
 * the file next to fromFile (where MIDL and the CLI look first), so that file's own
 * relative includes are looked up beside it.
 */
export function readSource(
  readFile: ReadFile | undefined,
  path: string,
  fromFile: string,
): { text: string; file: string } | undefined {
  const found = readFile?.(path, fromFile);
  return typeof found === 'string' ? { text: found, file: besides(fromFile, path) } : found;
}

function besides(fromFile: string, path: string): string {
  if (/^([\\/]|[A-Za-z]:)/.test(path)) return path;
  const dir = fromFile.slice(0, Math.max(fromFile.lastIndexOf('/'), fromFile.lastIndexOf('\\')) + 1);
  return dir + path;
}

export interface PreprocessOptions {
  readFile?: ReadFile;
  /** An included file readFile does not have, from winrpc's own SDK text: its name and text. */
  builtinFile?: (path: string) => { file: string; text: string } | undefined;
  defines?: Record<string, string>;
}

/**
 * What MIDL defines before reading a file: `__midl` is its version, 801 for MIDL 8.01.
 * MIDL_PASS is the older flag SDK headers test (`#ifdef MIDL_PASS`), still set by MIDL 8:
 * the DSInternals drsr fixture's header needs it to compile there.
 */
export const MIDL_PREDEFINED: Readonly<Record<string, string>> = { __midl: '801', MIDL_PASS: '1' };

/** A macro: its replacement tokens, and for a function-like one its parameter names. */
interface Macro {
  body: Token[];
  params?: string[];
}

/**
 * The file's tokens after the preprocessor, without SAL annotations (which MIDL's
 * specstrings.h turns into nothing).
 */
export function preprocess(text: string, file: string, options: PreprocessOptions = {}): Token[] {
  const macros = new Map<string, Macro>();
  for (const [name, value] of Object.entries({ ...MIDL_PREDEFINED, ...options.defines })) {
    macros.set(name, { body: tokenize(value, '<define>').filter((t) => t.kind !== 'eof') });
  }
  const out: Token[] = [];
  run(text, file, macros, options, out, []);
  const eofLoc = out.length ? (out[out.length - 1] as Token).loc : { file, line: 1, column: 1 };
  out.push({ kind: 'eof', text: '', loc: eofLoc });
  return stripSal(out);
}

interface Cond {
  active: boolean; // tokens here are kept
  taken: boolean; // some branch of this #if was active
  parentActive: boolean;
  sawElse: boolean;
  at: Token;
}

function run(
  text: string,
  file: string,
  macros: Map<string, Macro>,
  options: PreprocessOptions,
  out: Token[],
  includeStack: string[],
): void {
  if (includeStack.includes(file)) return; // include guards missing: include once
  const tokens = tokenize(text, file);
  const conds: Cond[] = [];
  const active = () => conds.length === 0 || (conds[conds.length - 1] as Cond).active;

  // Kept tokens wait here until the next directive, so a function-like macro's
  // arguments can follow its name across lines.
  let pending: Token[] = [];
  const flush = () => {
    if (pending.length > 0) out.push(...expandList(pending, macros, new Set()));
    pending = [];
  };
  for (const tok of tokens) {
    if (tok.kind === 'eof') break;
    if (tok.kind !== 'directive') {
      if (active()) pending.push(tok);
      continue;
    }
    flush();
    const m = /^(\w*)\s*([\s\S]*)$/.exec(tok.text) as RegExpExecArray;
    const name = m[1] as string;
    const rest = (m[2] as string).trim();
    const top = conds[conds.length - 1];
    switch (name) {
      case 'ifdef':
      case 'ifndef': {
        const defined = macros.has(rest.split(/\s+/)[0] ?? '');
        const on = active() && (name === 'ifdef' ? defined : !defined);
        conds.push({ active: on, taken: on, parentActive: active(), sawElse: false, at: tok });
        break;
      }
      case 'if': {
        const on = active() && evalCondition(rest, tok, macros);
        conds.push({ active: on, taken: on, parentActive: active(), sawElse: false, at: tok });
        break;
      }
      case 'elif':
        if (!top || top.sawElse) throw new IdlError('#elif without #if', tok.loc);
        top.active = top.parentActive && !top.taken && evalCondition(rest, tok, macros);
        top.taken ||= top.active;
        break;
      case 'else':
        if (!top || top.sawElse) throw new IdlError('#else without #if', tok.loc);
        top.sawElse = true;
        top.active = top.parentActive && !top.taken;
        top.taken = true;
        break;
      case 'endif':
        if (!conds.pop()) throw new IdlError('#endif without #if', tok.loc);
        break;
      default:
        if (!active()) break; // unknown directives in dead code are fine
        directive(name, rest, tok, file, macros, options, out, includeStack);
    }
  }
  flush();
  const open = conds[conds.length - 1];
  if (open) throw new IdlError('unterminated #if', open.at.loc);
}

function directive(
  name: string,
  rest: string,
  tok: Token,
  file: string,
  macros: Map<string, Macro>,
  options: PreprocessOptions,
  out: Token[],
  includeStack: string[],
): void {
  switch (name) {
    case 'define': {
      const m = /^([A-Za-z_]\w*)(\(([^)]*)\))?/.exec(rest);
      if (!m) throw new IdlError('#define needs a name', tok.loc);
      // A '(' right after the name (no space) makes it function-like, as in C.
      if (rest[(m[1] as string).length] === '(' && m[2] === undefined)
        throw new IdlError(`#define ${m[1]}( needs its parameter list closed`, tok.loc);
      const params = m[2] === undefined ? undefined : splitParams(m[3] as string, tok);
      const bodyText = rest.slice(m[0].length);
      if (params && bodyText.includes('#'))
        throw notSupported(`the # and ## operators (in macro '${m[1]}')`, tok.loc);
      const body = tokenizeDirective(bodyText, file, tok.loc, '#define')
        .filter((t) => t.kind !== 'eof')
        .map((t) => ({ ...t, loc: tok.loc }));
      macros.set(m[1] as string, params ? { body, params } : { body });
      return;
    }
    case 'undef':
      macros.delete(rest.split(/\s+/)[0] ?? '');
      return;
    case 'include': {
      const m = /^(?:"([^"]+)"|<([^>]+)>)/.exec(rest);
      if (!m) throw new IdlError('#include needs "file" or <file>', tok.loc);
      const path = (m[1] ?? m[2]) as string;
      const found = readSource(options.readFile, path, file) ?? options.builtinFile?.(path);
      if (found === undefined) throw new IdlError(`cannot find include file '${path}'`, tok.loc);
      run(found.text, found.file, macros, options, out, [...includeStack, file]);
      return;
    }
    case 'pragma':
    case 'line':
    case '':
      return;
    case 'error':
      throw new IdlError(`#error ${rest}`, tok.loc);
    default:
      throw new IdlError(`unknown preprocessor directive '#${name}'`, tok.loc);
  }
}

/** `(a, b)` of a function-like #define: its parameter names. */
function splitParams(list: string, tok: Token): string[] {
  if (list.trim() === '') return [];
  return list.split(',').map((p) => {
    const name = p.trim();
    if (!/^[A-Za-z_]\w*$/.test(name)) throw new IdlError(`bad macro parameter '${name}'`, tok.loc);
    return name;
  });
}

/**
 * Tokens with their macros replaced, C's way: a replacement is rescanned with its own
 * name hidden (so a macro naming itself stays a name); a function-like macro's name
 * followed by `(` takes the arguments up to the matching `)`, each expanded before it
 * replaces its parameter; not followed by `(`, the name stays.
 */
function expandList(tokens: Token[], macros: Map<string, Macro>, hiding: Set<string>): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i] as Token;
    const macro = tok.kind === 'ident' && !hiding.has(tok.text) ? macros.get(tok.text) : undefined;
    if (!macro) {
      out.push(tok);
      continue;
    }
    const inner = new Set(hiding).add(tok.text);
    const at = (t: Token): Token => ({ ...t, loc: tok.loc });
    if (!macro.params) {
      out.push(...expandList(macro.body.map(at), macros, inner));
      continue;
    }
    if (tokens[i + 1]?.text !== '(') {
      out.push(tok);
      continue;
    }
    const { args, end } = macroArgs(tokens, i + 1, tok);
    if (
      args.length !== macro.params.length &&
      !(macro.params.length === 0 && args.length === 1 && args[0]?.length === 0)
    )
      throw new IdlError(
        `macro '${tok.text}' takes ${macro.params.length} argument(s), not ${args.length}`,
        tok.loc,
      );
    const values = new Map(macro.params.map((p, n) => [p, expandList(args[n] ?? [], macros, hiding)]));
    const replaced = macro.body.flatMap((t) =>
      t.kind === 'ident' && values.has(t.text) ? (values.get(t.text) as Token[]) : [t],
    );
    out.push(...expandList(replaced.map(at), macros, inner));
    i = end;
  }
  return out;
}

/** The arguments of a macro call whose `(` is at `open`, split at top-level commas. */
function macroArgs(tokens: Token[], open: number, name: Token): { args: Token[][]; end: number } {
  const args: Token[][] = [[]];
  let depth = 0;
  for (let j = open + 1; j < tokens.length; j++) {
    const t = tokens[j] as Token;
    if (t.text === '(') depth++;
    else if (t.text === ')') {
      if (depth === 0) return { args, end: j };
      depth--;
    } else if (t.text === ',' && depth === 0) {
      args.push([]);
      continue;
    }
    (args[args.length - 1] as Token[]).push(t);
  }
  throw new IdlError(`macro '${name.text}': unterminated argument list`, name.loc);
}

function evalCondition(text: string, tok: Token, macros: Map<string, Macro>): boolean {
  // `defined X` / `defined(X)` first, then macro expansion; leftover names count as 0.
  const raw = tokenizeDirective(text, tok.loc.file, tok.loc, '#if').map((t) => ({ ...t, loc: tok.loc }));
  const replaced: Token[] = [];
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i] as Token;
    if (t.kind === 'ident' && t.text === 'defined') {
      const paren = raw[i + 1]?.text === '(';
      const nameTok = raw[i + (paren ? 2 : 1)];
      if (!nameTok || nameTok.kind !== 'ident') throw new IdlError('malformed defined()', tok.loc);
      replaced.push({ kind: 'number', text: '', value: macros.has(nameTok.text) ? 1 : 0, loc: tok.loc });
      i += paren ? 3 : 1;
      continue;
    }
    if (t.kind === 'eof') continue;
    replaced.push(t);
  }
  const expanded = expandList(replaced, macros, new Set());
  replaced.length = 0;
  replaced.push(...expanded);
  replaced.push({ kind: 'eof', text: '', loc: tok.loc });
  const ts = new TokenStream(replaced);
  const e = parseExpr(ts);
  if (!ts.atEnd()) ts.fail(`unexpected '${ts.peek().text}' in #${'if'} expression`);
  return evalExpr(e, () => 0, tok.loc) !== 0;
}

/**
 * A macro body's tokens. The body is lexed on its own, so a lexer error's position
 * would count from the body's start: it is reported at the #define instead.
 */
/**
 * The tokens of a directive's text (lexed apart from the file, so a lexer error's own
 * line and column would count from the directive's text): errors are reported at the
 * directive.
 */
function tokenizeDirective(text: string, file: string, at: SourceLocation, directive: string): Token[] {
  try {
    return tokenize(text, file);
  } catch (error) {
    if (!(error instanceof IdlError)) throw error;
    throw new IdlError(`in this ${directive}: ${error.detail}`, at, { kind: error.kind, cause: error });
  }
}
