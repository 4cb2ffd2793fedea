// lib/ndr/server-format.ts (the proc format string a winrpc server registers) and
// lib/ndr/format-buffer.ts's relative offsets. Expected bytes are the Oi header's layout
// ([MS-RPCE] / MIDL's -Oicf header: handle type at 0, FC_BIND_PRIMITIVE at 10 for an
// explicit primitive handle, then client and server buffer sizes, then the Oi2 flags at 18;
// HasAsyncHandle is Oi2 bit 0x80), written out here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatBuffer } from '../../lib/ndr/format-buffer.js';
import { compileIdl } from '../../lib/ndr/index.js';
import { serverProcFormat } from '../../lib/ndr/server-format.js';

const CALC = readFileSync(join(import.meta.dirname, '../fixtures/idl/calc.idl'), 'utf8');

describe('serverProcFormat: the client format string made synchronous', () => {
  it('clears only HasAsyncHandle (Oi2 0x80) of each procedure and leaves the client string', () => {
    const [iface] = compileIdl(CALC, { file: 'calc.idl' });
    if (!iface) throw new Error('no interface');
    const client = Uint8Array.from(iface.procFormat);
    const server = serverProcFormat(iface);
    expect(iface.procFormat).toEqual(client);
    expect(server.length).toBe(client.length);
    const changed: number[] = [];
    server.forEach((b, i) => {
      if (b !== client[i]) changed.push(i);
    });
    const oi2At = iface.procedures.map((p) => p.procFormatOffset + 18);
    expect(changed).toEqual(oi2At);
    expect(iface.procedures.length).toBeGreaterThan(0);
    for (const at of oi2At) {
      expect((client[at] as number) & 0x80, `client Oi2 at ${at}`).toBe(0x80);
      expect(server[at]).toBe((client[at] as number) & ~0x80);
    }
  });

  it('refuses an interface compiled without an explicit primitive handle', () => {
    const [implicit] = compileIdl(CALC, { file: 'calc.idl', async: false, binding: 'auto' });
    if (!implicit) throw new Error('no interface');
    const first = [...implicit.procedures].sort((a, b) => a.procFormatOffset - b.procFormatOffset)[0];
    expect(() => serverProcFormat(implicit)).toThrow(
      new Error(`winrpc: ${implicit.name}.${first?.name} has no explicit primitive handle to serve`),
    );
  });
});

describe('serverProcFormat and compiled interfaces from elsewhere (JSON, another build)', () => {
  it('refuses an explicit handle that is not FC_BIND_PRIMITIVE', () => {
    const [iface] = compileIdl(CALC, { file: 'calc.idl' });
    const proc = iface?.procedures[1];
    if (!iface || !proc) throw new Error('no procedure');
    const procFormat = Uint8Array.from(iface.procFormat);
    procFormat[proc.procFormatOffset + 10] = 0x31; // FC_BIND_GENERIC
    expect(() => serverProcFormat({ ...iface, procFormat })).toThrow(
      `${iface.name}.${proc.name} has no explicit primitive handle to serve`,
    );
  });
});

describe('FormatBuffer.offsetTo: a 16-bit offset from its own position', () => {
  const filled = (n: number) => {
    const b = new FormatBuffer();
    for (let i = 0; i < n; i++) b.u8(0);
    return b;
  };
  it('writes offsets from -0x8000 to 0x7fff, little-endian', () => {
    const b = filled(2);
    b.offsetTo(2 + 0x7fff);
    expect(b.bytes.slice(2)).toEqual([0xff, 0x7f]);
    const back = filled(0x8000);
    back.offsetTo(0);
    expect(back.bytes.slice(0x8000)).toEqual([0x00, 0x80]);
  });
  it('refuses one past either end', () => {
    expect(() => filled(2).offsetTo(2 + 0x8000)).toThrow(
      new RangeError('type format string offset out of range'),
    );
    expect(() => filled(0x8001).offsetTo(0)).toThrow(RangeError);
  });
});
