// size_is / length_is values: where they come from (a parameter or a sibling field,
// possibly dereferenced) and the one operator NDR applies to them.
import type { Correlation } from '../ndr/compiled.js';

/** Looks a correlation's source up: a parameter's or a field's current value. */
export type CorrelationSource = (name: string, deref: boolean) => number | undefined;

export function evaluateCorrelation(correlation: Correlation, lookup: CorrelationSource): number | undefined {
  if (correlation.source === 'constant') return correlation.value;
  const raw = lookup(correlation.name, correlation.deref);
  if (raw === undefined) return undefined;
  switch (correlation.op) {
    case 'none':
      return raw;
    case 'add1':
      return raw + 1;
    case 'sub1':
      return raw - 1;
    case 'mul2':
      return raw * 2;
    case 'div2':
      return Math.trunc(raw / 2);
  }
}

/**
 * The value a size parameter or field must have for `count` elements: the inverse of
 * the operator, so a caller may leave it out and winrpc fills it in from the data.
 */
export function invertCorrelation(correlation: Correlation, count: number): number | undefined {
  if (correlation.source === 'constant') return undefined;
  switch (correlation.op) {
    case 'none':
      return count;
    case 'add1':
      return count - 1;
    case 'sub1':
      return count + 1;
    case 'mul2':
      return count % 2 === 0 ? count / 2 : undefined;
    case 'div2':
      return count * 2;
  }
}
