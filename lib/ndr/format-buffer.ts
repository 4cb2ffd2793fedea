/** A growable little-endian byte buffer for format strings, with back-patching. */
export class FormatBuffer {
  readonly bytes: number[] = [];
  get length(): number {
    return this.bytes.length;
  }
  u8(...values: number[]): void {
    for (const v of values) this.bytes.push(v & 0xff);
  }
  u16(v: number): void {
    this.bytes.push(v & 0xff, (v >> 8) & 0xff);
  }
  u32(v: number): void {
    this.u16(v & 0xffff);
    this.u16((v >>> 16) & 0xffff);
  }
  patch16(at: number, v: number): void {
    this.bytes[at] = v & 0xff;
    this.bytes[at + 1] = (v >> 8) & 0xff;
  }
  /** Writes a 16-bit offset relative to its own position (the NDR convention). */
  offsetTo(target: number): void {
    const rel = target - this.length;
    if (rel < -0x8000 || rel > 0x7fff) throw new RangeError('type format string offset out of range');
    this.u16(rel);
  }
  toUint8Array(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}
