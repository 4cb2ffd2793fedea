// The unit tests' one-interface IDL files: a body put inside `interface T`, compiled, or
// refused with an IdlError. Call these inside `it`/`beforeEach` (docs/testing.md: what
// runs outside a test is invisible or static to StrykerJS).
import { expect } from 'vitest';
import { IdlError } from '../../lib/idl/errors.js';
import type { ParseIdlOptions } from '../../lib/idl/index.js';
import { type CompiledInterface, type CompileOptions, compileIdl } from '../../lib/ndr/index.js';

export const TEST_UUID = '12345678-1234-1234-1234-123456789abc';

/** The header line of interface T with these attributes. */
export const headWith = (attrs: string) => `[${attrs}] interface T {`;

/** `[uuid(TEST_UUID), version(1.0)] interface T {`: the body's first line is the file's line 2. */
export const HEAD = headWith(`uuid(${TEST_UUID}), version(1.0)`);

/** `body` on its own lines between `head` and the closing brace. */
export const inInterfaceT = (body: string, head = HEAD) => `${head}\n${body}\n}`;

/** `body` in interface T compiled synchronously (widl's mode, the handle_t in slot 0) from t.idl. */
export function compileBody(
  body: string,
  options: CompileOptions & ParseIdlOptions & { head?: string } = {},
): CompiledInterface {
  const { head, ...rest } = options;
  const [iface] = compileIdl(inInterfaceT(body, head), { async: false, file: 't.idl', ...rest });
  if (!iface) throw new Error('no interface');
  return iface;
}

/** The IdlError `run` throws; anything else thrown, or nothing, fails the test. */
export function idlErrorOf(run: () => unknown, expected = 'an IdlError'): IdlError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(IdlError);
    return e as IdlError;
  }
  throw new Error(`expected ${expected}`);
}
