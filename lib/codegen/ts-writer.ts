// Lines of generated TypeScript with indentation and JSDoc blocks.
export class TsWriter {
  private readonly lines: string[] = [];
  private depth = 0;

  line(text = ''): this {
    this.lines.push(text ? '  '.repeat(this.depth) + text : '');
    return this;
  }

  /** `open` line, the body one level deeper, then `close`. */
  block(open: string, body: () => void, close = '}'): this {
    this.line(open);
    this.depth++;
    body();
    this.depth--;
    return this.line(close);
  }

  /** A JSDoc block; nothing for no lines. `*\/` inside a comment would end it early. */
  doc(lines: readonly string[] | undefined): this {
    if (!lines?.length) return this;
    const safe = lines.map((l) => l.replaceAll('*/', '*\\/'));
    if (safe.length === 1) return this.line(`/** ${safe[0]} */`);
    this.line('/**');
    for (const l of safe) this.line(l ? ` * ${l}` : ' *');
    return this.line(' */');
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}
