// The x64 layouts winrpc computes, checked against the C compiler: for each corpus IDL,
// widl writes the C header, and a generated C file asserts sizeof, _Alignof and offsetof
// of every named type against winrpc's numbers (x86_64-w64-mingw32-gcc -fsyntax-only).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIdl } from '../../lib/idl/index.js';
import { compileIdl, type TypeLayout } from '../../lib/ndr/index.js';
import { IDL_CORPUS } from './ndr-corpus.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/idl');
// calc.idl and ctxh.idl declare no type with a layout (only scalars and context handles).
const NO_LAYOUTS = new Set(['calc', 'ctxh']);
const CORPUS = IDL_CORPUS.filter((name) => !NO_LAYOUTS.has(name));

const has = (tool: string, flag: string) => {
  const r = spawnSync(tool, [flag], { encoding: 'utf8' });
  return !r.error && r.status === 0;
};
const missing = [
  ['x86_64-w64-mingw32-gcc', '--version'],
  ['x86_64-w64-mingw32-widl', '-V'],
]
  .filter(([tool, flag]) => !has(tool as string, flag as string))
  .map(([tool]) => tool);

const DTYP_C = `#include <windows.h>
typedef DWORD NET_API_STATUS;
typedef WCHAR *LMSTR;
typedef const WCHAR *LMCSTR;
typedef void *PCONTEXT_HANDLE;
typedef PCONTEXT_HANDLE *PPCONTEXT_HANDLE;
typedef struct _RPC_UNICODE_STRING {
  unsigned short Length;
  unsigned short MaximumLength;
  WCHAR *Buffer;
} RPC_UNICODE_STRING, *PRPC_UNICODE_STRING;
typedef struct _RPC_SID_IDENTIFIER_AUTHORITY { BYTE Value[6]; } RPC_SID_IDENTIFIER_AUTHORITY;
typedef struct _RPC_SID {
  unsigned char Revision;
  unsigned char SubAuthorityCount;
  RPC_SID_IDENTIFIER_AUTHORITY IdentifierAuthority;
  unsigned long SubAuthority[];
} RPC_SID, *PRPC_SID;
`;

/** The assertions for one named type (its C name is the IDL typedef name). */
export function layoutAsserts(name: string, t: TypeLayout): string[] {
  // MIDL and widl headers declare a conformant array as `T a[1]`; winrpc's size is that of
  // the fixed part (the array starts at its offset), so only offsets are compared there.
  const last = t.kind === 'struct' ? t.fields[t.fields.length - 1] : undefined;
  const conformant = last !== undefined && last.type.size === 0;
  const out = conformant
    ? []
    : [
        `_Static_assert(sizeof(${name}) == ${t.size}, "sizeof(${name})");`,
        `_Static_assert(_Alignof(${name}) == ${t.align}, "_Alignof(${name})");`,
      ];
  const at = (member: string, offset: number) =>
    out.push(`_Static_assert(offsetof(${name}, ${member}) == ${offset}, "offsetof(${name}, ${member})");`);
  if (t.kind === 'struct') for (const f of t.fields) at(f.name, f.offset);
  if (t.kind === 'union') {
    const base = t.encapsulated ? `${t.encapsulated.unionName}.` : '';
    if (t.encapsulated) {
      at(t.encapsulated.discriminant, 0);
      at(t.encapsulated.unionName, t.encapsulated.unionOffset);
    }
    for (const a of t.arms) if (a.member) at(`${base}${a.member.name}`, t.encapsulated?.unionOffset ?? 0);
  }
  return out;
}

describe.skipIf(missing.length > 0)('x64 layouts against mingw gcc', () => {
  // Each check compiles windows.h: seconds per IDL, more on a busy machine.
  it.each(CORPUS)(
    '%s.idl: sizeof, _Alignof and offsetof agree',
    (name) => {
      const dir = mkdtempSync(join(tmpdir(), 'winrpc-layout-'));
      try {
        const header = join(dir, `${name}.h`);
        const w = spawnSync(
          'x86_64-w64-mingw32-widl',
          ['--win64', '-I', FIXTURES, '-h', '-o', header, join(FIXTURES, `${name}.idl`)],
          { encoding: 'utf8' },
        );
        expect(w.status, w.stderr).toBe(0);
        const [iface] = compileIdl(readFileSync(join(FIXTURES, `${name}.idl`), 'utf8'), {
          file: `${name}.idl`,
        });
        const lines = ['#include <stddef.h>', `#include "${name}.h"`];
        // A struct/union declared inside a struct field has no typedef in C, only its tag
        // (`union _WKSTA_USER_ENUM_UNION`); winrpc names it after the field.
        const headerText = readFileSync(header, 'utf8');
        const model = parseIdl(readFileSync(join(FIXTURES, `${name}.idl`), 'utf8'), { file: `${name}.idl` });
        const defs = model.interfaces[0]?.types ?? {};
        const cName = (typeName: string): string => {
          const def = defs[typeName];
          if (new RegExp(`\\b${typeName}\\b`).test(headerText) || !def?.tag || def.kind === 'enum')
            return typeName;
          return `${def.kind} ${def.tag}`;
        };
        const asserts: string[] = [];
        for (const [typeName, layout] of Object.entries(iface?.types ?? {}))
          if (layout.kind !== 'enum') asserts.push(...layoutAsserts(cName(typeName), layout));
        // A check file without assertions would compile and prove nothing.
        expect(asserts.length, `${name}.idl has no layout to check`).toBeGreaterThan(0);
        lines.push(...asserts);
        // widl-dtyp.idl's header: windows.h has most of the [MS-DTYP] types; the rest as MS-DTYP defines them.
        writeFileSync(join(dir, 'widl-dtyp.h'), DTYP_C);
        const c = join(dir, 'check.c');
        writeFileSync(c, `${lines.join('\n')}\n`);
        const r = spawnSync(
          'x86_64-w64-mingw32-gcc',
          ['-fsyntax-only', '-std=c11', '-Dsmall=char', '-I', dir, c],
          {
            encoding: 'utf8',
          },
        );
        expect(r.status, r.stderr).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});

if (missing.length > 0) {
  describe('x64 layouts against mingw gcc', () => {
    it.skip(`skipped: ${missing.join(' and ')} not installed`, () => {});
  });
}
