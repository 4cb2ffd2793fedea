// Turns IDL/ACF text into tokens. Preprocessor lines come out whole, as 'directive'
// tokens, for preprocess.ts to act on; comments disappear.
import { IdlError, type SourceLocation } from './errors.js';
import type { Token } from './token.js';

const PUNCTS = [
  '<<=',
  '>>=',
  '...',
  '<<',
  '>>',
  '<=',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
  '::',
  '->',
  '+',
  '-',
  '*',
  '/',
  '%',
  '&',
  '|',
  '^',
  '~',
  '!',
  '<',
  '>',
  '=',
  '?',
  ':',
  ';',
  ',',
  '.',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
];

export function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  let atLineStart = true; // only whitespace/comments so far on this line

  const loc = (at: number): SourceLocation => ({ file, line, column: at - lineStart + 1 });
  const fail = (msg: string, at: number): never => {
    throw new IdlError(msg, loc(at));
  };
  const newline = (at: number) => {
    line++;
    lineStart = at + 1;
  };

  while (pos < text.length) {
    const c = text[pos] as string;
    if (c === '\n') {
      newline(pos);
      pos++;
      atLineStart = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      pos++;
      continue;
    }
    if (c === '/' && text[pos + 1] === '/') {
      while (pos < text.length && text[pos] !== '\n') pos++;
      continue;
    }
    if (c === '/' && text[pos + 1] === '*') {
      // Where the comment opened, taken before its newlines move the line on.
      const opened = loc(pos);
      pos += 2;
      while (pos < text.length && !(text[pos] === '*' && text[pos + 1] === '/')) {
        if (text[pos] === '\n') newline(pos);
        pos++;
      }
      if (pos >= text.length) throw new IdlError('unterminated comment', opened);
      pos += 2;
      continue;
    }
    const start = pos;
    const startLoc = loc(pos);
    if (c === '#' && atLineStart) {
      // A directive runs to the end of the line; backslash-newline continues it.
      let body = '';
      pos++;
      while (pos < text.length && text[pos] !== '\n') {
        if (
          text[pos] === '\\' &&
          (text[pos + 1] === '\n' || (text[pos + 1] === '\r' && text[pos + 2] === '\n'))
        ) {
          pos += text[pos + 1] === '\r' ? 2 : 1;
          newline(pos);
          pos++;
          body += ' ';
          continue;
        }
        if (text[pos] === '/' && text[pos + 1] === '*') {
          const opened = loc(pos);
          pos += 2;
          while (pos < text.length && !(text[pos] === '*' && text[pos + 1] === '/')) {
            if (text[pos] === '\n') newline(pos);
            pos++;
          }
          if (pos >= text.length) throw new IdlError('unterminated comment', opened);
          pos += 2;
          body += ' ';
          continue;
        }
        if (text[pos] === '/' && text[pos + 1] === '/') {
          while (pos < text.length && text[pos] !== '\n') pos++;
          break;
        }
        body += text[pos];
        pos++;
      }
      tokens.push({ kind: 'directive', text: body.trim(), loc: startLoc });
      continue;
    }
    atLineStart = false;

    const prev = tokens[tokens.length - 1];
    const prev2 = tokens[tokens.length - 2];
    if (prev?.kind === 'punct' && prev.text === '(' && prev2?.kind === 'ident' && prev2.text === 'uuid') {
      // uuid(8a885d04-1ceb-...) is not C tokens; take the raw text up to ')'.
      let end = pos;
      while (end < text.length && text[end] !== ')' && text[end] !== '\n') end++;
      const raw = text
        .slice(pos, end)
        .trim()
        .replace(/^"(.*)"$/, '$1');
      tokens.push({ kind: 'uuid', text: raw, loc: startLoc });
      pos = end;
      continue;
    }

    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[pos + 1] ?? ''))) {
      while (pos < text.length && /[0-9A-Za-z_.]/.test(text[pos] as string)) pos++;
      const raw = text.slice(start, pos);
      tokens.push({ kind: 'number', text: raw, value: parseNumber(raw, startLoc), loc: startLoc });
      continue;
    }
    if (c === '"' || (c === 'L' && text[pos + 1] === '"')) {
      pos += c === 'L' ? 2 : 1;
      let value = '';
      while (pos < text.length && text[pos] !== '"') {
        if (text[pos] === '\n') fail('unterminated string literal', start);
        if (text[pos] === '\\') {
          const [ch, len] = readEscape(text, pos, () => fail('bad escape in string literal', pos));
          value += ch;
          pos += len;
        } else {
          value += text[pos];
          pos++;
        }
      }
      if (pos >= text.length) fail('unterminated string literal', start);
      pos++;
      tokens.push({ kind: 'string', text: value, loc: startLoc });
      continue;
    }
    if (c === "'" || (c === 'L' && text[pos + 1] === "'")) {
      pos += c === 'L' ? 2 : 1;
      let ch: string;
      if (text[pos] === '\\') {
        const [e, len] = readEscape(text, pos, () => fail('bad escape in character literal', pos));
        ch = e;
        pos += len;
      } else {
        ch = text[pos] ?? '';
        pos++;
      }
      if (text[pos] !== "'") fail('unterminated character literal', start);
      pos++;
      tokens.push({ kind: 'char', text: ch, value: ch.charCodeAt(0), loc: startLoc });
      continue;
    }
    // After the literals: L"..." and L'...' start like an identifier.
    if (/[A-Za-z_]/.test(c)) {
      while (pos < text.length && /[A-Za-z0-9_]/.test(text[pos] as string)) pos++;
      tokens.push({ kind: 'ident', text: text.slice(start, pos), loc: startLoc });
      continue;
    }
    const punct = PUNCTS.find((p) => text.startsWith(p, pos));
    if (!punct) fail(`unexpected character '${c}'`, pos);
    pos += (punct as string).length;
    tokens.push({ kind: 'punct', text: punct as string, loc: startLoc });
  }
  tokens.push({ kind: 'eof', text: '', loc: loc(pos) });
  return tokens;
}

function parseNumber(raw: string, at: SourceLocation): number {
  const body = raw.replace(/(?:[uU](?:ll|LL|l|L|i64)?|(?:ll|LL|l|L|i64)[uU]?)$/, '');
  let value: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(body)) value = Number.parseInt(body.slice(2), 16);
  else if (/^0[0-7]*$/.test(body)) value = Number.parseInt(body, 8);
  else if (/^[1-9][0-9]*$/.test(body)) value = Number.parseInt(body, 10);
  // A floating constant has a '.' or an exponent (C11 6.4.4.2): `08` is neither an octal
  // constant (C11 6.4.4.1: digits 0-7) nor a floating one.
  else if (/^(?:(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+)[fF]?$/.test(body))
    value = Number.parseFloat(body);
  else throw new IdlError(`malformed number '${raw}'`, at);
  return value;
}

function readEscape(text: string, pos: number, fail: () => never): [string, number] {
  const e = text[pos + 1];
  const simple: Record<string, string> = {
    n: '\n',
    t: '\t',
    r: '\r',
    '0': '\0',
    '\\': '\\',
    "'": "'",
    '"': '"',
    a: '\x07',
    b: '\b',
    f: '\f',
    v: '\v',
    '?': '?',
  };
  if (e === 'x') {
    const m = /^[0-9a-fA-F]+/.exec(text.slice(pos + 2));
    if (!m) fail();
    return [
      String.fromCharCode(Number.parseInt((m as RegExpExecArray)[0], 16)),
      2 + (m as RegExpExecArray)[0].length,
    ];
  }
  if (e !== undefined && /[0-7]/.test(e)) {
    const m = /^[0-7]{1,3}/.exec(text.slice(pos + 1)) as RegExpExecArray;
    return [String.fromCharCode(Number.parseInt(m[0], 8)), 1 + m[0].length];
  }
  if (e === undefined || !(e in simple)) fail();
  return [simple[e as string] as string, 2];
}
