import { IdlError } from './errors.js';
import type { Token } from './token.js';

/** A cursor over preprocessed tokens with the small helpers a recursive-descent parser needs. */
export class TokenStream {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(ahead = 0): Token {
    const t = this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)];
    if (!t) throw new Error('empty token stream'); // tokenize always ends with eof
    return t;
  }
  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }
  is(text: string): boolean {
    const t = this.peek();
    return (t.kind === 'punct' || t.kind === 'ident') && t.text === text;
  }
  accept(text: string): Token | undefined {
    return this.is(text) ? this.next() : undefined;
  }
  expect(text: string): Token {
    const t = this.peek();
    if (!this.is(text)) throw new IdlError(`expected '${text}' but found ${describe(t)}`, t.loc);
    return this.next();
  }
  expectIdent(what = 'identifier'): Token {
    const t = this.peek();
    if (t.kind !== 'ident') throw new IdlError(`expected ${what} but found ${describe(t)}`, t.loc);
    return this.next();
  }
  fail(message: string, token: Token = this.peek()): never {
    throw new IdlError(message, token.loc);
  }
}

export function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of file';
    case 'string':
      return `"${t.text}"`;
    default:
      return `'${t.text}'`;
  }
}
