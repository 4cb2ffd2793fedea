// What the IDL front end refuses, however it refuses it: an IdlError that fails the file
// (syntax, or an 'unsupported' construct outside any procedure), or an 'unsupported'
// construct of one procedure, which leaves just that procedure unavailable with the same
// position and words as its reason (the rest of the interface compiles).
import { expect } from 'vitest';
import { IdlError, type IdlErrorKind } from '../../lib/idl/errors.js';
import type { UnavailableProcedure } from '../../lib/idl/model.js';

export interface Refusal {
  message: string;
  kind: IdlErrorKind;
}

/** `run` parses or compiles; the result's interfaces carry `unavailable`. */
export function refusalOf(run: () => { interfaces: { unavailable?: UnavailableProcedure[] }[] }): Refusal {
  let result: ReturnType<typeof run>;
  try {
    result = run();
  } catch (e) {
    expect(e).toBeInstanceOf(IdlError);
    return e as IdlError;
  }
  const refused = result.interfaces.flatMap((i) => i.unavailable ?? []);
  expect(refused).toHaveLength(1);
  const [only] = refused;
  if (!only) throw new Error('expected an IdlError or an unavailable procedure');
  return { message: only.reason, kind: 'unsupported' };
}
