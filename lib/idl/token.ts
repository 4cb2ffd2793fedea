import type { SourceLocation } from './errors.js';

export type TokenKind =
  | 'ident'
  | 'number'
  | 'string' // "..." (value without quotes, escapes resolved)
  | 'char' // '...' (value is the code unit)
  | 'uuid' // the raw text inside uuid( ... ), which is not made of C tokens
  | 'punct'
  | 'directive' // a whole preprocessor line, '#' removed, continuations joined
  | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  /** For numbers: the value; for char literals: the code unit. */
  value?: number;
  loc: SourceLocation;
}
