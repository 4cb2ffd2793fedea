// The status table against the SDK's numbers (mingw-w64's headers, when this machine
// has them) and the table's own invariants.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  formatStatusNumber,
  hexStatus,
  normalizeStatus,
  statusEntries,
  statusFromName,
  statusMessage,
  statusName,
} from '../../lib/runtime/status-codes.js';

// Debian's mingw-w64-x86-64-dev; WINRPC_MINGW_INCLUDE points elsewhere.
const includeDir = [
  process.env.WINRPC_MINGW_INCLUDE,
  '/usr/x86_64-w64-mingw32/include',
  '/usr/share/mingw-w64/include',
].find((dir): dir is string => dir !== undefined && existsSync(join(dir, 'winerror.h')));
const HEADERS = ['winerror.h', 'rpcnterr.h', 'winnt.h', 'ntstatus.h'];

/** `#define NAME value` lines of the headers, first definition wins. */
function readDefines(dir: string): Map<string, string> {
  const defines = new Map<string, string>();
  for (const header of HEADERS) {
    const path = join(dir, header);
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, 'latin1').split('\n')) {
      const match = /^#define\s+(\w+)\s+([^/]+?)\s*(?:\/[/*].*)?$/.exec(line);
      if (match && !defines.has(match[1]!)) defines.set(match[1]!, match[2]!);
    }
  }
  return defines;
}

/** A define's unsigned 32-bit value: numbers in the SDK's wrappers, or another define. */
function evaluate(defines: Map<string, string>, name: string, depth = 0): number | undefined {
  let text = defines.get(name);
  if (text === undefined || depth > 8) return undefined;
  text = text
    .replace(/^__MSABI_LONG\((.*)\)$/, '$1')
    .replace(/^_HRESULT_TYPEDEF_\((.*)\)$/, '$1')
    .replace(/^\(\((?:DWORD|NTSTATUS|LONG)\)\s*(.*)\)$/, '$1')
    .trim();
  const number = /^(0x[0-9a-f]+|\d+)[lu]*$/i.exec(text);
  if (number) return Number(number[1]) >>> 0;
  return /^\w+$/.test(text) ? evaluate(defines, text, depth + 1) : undefined;
}

describe('status table against the SDK headers', () => {
  const skip = includeDir === undefined;
  const why = skip ? ' (skipped: no mingw-w64 winerror.h here; set WINRPC_MINGW_INCLUDE)' : '';
  const defines = includeDir === undefined ? new Map<string, string>() : readDefines(includeDir);

  it.skipIf(skip)(`reads the headers' numbers${why}`, () => {
    expect(evaluate(defines, 'RPC_S_SERVER_UNAVAILABLE')).toBe(1722);
    expect(evaluate(defines, 'RPC_S_ASYNC_CALL_PENDING')).toBe(997); // through ERROR_IO_PENDING
    expect(evaluate(defines, 'STATUS_ACCESS_VIOLATION')).toBe(0xc0000005);
    expect(evaluate(defines, 'RPC_S_CALLPENDING')).toBe(0x80010115);
  });

  it.skipIf(skip)(`gives every name and alias the header's number${why}`, () => {
    const wrong: string[] = [];
    const unchecked: string[] = [];
    for (const entry of statusEntries()) {
      let checked = false;
      for (const name of [entry.name, ...(entry.aliases ?? [])]) {
        const value = evaluate(defines, name);
        if (value === undefined) continue;
        checked = true;
        if (value !== entry.status) wrong.push(`${name}: table ${entry.status}, header ${value}`);
      }
      if (!checked) unchecked.push(entry.name);
    }
    expect(wrong).toEqual([]);
    expect(unchecked).toEqual([]);
  });

  it.skipIf(skip)(`has every RPC_S_, RPC_X_ and EPT_S_ code of winerror.h and rpcnterr.h${why}`, () => {
    const known = new Set(statusEntries().flatMap((e) => [e.name, ...(e.aliases ?? [])]));
    const missing = [...defines.keys()]
      .filter((name) => /^(RPC_S_|RPC_X_|EPT_S_)/.test(name))
      .filter((name) => evaluate(defines, name) !== undefined && !known.has(name));
    expect(missing).toEqual([]);
  });
});

describe('status table', () => {
  const entries = statusEntries();

  it('has one entry per number, in ascending order', () => {
    const statuses = entries.map((e) => e.status);
    expect(statuses).toEqual([...statuses].sort((a, b) => a - b));
    expect(new Set(statuses).size).toBe(statuses.length);
  });

  it('has unique SDK-style names and sentence messages', () => {
    const names = entries.flatMap((e) => [e.name, ...(e.aliases ?? [])]);
    expect(new Set(names).size).toBe(names.length);
    for (const entry of entries) {
      expect(entry.name).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(entry.message).toMatch(/^[A-Z].*\.$/);
      expect(Number.isInteger(entry.status) && entry.status >= 0 && entry.status <= 0xffffffff).toBe(true);
    }
  });

  it('prefers the RPC name where the SDK has two', () => {
    expect(statusName(997)).toBe('RPC_S_ASYNC_CALL_PENDING');
    expect(statusName(5)).toBe('RPC_S_ACCESS_DENIED');
    expect(statusName(87)).toBe('RPC_S_INVALID_ARG');
    expect(statusName(1460)).toBe('RPC_S_TIMEOUT');
    expect(statusFromName('ERROR_IO_PENDING')).toBe(997);
    expect(statusFromName('RPC_X_NO_MEMORY')).toBe(14);
  });

  it('names the statuses calls fail with', () => {
    expect(statusName(1722)).toBe('RPC_S_SERVER_UNAVAILABLE');
    expect(statusMessage(1722)).toBe('The RPC server is unavailable.');
    expect(statusName(1726)).toBe('RPC_S_CALL_FAILED');
    expect(statusName(1727)).toBe('RPC_S_CALL_FAILED_DNE');
    expect(statusName(1767)).toBe('RPC_S_ZERO_DIVIDE');
    expect(statusName(1781)).toBe('RPC_X_ENUM_VALUE_OUT_OF_RANGE');
    expect(statusName(1783)).toBe('RPC_X_BAD_STUB_DATA');
    expect(statusName(1818)).toBe('RPC_S_CALL_CANCELLED');
    expect(statusName(1914)).toBe('RPC_S_INVALID_ASYNC_HANDLE');
    expect(statusName(1223)).toBe('ERROR_CANCELLED');
    expect(statusName(258)).toBe('WAIT_TIMEOUT');
    expect(statusName(998)).toBe('ERROR_NOACCESS');
    expect(statusName(0xc0000005)).toBe('STATUS_ACCESS_VIOLATION');
    expect(statusName(0xc0000094)).toBe('STATUS_INTEGER_DIVIDE_BY_ZERO');
  });

  it('reads signed and unsigned forms of a status alike', () => {
    expect(normalizeStatus(-1073741819)).toBe(0xc0000005);
    expect(statusName(-1073741819)).toBe('STATUS_ACCESS_VIOLATION');
    expect(() => normalizeStatus(1.5)).toThrow(RangeError);
    expect(() => normalizeStatus(2 ** 32)).toThrow(RangeError);
    expect(() => normalizeStatus(Number.NaN)).toThrow(RangeError);
  });

  it('keeps the number of an unknown status as its name', () => {
    expect(statusName(0x20000001)).toBe('0x20000001');
    expect(statusName(12345)).toBe('0x00003039');
    expect(hexStatus(0xdeadbeef)).toBe('0xDEADBEEF');
    expect(statusMessage(0x20000001)).toBe('Unknown status 0x20000001.');
    expect(statusFromName('0x20000001')).toBe(0x20000001);
    expect(statusFromName('NO_SUCH_STATUS')).toBeUndefined();
  });

  it('shows Win32 numbers in decimal and larger ones in hex', () => {
    expect(formatStatusNumber(1722)).toBe('1722');
    expect(formatStatusNumber(0xc0000005)).toBe('0xC0000005');
  });
});
