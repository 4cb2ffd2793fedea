// A procedure refused while writing format strings (here an array of context handles, which
// winrpc has no type format for) leaves only that procedure unavailable, as a pipe found
// while resolving does: MIDL compiles the interface, so the procedures around it stay
// callable, with the format bytes they would have without it (their opnums stay MIDL's).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateClient } from '../../lib/codegen/generate.js';
import type { IdlWarning } from '../../lib/idl/errors.js';
import { interfaceFromSource, RpcBinding, RpcError } from '../../lib/index.js';
import { compileIdl } from '../../lib/ndr/index.js';
import { typeCheck } from '../support/type-check.js';

const HEAD = `[uuid(3c1d5e7f-9a2b-4c6d-8e0f-1a2b3c4d5e6f), version(1.0)]
interface sessions
{
    typedef [context_handle] void *SESSION;
    typedef struct { long id; [string, unique] wchar_t *name; } INFO;
    long Open([in] handle_t h, [out] SESSION *s);
`;
// INFO comes before the refused parameter, so a first pass writes INFO's descriptor for
// CloseMany: Query's bytes show the strings were written again without it.
const BAD = '    long CloseMany([in] handle_t h, [in] INFO *info, [in, out] SESSION many[2]);\n';
const TAIL = `    long Query([in] SESSION s, [out] INFO *info);
}
`;
const WITH = HEAD + BAD + TAIL;
const WITHOUT = HEAD + TAIL;
// The position of the parameter that reaches the type: line 7, at its name.
const BAD_AT = `sessions.idl:7:${BAD.indexOf('many[') + 1}`;

const hex = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('hex');

describe('a procedure refused while compiling its format strings', () => {
  it('is unavailable at its opnum with the reason and position, and says so once as a warning', () => {
    const warnings: IdlWarning[] = [];
    const [iface] = compileIdl(WITH, { file: 'sessions.idl', onWarning: (w) => warnings.push(w) });
    expect(iface?.procedures.map((p) => [p.name, p.opnum])).toEqual([
      ['Open', 0],
      ['Query', 2],
    ]);
    expect(iface?.unavailable).toEqual([
      { name: 'CloseMany', opnum: 1, reason: `${BAD_AT}: array of context_handle is not supported yet` },
    ]);
    expect(warnings).toEqual([
      {
        message:
          "procedure 'CloseMany' (opnum 1) cannot be called: array of context_handle is not supported yet",
        loc: { file: 'sessions.idl', line: 7, column: BAD.indexOf('many[') + 1 },
      },
    ]);
  });

  it.each([true, false])('leaves the others the bytes they have without it (async %s)', (async) => {
    const [withBad] = compileIdl(WITH, { file: 'sessions.idl', async });
    const [without] = compileIdl(WITHOUT, { file: 'sessions.idl', async });
    expect(hex(withBad?.typeFormat)).toBe(hex(without?.typeFormat));
    expect(withBad?.types).toEqual(without?.types);
    // The one byte that differs is Query's opnum (the header's u16 at +6): 2 with CloseMany, 1 without.
    const expected = Uint8Array.from(without?.procFormat ?? []);
    const query = without?.procedures.find((p) => p.name === 'Query');
    expect(query?.opnum).toBe(1);
    expected[(query?.procFormatOffset ?? 0) + 6] = 2;
    expect(hex(withBad?.procFormat)).toBe(hex(expected));
    expect(withBad?.procedures.map(({ opnum: _, ...p }) => p)).toEqual(
      without?.procedures.map(({ opnum: _, ...p }) => p),
    );
  });

  it('rejects a call to it with RPC_S_CANNOT_SUPPORT naming the reason', async () => {
    const iface = interfaceFromSource(WITH, { file: 'sessions.idl' });
    const error = await iface.invoke(RpcBinding.fromString('ncalrpc:[x]'), 'CloseMany', [{}, []]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({
      code: 'RPC_S_CANNOT_SUPPORT',
      procedure: 'CloseMany',
      interface: 'sessions',
    });
    expect((error as RpcError).message).toContain(BAD_AT);
  });

  it('is left out of the generated client, which tsc accepts', () => {
    const module = generateClient(WITH, { file: 'sessions.idl' });
    expect(module).toContain(`- CloseMany (opnum 1): ${BAD_AT}: array of context_handle`);
    expect(module).not.toMatch(/\bcloseMany\(|\bCloseMany\(/);
    expect(module).toMatch(/\bquery\(|\bQuery\(/);
    const dir = join(import.meta.dirname, '../../.cache/unavailable-compile-refusal');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'sessions.client.ts');
    writeFileSync(file, module);
    expect(typeCheck([file])).toEqual([]);
  }, 120_000);

  it('an IDL error found while compiling still fails the interface with its position', () => {
    const bad = '    long Bad([in] handle_t h, [in] long n, [in, size_is(*n)] byte *p);\n';
    expect(() => compileIdl(WITH.replace(BAD, bad), { file: 'sessions.idl' })).toThrow(
      `sessions.idl:7:${bad.indexOf('p);') + 1}: '*n' dereferences something that is not a pointer`,
    );
  });
});

// [MS-FAX] Appendix A, FAX_SendDocumentEx: `[in] LPBYTE lpcSenderProfile[]`. Microsoft's
// MIDL documentation says the size of `[]` is determined at run time (by [size_is] or
// [max_is]), not what MIDL sends with neither, so only that procedure is refused.
describe('a conformant array parameter with nothing that sizes it', () => {
  it.each([
    ['LPBYTE p[]', 'typedef byte *LPBYTE;\n'],
    ['long p[]', ''],
  ])('`%s` leaves just its procedure unavailable, with its position', (param, types) => {
    const idl = `[uuid(3c1d5e7f-9a2b-4c6d-8e0f-1a2b3c4d5e60), version(1.0)]
interface fax
{
    ${types}long A([in] handle_t h, [in] long n);
    long B([in] handle_t h, [in] ${param});
    long C([in] handle_t h, [in] long n);
}
`;
    const [iface] = compileIdl(idl, { file: 'fax.idl' });
    const line = types ? 6 : 5;
    expect(iface?.procedures.map((p) => [p.name, p.opnum])).toEqual([
      ['A', 0],
      ['C', 2],
    ]);
    const column = idl.split('\n')[line - 1]?.indexOf('p[]') ?? -1;
    expect(iface?.unavailable).toEqual([
      {
        name: 'B',
        opnum: 1,
        reason: `fax.idl:${line}:${column + 1}: conformant array parameter 'p' without [size_is] or [max_is] is not supported yet`,
      },
    ]);
  });

  it('with [size_is] the same parameter compiles', () => {
    const [iface] = compileIdl(
      `[uuid(3c1d5e7f-9a2b-4c6d-8e0f-1a2b3c4d5e60), version(1.0)]
interface fax { long B([in] handle_t h, [in] long n, [in, size_is(n)] long p[]); }`,
      { file: 'fax.idl' },
    );
    expect(iface?.procedures.map((p) => p.name)).toEqual(['B']);
    expect(iface?.unavailable).toBeUndefined();
  });
});
