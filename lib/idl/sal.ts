// SAL (the source-code annotation language) in IDL: MIDL reads it through specstrings.h,
// whose macros expand to nothing for MIDL, so an annotation never changes the wire. winrpc
// drops them after preprocessing, recognised by their naming patterns rather than by a
// list of names, with any parenthesised arguments they take.
import { IdlError } from './errors.js';
import type { Token } from './token.js';

/**
 * SAL 2 annotations: `_In_`, `_Out_writes_(n)`, `_Acquires_exclusive_lock_(x)`,
 * `_Ret_maybenull_`, `_Success_(expr)`, `_COM_Outptr_`: an underscore, a capitalised word, then words
 * joined by underscores, ending with an underscore. Struct tags (`_GUID`, `_FOO_BAR`)
 * never end with one, and SAL's words are capitalised then lower case.
 */
const SAL2 = /^_(?:COM_)?[A-Z][a-z]+(?:_[A-Za-z][a-z0-9]*)*_$/;
/**
 * SAL 1 (`__in`, `__out_ecount(n)`, `__inout_opt`, `__deref_out`, `__checkReturn`...) and
 * the RPC header family (`__RPC__in`, `__RPC__out_ecount_full(n)`, `__RPC_unique_pointer`).
 */
const SAL1 =
  /^__(?:in|out|inout|deref|ecount|bcount|xcount|opt|reserved|checkReturn|success|nullterminated|nullnullterminated|notnull|maybenull|readonly|valid|typefix|override|callback|format_string|field|post|pre|drv|analysis|control_entrypoint)(?:_\w+)?$/;
const RPC_HEADER = /^__RPC_(?:_\w+|unique_pointer|string)$/;

export function isSalAnnotation(name: string): boolean {
  return SAL2.test(name) || SAL1.test(name) || RPC_HEADER.test(name);
}

/** The tokens without SAL annotations (and their argument lists). */
export function stripSal(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind !== 'ident' || !isSalAnnotation(t.text)) {
      out.push(t);
      continue;
    }
    const open = tokens[i + 1];
    if (open?.kind !== 'punct' || open.text !== '(') continue;
    let depth = 0;
    let j = i + 1;
    for (; j < tokens.length; j++) {
      const u = tokens[j] as Token;
      if (u.kind === 'eof') throw new IdlError(`unbalanced '(' after ${t.text}`, t.loc);
      if (u.kind === 'punct' && u.text === '(') depth++;
      if (u.kind === 'punct' && u.text === ')' && --depth === 0) break;
    }
    i = j;
  }
  return out;
}
