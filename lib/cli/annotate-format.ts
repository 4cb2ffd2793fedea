// `winrpc inspect --format-strings`: a compiled interface's proc and type format
// strings, byte by byte with FC names, for bug reports. It reads the bytes the way the
// NDR engine does (it does not trust the compiler's layouts), so a wrong byte shows.
import type { CompiledInterface } from '../ndr/compiled.js';
import { fcName } from './fc-names.js';

export interface AnnotatedLine {
  offset: number;
  bytes: number[];
  text: string;
  /** A parameter descriptor's offset into the type format string. */
  typeOffset?: number;
}

const PARAM_BITS = [
  'MustSize',
  'MustFree',
  'IsPipe',
  'IsIn',
  'IsOut',
  'IsReturn',
  'IsBasetype',
  'IsByValue',
  'IsSimpleRef',
  'IsDontCallFreeInst',
  'SaveForAsyncFinish',
];
const OI2_BITS = [
  'ServerMustSize',
  'ClientMustSize',
  'HasReturn',
  'HasPipes',
  '0x10',
  'HasAsyncUuid',
  'HasExtensions',
  'HasAsyncHandle',
];
const CORRELATION_KINDS: Record<number, string> = { 0: 'field', 1: 'pointer', 2: 'top-level', 4: 'constant' };

function bits(value: number, names: string[]): string {
  const set = names.filter((_, i) => value & (1 << i));
  return set.length ? set.join('|') : '0';
}

class Bytes {
  constructor(readonly data: Uint8Array) {}
  u8(at: number): number {
    return this.data[at] ?? 0;
  }
  u16(at: number): number {
    return this.u8(at) | (this.u8(at + 1) << 8);
  }
  s16(at: number): number {
    return (this.u16(at) << 16) >> 16;
  }
  u32(at: number): number {
    return (this.u16(at) | (this.u16(at + 2) << 16)) >>> 0;
  }
  slice(at: number, length: number): number[] {
    return [...this.data.subarray(at, at + length)];
  }
}

/** Every procedure's descriptor, in opnum order; each line is one field. */
export function annotateProcFormat(compiled: CompiledInterface): { name: string; lines: AnnotatedLine[] }[] {
  const b = new Bytes(compiled.procFormat);
  return compiled.procedures.map((proc) => {
    const lines: AnnotatedLine[] = [];
    const add = (offset: number, length: number, text: string) =>
      lines.push({ offset, bytes: b.slice(offset, length), text });
    let o = proc.procFormatOffset;
    const handle = b.u8(o);
    add(o, 1, `handle type: ${handle === 0 ? 'explicit (descriptor follows)' : fcName(handle)}`);
    add(o + 1, 1, `Oi flags 0x${b.u8(o + 1).toString(16)}`);
    add(o + 2, 4, `rpc flags 0x${b.u32(o + 2).toString(16)}`);
    add(o + 6, 2, `procnum ${b.u16(o + 6)}`);
    add(o + 8, 2, `stack size ${b.u16(o + 8)}`);
    o += 10;
    if (handle === 0) {
      const kind = b.u8(o);
      const length = kind === 0x32 ? 4 : 6;
      add(o, length, `${fcName(kind)} flags 0x${b.u8(o + 1).toString(16)}, stack offset ${b.u16(o + 2)}`);
      o += length;
    }
    add(o, 2, `client buffer ${b.u16(o)}`);
    add(o + 2, 2, `server buffer ${b.u16(o + 2)}`);
    const oi2 = b.u8(o + 4);
    add(o + 4, 1, `Oi2 flags ${bits(oi2, OI2_BITS)}`);
    const count = b.u8(o + 5);
    add(o + 5, 1, `${count} parameters`);
    o += 6;
    if (oi2 & 0x40) {
      const size = b.u8(o);
      const mask = size >= 10 ? `, float mask 0x${b.u16(o + 8).toString(16)}` : '';
      add(o, size, `extension (${size} bytes): flags2 0x${b.u8(o + 1).toString(16)}${mask}`);
      o += size;
    }
    for (let i = 0; i < count; i++, o += 6) {
      const attrs = b.u16(o);
      const param = proc.params.find((p) => p.stackOffset === b.u16(o + 2));
      const what = attrs & 0x20 ? 'return value' : (param?.name ?? '?');
      const type =
        attrs & 0x40
          ? `base type ${fcName(b.u8(o + 4))}`
          : `type at ${b.u16(o + 4)} in the type format string`;
      add(o, 6, `${what}: ${bits(attrs & 0x7ff, PARAM_BITS)}, stack offset ${b.u16(o + 2)}, ${type}`);
      if (!(attrs & 0x40)) lines.at(-1)!.typeOffset = b.u16(o + 4);
    }
    return { name: proc.name, lines };
  });
}

/**
 * The type format string: descriptor after descriptor from the start (the compiler
 * writes them back to back, including ones only other descriptors reach), plus any
 * descriptor a reference points at off that path.
 */
export function annotateTypeFormat(compiled: CompiledInterface, robust = true): AnnotatedLine[] {
  const b = new Bytes(compiled.typeFormat);
  const lines = new Map<number, AnnotatedLine>();
  const targets: number[] = [];
  const add = (offset: number, length: number, text: string) =>
    lines.set(offset, { offset, bytes: b.slice(offset, length), text });
  const ref = (at: number, what: string) => {
    const target = at + b.s16(at);
    add(at, 2, `${what}: offset ${b.s16(at)} -> ${target}`);
    targets.push(target);
  };
  const correlation = (at: number, what: string): number => {
    const kind = b.u8(at);
    const op = b.u8(at + 1);
    const length = robust ? 6 : 4;
    const text =
      kind >> 4 === 4
        ? `${what}: constant ${((kind & 0x0f) << 16) | b.u16(at + 2)}`
        : `${what}: ${CORRELATION_KINDS[kind >> 4] ?? `kind 0x${(kind >> 4).toString(16)}`} ${fcName(kind & 0x0f)}, ` +
          `${op ? fcName(op) : 'no operator'}, offset ${b.s16(at + 2)}`;
    add(at, length, robust ? `${text}, flags ${b.u16(at + 4)}` : text);
    return at + length;
  };
  /** Struct and array members through FC_END (and the FC_PAD that aligns what follows). */
  const members = (at: number): number => {
    let o = at;
    while (o < b.data.length) {
      const fc = b.u8(o);
      if (fc === 0x4c) {
        add(o, 2, 'FC_EMBEDDED_COMPLEX');
        ref(o + 2, 'embedded type');
        o += 4;
        continue;
      }
      add(o, 1, fc === 0x5b ? 'FC_END' : `member ${fcName(fc)}`);
      o++;
      if (fc === 0x5b) break;
    }
    if (o % 2 === 1 && b.u8(o) === 0x5c) add(o++, 1, 'FC_PAD');
    return o;
  };
  const arrayHead = (at: number, name: string) => add(at, 2, `${name} alignment ${b.u8(at + 1) + 1}`);
  /** Annotates one descriptor; returns where it ends, or undefined for one it cannot read. */
  const descriptor = (at: number): number | undefined => {
    const fc = b.u8(at);
    const name = fcName(fc);
    if (fc >= 0x11 && fc <= 0x14) {
      const flags = b.u8(at + 1);
      add(at, 2, `${name} flags 0x${flags.toString(16)}${flags & 0x08 ? ' (simple)' : ''}`);
      if (flags & 0x08) add(at + 2, 2, `target ${fcName(b.u8(at + 2))}, FC_PAD`);
      else ref(at + 2, 'target');
      return at + 4;
    }
    switch (fc) {
      case 0x22:
      case 0x25:
        add(at, 2, `${name}${b.u8(at + 1) === 0x44 ? ' FC_STRING_SIZED' : ''}`);
        return b.u8(at + 1) === 0x44 ? correlation(at + 2, 'size_is') : at + 2;
      case 0x26:
      case 0x29:
        add(at, 2, name);
        add(at + 2, 2, `${b.u16(at + 2)} characters`);
        return at + 4;
      case 0x15:
      case 0x17:
      case 0x19:
      case 0x1a: {
        add(at, 2, `${name} alignment ${b.u8(at + 1) + 1}`);
        add(at + 2, 2, `memory size ${b.u16(at + 2)}`);
        let o = at + 4;
        let pointerLayout = -1;
        if (fc === 0x17 || fc === 0x19) {
          ref(o, 'conformant array');
          o += 2;
        }
        if (fc === 0x1a) {
          if (b.s16(o)) ref(o, 'conformant array');
          else add(o, 2, 'no conformant array');
          if (b.s16(o + 2)) pointerLayout = o + 2 + b.s16(o + 2);
          add(o + 2, 2, pointerLayout < 0 ? 'no pointer layout' : `pointer layout at ${pointerLayout}`);
          o += 4;
        }
        const membersAt = o;
        o = members(o);
        // A bogus struct's pointer layout: one pointer descriptor per FC_POINTER member.
        if (pointerLayout >= 0) {
          const pointers = b.data.subarray(membersAt, o).filter((x) => x === 0x36).length;
          for (let i = 0; i < pointers; i++) o = Math.max(o, descriptor(pointerLayout + i * 4) ?? o);
        }
        return o;
      }
      case 0x1b:
      case 0x1c: {
        arrayHead(at, name);
        add(at + 2, 2, `element size ${b.u16(at + 2)}`);
        let o = correlation(at + 4, 'size_is');
        if (fc === 0x1c) o = correlation(o, 'length_is');
        return members(o);
      }
      case 0x1d:
        arrayHead(at, name);
        add(at + 2, 2, `total size ${b.u16(at + 2)}`);
        return members(at + 4);
      case 0x1f:
        arrayHead(at, name);
        add(at + 2, 2, `total size ${b.u16(at + 2)}`);
        add(at + 4, 2, `${b.u16(at + 4)} elements`);
        add(at + 6, 2, `element size ${b.u16(at + 6)}`);
        return members(correlation(at + 8, 'length_is'));
      case 0x21: {
        arrayHead(at, name);
        add(at + 2, 2, `${b.u16(at + 2)} elements`);
        let o = at + 4;
        for (const what of ['size_is', 'length_is']) {
          if (b.u32(o) === 0xffffffff) {
            add(o, robust ? 6 : 4, `no ${what}`);
            o += robust ? 6 : 4;
          } else o = correlation(o, what);
        }
        return members(o);
      }
      case 0xb7:
        add(at, 2, `${name} of ${fcName(b.u8(at + 1))}`);
        add(at + 2, 8, `min ${b.u32(at + 2) | 0}, max ${b.u32(at + 6) | 0}`);
        return at + 10;
      case 0x30:
        add(
          at,
          4,
          `${name} flags 0x${b.u8(at + 1).toString(16)}, rundown ${b.u8(at + 2)}, param ${b.u8(at + 3)}`,
        );
        return at + 4;
      default:
        return undefined;
    }
  };

  const last = b.data.length - 1; // the string's closing zero byte
  if (b.data.length >= 2) add(0, 2, 'leading zero short');
  // Back to back from offset 2, until a descriptor this annotator does not read yet.
  for (let at = 2; at < last; ) {
    const end = descriptor(at);
    if (end === undefined || end <= at) {
      add(at, 1, `${fcName(b.u8(at))} (not annotated: the bytes up to the next known descriptor are raw)`);
      break;
    }
    at = end;
  }
  for (const line of annotateProcFormat(compiled).flatMap((p) => p.lines)) {
    if (line.typeOffset !== undefined) targets.push(line.typeOffset);
  }
  const seen = new Set<number>();
  while (targets.length) {
    const at = targets.shift()!;
    if (seen.has(at) || lines.has(at) || at < 2 || at >= last) continue;
    seen.add(at);
    descriptor(at);
  }
  if (last >= 0) add(last, 1, 'end of string');
  return withGaps(
    [...lines.values()].sort((x, y) => x.offset - y.offset),
    b,
  );
}

/** Bytes no descriptor explained, as raw lines, so every byte of the string is listed. */
function withGaps(lines: AnnotatedLine[], b: Bytes): AnnotatedLine[] {
  const out: AnnotatedLine[] = [];
  let next = 0;
  for (const line of lines) {
    if (line.offset > next) out.push({ offset: next, bytes: b.slice(next, line.offset - next), text: '' });
    if (line.offset >= next) out.push(line);
    next = Math.max(next, line.offset + line.bytes.length);
  }
  if (next < b.data.length) out.push({ offset: next, bytes: b.slice(next, b.data.length - next), text: '' });
  return out;
}

export function formatAnnotated(lines: AnnotatedLine[], indent = '  '): string[] {
  return lines.map((line) => {
    const hex = line.bytes.map((x) => x.toString(16).padStart(2, '0')).join(' ');
    return `${indent}${String(line.offset).padStart(5)}  ${hex.padEnd(18)} ${line.text}`.trimEnd();
  });
}
