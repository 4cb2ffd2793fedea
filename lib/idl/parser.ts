// Recursive-descent parser for the IDL subset winrpc compiles. Constructs that are
// valid MIDL but not compiled yet fail here or in the resolve-*.ts files with "not supported yet".
import type {
  AttrAst,
  DeclAst,
  DeclaratorAst,
  EnumMemberAst,
  FieldAst,
  FileAst,
  InterfaceAst,
  ProcedureAst,
  SkippedAst,
  TypeSpecAst,
  UnionArmAst,
} from './ast.js';
import { IdlError, notSupported } from './errors.js';
import { parseExpr } from './expr.js';
import type { IdlExpr } from './model.js';
import type { Token } from './token.js';
import { describe, TokenStream } from './token-stream.js';

/** Words of C base types that combine (`unsigned long int`). */
const TYPE_WORDS = new Set([
  'signed',
  'unsigned',
  'short',
  'long',
  'int',
  'char',
  'small',
  'hyper',
  '__int64',
  '__int32',
  '__int16',
  '__int8',
  '__int3264',
  'int64',
  'byte',
  'boolean',
  'float',
  'double',
  'wchar_t',
  'void',
  'handle_t',
  'error_status_t',
]);
/** Qualifiers and calling-convention noise that carry no meaning for the wire. */
const IGNORED_WORDS = new Set([
  'const',
  'volatile',
  '__RPC_FAR',
  '__RPC_USER',
  '__RPC_API',
  '__stdcall',
  '_stdcall',
  '__cdecl',
  '_cdecl',
  'far',
  'near',
  '__far',
  '__near',
  'CONST',
]);
/**
 * Built-in type names an IDL may typedef again (`typedef unsigned short wchar_t;`, as
 * SDK headers do): as the last word before `;` or `,` they are the declarator's name.
 */
const REDEFINABLE_WORDS = new Set(['wchar_t', 'error_status_t', 'boolean', 'byte', 'handle_t']);
/** Type library blocks: MIDL writes them into a .tlb, never into RPC stubs. */
const TYPELIB_BLOCKS = ['library', 'coclass', 'dispinterface', 'module'] as const;

export function parseFile(tokens: Token[]): FileAst {
  const ts = new TokenStream(tokens);
  const file: FileAst = { imports: [], items: [] };
  while (!ts.atEnd()) {
    if (skipNoise(ts)) continue;
    if (ts.is('import')) {
      parseImport(ts, file);
      continue;
    }
    const attrs = parseAttrLists(ts);
    if (ts.is('interface')) {
      file.items.push(parseInterface(ts, attrs, file));
      continue;
    }
    const block = TYPELIB_BLOCKS.find((kw) => ts.is(kw));
    if (block) {
      file.items.push(skipBlock(ts, block));
      continue;
    }
    file.items.push(parseDecl(ts, attrs));
  }
  return file;
}

/** cpp_quote("...") and midl_pragma warning(...) are for C headers only. */
function skipNoise(ts: TokenStream): boolean {
  if (ts.is('cpp_quote') || ts.is('midl_pragma')) {
    ts.next();
    if (ts.is('warning') || ts.peek().kind === 'ident') ts.next();
    skipBalanced(ts);
    ts.accept(';');
    return true;
  }
  if (ts.accept(';')) return true;
  return false;
}

/** `library X { ... };` and the like: read past the braces (MIDL's type library content). */
function skipBlock(ts: TokenStream, what: SkippedAst['what']): SkippedAst {
  const kw = ts.next();
  const name = ts.peek().kind === 'ident' ? ts.next().text : '';
  if (ts.accept(';')) return { kind: 'skipped', what, name, loc: kw.loc };
  while (!ts.is('{')) {
    if (ts.atEnd()) ts.fail(`expected '{' after '${kw.text} ${name}'`);
    ts.next(); // `: IDispatch` and the like
  }
  const open = ts.next();
  let depth = 1;
  while (depth > 0) {
    const t = ts.next();
    if (t.kind === 'eof') throw new IdlError(`missing '}' at the end of ${kw.text} '${name}'`, open.loc);
    if (t.kind === 'punct' && t.text === '{') depth++;
    if (t.kind === 'punct' && t.text === '}') depth--;
  }
  ts.accept(';');
  return { kind: 'skipped', what, name, loc: kw.loc };
}

function skipBalanced(ts: TokenStream): void {
  const open = ts.expect('(');
  let depth = 1;
  while (depth > 0) {
    const t = ts.next();
    if (t.kind === 'eof') throw new IdlError("unbalanced '('", open.loc);
    if (t.kind === 'punct' && t.text === '(') depth++;
    if (t.kind === 'punct' && t.text === ')') depth--;
  }
}

function parseImport(ts: TokenStream, file: FileAst): void {
  ts.expect('import');
  do {
    const t = ts.next();
    if (t.kind !== 'string') ts.fail(`expected a file name after import but found ${describe(t)}`, t);
    file.imports.push({ path: t.text, loc: t.loc });
  } while (ts.accept(','));
  ts.expect(';');
}

/**
 * Attribute lists, adjacent ones merged: MIDL reads `[in] [out]` and `[in][unique][string]`
 * as one list. None: an empty list.
 */
export function parseAttrLists(ts: TokenStream): AttrAst[] {
  const attrs: AttrAst[] = [];
  while (ts.is('[')) attrs.push(...parseAttrs(ts));
  return attrs;
}

export function parseAttrs(ts: TokenStream): AttrAst[] {
  const attrs: AttrAst[] = [];
  ts.expect('[');
  if (ts.accept(']')) return attrs;
  do {
    if (ts.is(']')) break; // MIDL accepts a trailing comma: `[uuid(...), version(1.0),]`
    const nameTok = ts.expectIdent('an attribute name');
    const attr: AttrAst = { name: nameTok.text, args: [], hasParens: false, loc: nameTok.loc };
    if (ts.is('(')) {
      attr.hasParens = true;
      ts.next();
      let current: Token[] = [];
      let depth = 0;
      for (;;) {
        const t = ts.next();
        if (t.kind === 'eof') throw new IdlError(`unterminated arguments of [${attr.name}]`, nameTok.loc);
        if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) depth++;
        if (t.kind === 'punct' && (t.text === ')' || t.text === ']')) {
          if (depth === 0) break;
          depth--;
        }
        if (depth === 0 && t.kind === 'punct' && t.text === ',') {
          attr.args.push(current);
          current = [];
          continue;
        }
        current.push(t);
      }
      attr.args.push(current);
    }
    attrs.push(attr);
  } while (ts.accept(','));
  ts.expect(']');
  return attrs;
}

function parseInterface(ts: TokenStream, attrs: AttrAst[], file: FileAst): InterfaceAst | SkippedAst {
  const kw = ts.expect('interface');
  const name = ts.expectIdent('an interface name').text;
  if (ts.accept(';')) return { kind: 'skipped', what: 'forward interface', name, loc: kw.loc };
  const base = ts.accept(':') ? ts.expectIdent('the name of the base interface').text : undefined;
  ts.expect('{');
  const items: (DeclAst | ProcedureAst)[] = [];
  while (!ts.accept('}')) {
    if (ts.atEnd()) ts.fail(`missing '}' at the end of interface '${name}'`);
    if (skipNoise(ts)) continue;
    if (ts.is('import')) {
      // MIDL reads an import inside an interface body like one at the top level.
      parseImport(ts, file);
      continue;
    }
    const itemAttrs = parseAttrLists(ts);
    if (
      ts.is('typedef') ||
      ts.is('const') ||
      isTrailingConst(ts) ||
      ((ts.is('struct') || ts.is('enum') || ts.is('union')) && isTagOnly(ts))
    ) {
      items.push(parseDecl(ts, itemAttrs));
    } else {
      items.push(parseProcedure(ts, itemAttrs));
    }
  }
  ts.accept(';');
  return { kind: 'interface', name, ...(base ? { base } : {}), attrs, items, loc: kw.loc };
}

/**
 * `int const X = 1;` ([MS-DHCPM]): a constant with its qualifier after the type, which C
 * allows and MIDL reads as `const int X = 1;`. A name, then `const`, then a declarator and
 * `=` before any `;` or `(`.
 */
function isTrailingConst(ts: TokenStream): boolean {
  if (ts.peek().kind !== 'ident') return false;
  let sawConst = false;
  for (let i = 1; ; i++) {
    const t = ts.peek(i);
    if (t.kind === 'eof' || t.text === ';' || t.text === '(' || t.text === '{') return false;
    if (t.text === 'const') sawConst = true;
    else if (t.text === '=') return sawConst;
  }
}

/** `struct X { ... };`, `enum X { ... };` or `union X ... { ... };` standing alone (no declarator). */
function isTagOnly(ts: TokenStream): boolean {
  let i = 1;
  if (ts.peek(i).kind === 'ident' && ts.peek(i).text !== 'switch') i++;
  if (ts.peek(i).text === 'switch') {
    // union X switch (type name) u { ... }
    while (ts.peek(i).text !== '{' && ts.peek(i).kind !== 'eof') i++;
  }
  if (ts.peek(i).text !== '{') return false;
  let depth = 0;
  for (; ; i++) {
    const t = ts.peek(i);
    if (t.kind === 'eof') return false;
    if (t.text === '{') depth++;
    if (t.text === '}' && --depth === 0) return ts.peek(i + 1).text === ';';
  }
}

function parseDecl(ts: TokenStream, attrs: AttrAst[]): DeclAst {
  const start = ts.peek();
  if (ts.accept('typedef')) {
    const more = parseAttrLists(ts);
    const spec = parseTypeSpec(ts);
    const declarators: DeclaratorAst[] = [];
    do declarators.push(parseDeclarator(ts));
    while (ts.accept(','));
    ts.expect(';');
    return { kind: 'typedef', attrs: [...attrs, ...more], spec, declarators, loc: start.loc };
  }
  if (ts.accept('const') || isTrailingConst(ts)) {
    const spec = parseTypeSpec(ts);
    const declarator = parseDeclarator(ts);
    ts.expect('=');
    const v = ts.peek();
    let value: IdlExpr | string;
    if (v.kind === 'string') {
      ts.next();
      value = v.text;
    } else {
      value = parseExpr(ts);
    }
    ts.expect(';');
    return { kind: 'const', spec, declarator, value, loc: start.loc };
  }
  if (ts.is('struct') || ts.is('enum') || ts.is('union')) {
    const spec = parseTypeSpec(ts);
    ts.expect(';');
    return { kind: 'tag', spec, loc: start.loc };
  }
  return ts.fail(`expected a declaration but found ${describe(start)}`);
}

function parseProcedure(ts: TokenStream, attrs: AttrAst[]): ProcedureAst {
  const returnSpec = parseTypeSpec(ts);
  let returnPointers = 0;
  while (ts.accept('*')) {
    returnPointers++;
    skipQualifiers(ts);
  }
  if (ts.is('(')) throw notSupported('function pointer', ts.peek().loc);
  const name = ts.expectIdent('a procedure name');
  if (!ts.is('('))
    ts.fail(
      `expected '(' after '${name.text}' (only procedures, typedefs and consts may appear in an interface)`,
    );
  ts.expect('(');
  const params: FieldAst[] = [];
  if (ts.is('void') && ts.peek(1).text === ')') ts.next();
  if (!ts.is(')')) {
    do {
      if (ts.is('...')) throw notSupported('variadic procedure', ts.peek().loc);
      const pattrs = parseAttrLists(ts);
      const pstart = ts.peek();
      const spec = parseTypeSpec(ts);
      const declarator = parseDeclarator(ts, true);
      params.push({ attrs: pattrs, spec, declarator, loc: pstart.loc });
    } while (ts.accept(','));
  }
  ts.expect(')');
  ts.expect(';');
  return { kind: 'procedure', attrs, returnSpec, returnPointers, name: name.text, params, loc: name.loc };
}

function skipQualifiers(ts: TokenStream): void {
  while (ts.peek().kind === 'ident' && IGNORED_WORDS.has(ts.peek().text)) ts.next();
}

export function parseTypeSpec(ts: TokenStream): TypeSpecAst {
  skipQualifiers(ts);
  const start = ts.peek();
  if (ts.accept('interface')) {
    // `interface IUnknown *p`: an interface pointer, refused where it is used.
    const name = ts.expectIdent('an interface name');
    skipQualifiers(ts);
    return { kind: 'interface', name: name.text, loc: start.loc };
  }
  if (ts.is('struct') || ts.is('enum')) {
    const kind = ts.next().text as 'struct' | 'enum';
    const tag = ts.peek().kind === 'ident' ? ts.next().text : undefined;
    let spec: TypeSpecAst;
    if (kind === 'struct') {
      spec = { kind: 'struct', ...(tag ? { tag } : {}), loc: start.loc };
      if (ts.accept('{')) spec.fields = parseFields(ts);
    } else {
      spec = { kind: 'enum', ...(tag ? { tag } : {}), loc: start.loc };
      if (ts.accept('{')) spec.members = parseEnumMembers(ts);
    }
    if (!tag && !('fields' in spec || 'members' in spec)) ts.fail(`expected a name or '{' after '${kind}'`);
    skipQualifiers(ts);
    return spec;
  }
  if (ts.is('union')) return parseUnionSpec(ts);
  if (ts.accept('pipe')) return { kind: 'pipe', element: parseTypeSpec(ts), loc: start.loc };
  const words: string[] = [];
  while (
    ts.peek().kind === 'ident' &&
    (TYPE_WORDS.has(ts.peek().text) || IGNORED_WORDS.has(ts.peek().text)) &&
    !(words.length > 0 && REDEFINABLE_WORDS.has(ts.peek().text) && [';', ','].includes(ts.peek(1).text))
  ) {
    const w = ts.next().text;
    if (!IGNORED_WORDS.has(w)) words.push(w);
  }
  if (words.length) return { kind: 'keywords', words, loc: start.loc };
  if (start.kind === 'ident') {
    ts.next();
    skipQualifiers(ts);
    return { kind: 'name', name: start.text, loc: start.loc };
  }
  return ts.fail(`expected a type but found ${describe(start)}`);
}

function parseFields(ts: TokenStream): FieldAst[] {
  const fields: FieldAst[] = [];
  while (!ts.accept('}')) {
    if (ts.atEnd()) ts.fail("missing '}' at the end of a struct");
    const attrs = parseAttrLists(ts);
    const start = ts.peek();
    const spec = parseTypeSpec(ts);
    if (ts.is(';') && ((spec.kind === 'union' && spec.arms) || (spec.kind === 'struct' && spec.fields))) {
      // An anonymous member (`union { ... };` inside a struct): C11, refused where used.
      ts.next();
      fields.push({
        attrs,
        spec,
        declarator: { name: '', pointers: 0, arrays: [], loc: start.loc },
        loc: start.loc,
      });
      continue;
    }
    do {
      const declarator = parseDeclarator(ts);
      // A bit field (`unsigned long f : 1`): C only, refused where the struct is used.
      const bitWidth = ts.accept(':') ? parseExpr(ts) : undefined;
      fields.push({ attrs, spec, declarator, ...(bitWidth ? { bitWidth } : {}), loc: start.loc });
    } while (ts.accept(','));
    ts.expect(';');
  }
  return fields;
}

function parseUnionSpec(ts: TokenStream): TypeSpecAst {
  const start = ts.expect('union');
  const tag = ts.peek().kind === 'ident' && !ts.is('switch') ? ts.next().text : undefined;
  const spec: TypeSpecAst & { kind: 'union' } = { kind: 'union', ...(tag ? { tag } : {}), loc: start.loc };
  if (ts.is('switch')) {
    const sw = ts.next();
    ts.expect('(');
    const swSpec = parseTypeSpec(ts);
    const name = ts.expectIdent('the name of the union discriminant').text;
    ts.expect(')');
    const unionName = ts.peek().kind === 'ident' ? ts.next().text : undefined;
    spec.switch = { spec: swSpec, name, ...(unionName ? { unionName } : {}), loc: sw.loc };
    if (!ts.is('{')) ts.fail("expected '{' after the switch of an encapsulated union");
  }
  if (ts.accept('{')) spec.arms = parseUnionArms(ts, spec.switch !== undefined);
  if (!tag && !spec.arms) ts.fail("expected a name or '{' after 'union'");
  skipQualifiers(ts);
  return spec;
}

function parseUnionArms(ts: TokenStream, encapsulated: boolean): UnionArmAst[] {
  const arms: UnionArmAst[] = [];
  while (!ts.accept('}')) {
    if (ts.atEnd()) ts.fail("missing '}' at the end of a union");
    const start = ts.peek();
    const arm: UnionArmAst = { cases: [], isDefault: false, loc: start.loc };
    // Encapsulated unions label arms C-style; both forms may carry [case()] attributes.
    while (encapsulated && (ts.is('case') || ts.is('default'))) {
      if (ts.accept('default')) arm.isDefault = true;
      else {
        ts.next();
        arm.cases.push(parseExpr(ts));
      }
      ts.expect(':');
    }
    const attrs = parseAttrLists(ts); // `[case(6)] [string] wchar_t *s;`
    const rest: AttrAst[] = [];
    for (const a of attrs) {
      if (a.name === 'case') {
        for (const toks of a.args) arm.cases.push(exprOfTokens(toks, a));
      } else if (a.name === 'default') arm.isDefault = true;
      else rest.push(a);
    }
    // An arm without [case] or [default] is a C union's member: resolve-types.ts refuses such a
    // union only where it is used (SDK headers declare some that RPC never sends).
    if (!ts.accept(';')) {
      const fstart = ts.peek();
      const spec = parseTypeSpec(ts);
      const anonymous =
        ts.is(';') && ((spec.kind === 'union' && spec.arms) || (spec.kind === 'struct' && spec.fields));
      const declarator = anonymous
        ? { name: '', pointers: 0, arrays: [], loc: fstart.loc }
        : parseDeclarator(ts);
      arm.field = { attrs: rest, spec, declarator, loc: fstart.loc };
      ts.expect(';');
    } else if (rest.length) {
      ts.fail(`attribute [${rest[0]?.name}] on an empty union arm`, start);
    }
    arms.push(arm);
  }
  return arms;
}

function exprOfTokens(toks: Token[], a: AttrAst): IdlExpr {
  const last = toks[toks.length - 1];
  if (!last) throw new IdlError(`empty argument of [${a.name}]`, a.loc);
  const sub = new TokenStream([...toks, { kind: 'eof', text: '', loc: last.loc }]);
  const e = parseExpr(sub);
  if (!sub.atEnd()) sub.fail(`unexpected '${sub.peek().text}' in [${a.name}]`);
  return e;
}

function parseEnumMembers(ts: TokenStream): EnumMemberAst[] {
  const members: EnumMemberAst[] = [];
  while (!ts.accept('}')) {
    const name = ts.expectIdent('an enumerator name');
    const m: EnumMemberAst = { name: name.text, loc: name.loc };
    if (ts.accept('=')) m.value = parseExpr(ts);
    members.push(m);
    if (!ts.accept(',')) {
      ts.expect('}');
      break;
    }
  }
  return members;
}

/** `(__RPC_USER *PFN)(params)`: read past it, for resolve-declarator.ts to refuse where used. */
function parseFunctionPointer(ts: TokenStream, pointers: number): DeclaratorAst {
  ts.expect('(');
  skipQualifiers(ts);
  ts.expect('*');
  skipQualifiers(ts);
  const at = ts.peek();
  const name = ts.expectIdent('the name of a function pointer').text;
  ts.expect(')');
  skipBalanced(ts);
  return { name, pointers: pointers + 1, arrays: [], functionPointer: true, loc: at.loc };
}

function parseDeclarator(ts: TokenStream, optionalName = false): DeclaratorAst {
  let pointers = 0;
  skipQualifiers(ts);
  while (ts.accept('*')) {
    pointers++;
    skipQualifiers(ts);
  }
  if (ts.is('(') && ts.peek(1).text !== '*' && !IGNORED_WORDS.has(ts.peek(1).text))
    throw notSupported('function pointer', ts.peek().loc);
  if (ts.is('(')) return parseFunctionPointer(ts, pointers);
  const at = ts.peek();
  let name = '';
  if (at.kind === 'ident') name = ts.next().text;
  else if (!optionalName) ts.fail(`expected a name but found ${describe(at)}`);
  const arrays: (ReturnType<typeof parseExpr> | null)[] = [];
  while (ts.accept('[')) {
    if (ts.accept(']')) {
      arrays.push(null);
      continue;
    }
    if (ts.is('*') && ts.peek(1).text === ']') {
      ts.next();
      ts.next();
      arrays.push(null);
      continue;
    }
    arrays.push(parseExpr(ts));
    ts.expect(']');
  }
  return { name, pointers, arrays, loc: at.loc };
}
