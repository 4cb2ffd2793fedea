// generateClient() as build tools call it: the ACF text and the import reader reach the
// compiler, and a module made by another winrpc fails at import and says to regenerate.
import { describe, expect, it } from 'vitest';
import { defineInterface, type EmbeddedInterface, generateClient, IdlError } from '../../lib/index.js';
import { EMBEDDED_FORMAT } from '../../lib/runtime/embedded-interface.js';

const SESSIONS = `
[uuid(3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f), version(1.0)]
interface sessions
{
    typedef [context_handle] void *SESSION;
    long Open([out] SESSION *s);
    long Close([in, out] SESSION *s);
}
`;

/** The embedded format strings of the first interface in a generated module. */
function formatsOf(module: string): string {
  const proc = /procFormat: "([^"]*)"/.exec(module);
  const type = /typeFormat: "([^"]*)"/.exec(module);
  if (!proc || !type) throw new Error('no embedded format strings');
  return `${proc[1]} ${type[1]}`;
}

describe('generateClient', () => {
  it('applies the ACF it is given: [strict_context_handle] changes the context handles descriptors', () => {
    const plain = generateClient(SESSIONS, { file: 'sessions.idl' });
    const strict = generateClient(SESSIONS, {
      file: 'sessions.idl',
      acf: '[strict_context_handle] interface sessions {}',
    });
    expect(formatsOf(strict)).not.toBe(formatsOf(plain));
    expect(plain).toContain('"strict":false');
    expect(strict).toContain('"strict":true');
    expect(strict).not.toContain('"strict":false');
  });

  it('names the ACF file and position of an ACF error', () => {
    let error: unknown;
    try {
      generateClient(SESSIONS, {
        file: 'sessions.idl',
        acf: 'interface sessions\n{\n  [comm_status] Open();\n}\n',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IdlError);
    expect((error as Error).message).toMatch(/^sessions\.acf:3:\d+: /);
  });

  it('reads imports through readFile, relative to the importing file', () => {
    const asked: [string, string][] = [];
    const module = generateClient(
      'import "shapes.idl";\n[uuid(8d1f0a52-61e4-4f0c-9a67-1c2b3d4e5f60)] interface draw { long Area([in] POINT2 *p); }',
      {
        file: 'src/draw.idl',
        readFile: (path, from) => {
          asked.push([path, from]);
          return path === 'shapes.idl' ? 'typedef struct { long x; long y; } POINT2;' : undefined;
        },
      },
    );
    expect(asked).toContainEqual(['shapes.idl', 'src/draw.idl']);
    expect(module).toMatch(/export interface POINT2 \{/);
  });

  it('says which import it could not read', () => {
    expect(() =>
      generateClient(
        'import "missing.idl";\n[uuid(8d1f0a52-61e4-4f0c-9a67-1c2b3d4e5f61)] interface x { void F(); }',
        {
          file: 'x.idl',
          readFile: () => undefined,
        },
      ),
    ).toThrow(/^x\.idl:1:\d+: .*missing\.idl/);
  });
});

describe('an embedded interface from another winrpc', () => {
  it('fails at defineInterface and says to regenerate, naming both formats', () => {
    const module = generateClient(SESSIONS, { file: 'sessions.idl' });
    expect(module).toContain(`format: ${EMBEDDED_FORMAT},`);
    const stale = { format: EMBEDDED_FORMAT + 1, name: 'sessions' } as unknown as EmbeddedInterface;
    expect(() => defineInterface(stale)).toThrow(
      `the generated client for sessions has embedded format ${EMBEDDED_FORMAT + 1}, this winrpc reads format ${EMBEDDED_FORMAT}: regenerate it`,
    );
  });
});
