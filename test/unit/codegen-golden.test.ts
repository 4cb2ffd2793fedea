// The committed generated clients (test/golden/<name>.client.ts) are exactly what the
// generator makes from test/servers/<name>.idl today. A compiler or generator change
// that alters them fails here until the goldens are regenerated on purpose:
//   UPDATE_GOLDEN=1 npx vitest run --project unit test/unit/codegen-golden.test.ts
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateClient } from '../../lib/codegen/generate.js';

const servers = new URL('../servers/', import.meta.url);
const golden = new URL('../golden/', import.meta.url);
const update = process.env.UPDATE_GOLDEN === '1';
const names = readdirSync(servers)
  .filter((f) => f.endsWith('.idl'))
  .map((f) => f.slice(0, -4))
  .sort();

describe('generated clients match test/golden', () => {
  it.each(names)('%s', (name) => {
    const file = `test/servers/${name}.idl`;
    const text = generateClient(readFileSync(new URL(`${name}.idl`, servers), 'utf8'), { file });
    const path = fileURLToPath(new URL(`${name}.client.ts`, golden));
    if (update) writeFileSync(path, text);
    if (!existsSync(path)) {
      throw new Error(
        `${path} is missing: run UPDATE_GOLDEN=1 npx vitest run --project unit test/unit/codegen-golden.test.ts`,
      );
    }
    // Not toMatchFileSnapshot: a missing golden must fail in CI, never be written there.
    expect(text, `${path} is stale: regenerate with UPDATE_GOLDEN=1 (see the top of this file)`).toBe(
      readFileSync(path, 'utf8'),
    );
  });

  it('is what examples/typed-client uses', () => {
    const example = new URL('../../examples/typed-client/inventory.client.ts', import.meta.url);
    if (update) writeFileSync(example, readFileSync(new URL('inventory.client.ts', golden)));
    expect(readFileSync(example, 'utf8')).toBe(readFileSync(new URL('inventory.client.ts', golden), 'utf8'));
  });

  it('is what `winrpc gen` writes (the CLI adds nothing)', async () => {
    const { main } = await import('../../lib/cli/main.js');
    const out: string[] = [];
    const code = await main(['gen', 'test/servers/calc.idl'], {
      stdout: (t) => out.push(t),
      stderr: () => {},
    });
    expect(code).toBe(0);
    expect(out.join('')).toBe(readFileSync(new URL('calc.client.ts', golden), 'utf8'));
  });
});
