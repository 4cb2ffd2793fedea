// JSDoc from IDL comments: the block right before a declaration, and nothing else.
import { describe, expect, it } from 'vitest';
import { DocComments } from '../../lib/codegen/doc-comments.js';

const source = [
  '// File header.', //  1
  '[uuid(12345678-1234-1234-1234-123456789abc)]', //  2
  'interface x', //  3
  '{', //  4
  '    // Two lines', //  5
  '    // of doc.', //  6
  '    long A(void);   // trailing, not for B', //  7
  '', //  8
  '    // Detached by a blank line.', //  9
  '', // 10
  '    long B(void);', // 11
  '    /**', // 12
  '     * Block comment; with a ; inside.', // 13
  '     */', // 14
  '    [idempotent] long C(void);', // 15
  '    long D(void);', // 16
  '}', // 17
].join('\n');
const docs = new DocComments((file) => (file === 'x.idl' ? source : undefined));
const at = (line: number, column: number) => docs.before({ file: 'x.idl', line, column });

describe('doc comments', () => {
  it('takes the run of comments right before a declaration', () => {
    expect(at(7, 10)).toEqual(['Two lines', 'of doc.']);
    expect(at(3, 1)).toEqual(['File header.']);
  });
  it('skips trailing comments and comments detached by a blank line', () => {
    expect(at(11, 10)).toBeUndefined();
    expect(at(16, 10)).toBeUndefined();
  });
  it('reads block comments before attributes', () => {
    expect(at(15, 23)).toEqual(['Block comment; with a ; inside.']);
  });
  it('answers undefined for a file it cannot read', () => {
    expect(docs.before({ file: 'other.idl', line: 1, column: 1 })).toBeUndefined();
  });
});
