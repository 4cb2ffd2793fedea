// Asserts that a call is refused with a TypeError or RangeError before anything
// reaches native code: the engine's count of calls in flight never moves.
import { expect } from 'vitest';
import { callEngine } from '../../lib/runtime/call-engine.js';

const inFlight = () => callEngine().addon.diagnostics().inFlight;

/** The call rejects with `kind` matching `message`, and nothing was handed to native code. */
export async function refusedBeforeSending(
  call: () => Promise<unknown>,
  kind: typeof TypeError | typeof RangeError,
  message: RegExp,
): Promise<void> {
  const before = inFlight();
  const pending = call();
  expect(inFlight()).toBe(before);
  const error = await pending.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(kind);
  expect((error as Error).message).toMatch(message);
}
