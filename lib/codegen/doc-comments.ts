// The comment block written right before a declaration in the IDL source, for JSDoc.
// lib/idl keeps no comments, so this scans the source text itself, led by the
// positions the model records (a procedure's name, a type's struct/enum keyword, a
// field's first token): the block is the run of comments just before the first code
// after the previous `;`, `{` or `}`, with no blank line between it and that code.
import type { SourceLocation } from '../idl/model.js';

interface Scanned {
  lineStarts: number[];
  comments: { start: number; end: number; line: number; text: string }[];
  /** Offsets of `;`, `{`, `}` and of the ends of preprocessor lines, outside comments and strings. */
  terminators: number[];
  /** Offsets of code characters (not whitespace, not comments), ascending. */
  codeStarts: number[];
}

export type SourceText = (file: string) => string | undefined;

export class DocComments {
  private readonly scanned = new Map<string, Scanned | null>();

  constructor(private readonly source: SourceText) {}

  /** The comment lines before the declaration at `loc` (markers stripped), or undefined. */
  before(loc: SourceLocation): string[] | undefined {
    const file = this.scan(loc.file);
    if (!file) return undefined;
    const at = (file.lineStarts[loc.line - 1] ?? Number.POSITIVE_INFINITY) + loc.column - 1;
    const stop = lastBelow(file.terminators, at) ?? -1;
    const code = file.codeStarts.find((offset) => offset > stop && offset <= at);
    if (code === undefined) return undefined;
    const stopLine = stop < 0 ? 0 : lineOf(file.lineStarts, stop);
    // Comments between the terminator and the code, minus one trailing the terminator's line.
    const candidates = file.comments.filter((c) => c.start > stop && c.end <= code && c.line > stopLine);
    const block: typeof candidates = [];
    let next = code;
    const text = this.source(loc.file) ?? '';
    for (let i = candidates.length - 1; i >= 0; i--) {
      const comment = candidates[i]!;
      if (/\n[ \t\r]*\n/.test(text.slice(comment.end, next))) break;
      block.unshift(comment);
      next = comment.start;
    }
    const lines = block.flatMap((c) => commentLines(c.text));
    while (lines.length && lines[0] === '') lines.shift();
    while (lines.length && lines.at(-1) === '') lines.pop();
    return lines.length ? lines : undefined;
  }

  private scan(file: string): Scanned | null {
    let scanned = this.scanned.get(file);
    if (scanned === undefined) {
      const text = this.source(file);
      scanned = text === undefined ? null : scanSource(text);
      this.scanned.set(file, scanned);
    }
    return scanned;
  }
}

function scanSource(text: string): Scanned {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const comments: Scanned['comments'] = [];
  const terminators: number[] = [];
  const codeStarts: number[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const two = text.slice(i, i + 2);
    if (two === '//' || two === '/*') {
      const end = two === '//' ? lineEnd(text, i) : closeOf(text, i);
      comments.push({ start: i, end, line: lineOf(lineStarts, i), text: text.slice(i, end) });
      i = end;
    } else if (ch === '#' && /^\s*$/.test(text.slice(lineStarts[lineOf(lineStarts, i) - 1], i))) {
      // A preprocessor line ends whatever came before it, like a `;`.
      i = lineEnd(text, i);
      terminators.push(i);
    } else if (ch === '"' || ch === "'") {
      codeStarts.push(i);
      i = quoteEnd(text, i);
    } else {
      if (!/\s/.test(ch)) codeStarts.push(i);
      if (ch === ';' || ch === '{' || ch === '}') terminators.push(i);
      i++;
    }
  }
  return { lineStarts, comments, terminators, codeStarts };
}

function lineEnd(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  return newline < 0 ? text.length : newline;
}

function closeOf(text: string, from: number): number {
  const close = text.indexOf('*/', from + 2);
  return close < 0 ? text.length : close + 2;
}

function quoteEnd(text: string, from: number): number {
  const quote = text[from];
  let i = from + 1;
  while (i < text.length && text[i] !== quote && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** 1-based line of an offset. */
function lineOf(lineStarts: number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function lastBelow(sorted: number[], limit: number): number | undefined {
  let found: number | undefined;
  for (const value of sorted) {
    if (value >= limit) break;
    found = value;
  }
  return found;
}

/** A comment's text lines without `//`, `/*`, `*\/` and a leading ` * `. */
function commentLines(comment: string): string[] {
  if (comment.startsWith('//')) return [comment.replace(/^\/\/+ ?/, '').trimEnd()];
  const body = comment.replace(/^\/\*+/, '').replace(/\*+\/$/, '');
  return body.split('\n').map((line) => line.replace(/^\s*(\* ?)?/, '').trimEnd());
}
