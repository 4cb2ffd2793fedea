// size_is / length_is values: where they come from (a parameter or a sibling field,
// possibly dereferenced) and the one operator NDR applies to them.
import { applyBinary } from '../idl/expr.js';
import type { IdlExpr } from '../idl/model.js';
import type { Correlation } from '../ndr/compiled.js';

/** Looks a correlation's source up: a parameter's or a field's current value. */
export type CorrelationSource = (name: string, deref: boolean) => number | undefined;

export function evaluateCorrelation(correlation: Correlation, lookup: CorrelationSource): number | undefined {
  if (correlation.source === 'constant') return correlation.value;
  if (correlation.source === 'expr') return evaluateExpr(correlation.expr, lookup);
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
  if (correlation.source === 'constant' || correlation.source === 'expr') return undefined;
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

/**
 * An expression callback's value, as the addon computes it in C (integer arithmetic,
 * 0/1 for comparisons and logic), so `p ? *p : 0` works on a [unique] pointer; a
 * missing value or a division by zero gives undefined.
 */
function evaluateExpr(e: IdlExpr, lookup: CorrelationSource): number | undefined {
  const ev = (x: IdlExpr) => evaluateExpr(x, lookup);
  switch (e.kind) {
    case 'number':
      return e.value;
    case 'ident':
      return lookup(e.name, false);
    case 'unary': {
      if (e.op === '*') return e.operand.kind === 'ident' ? lookup(e.operand.name, true) : undefined;
      if (e.op === '!') return Number(!truth(e.operand, lookup));
      const v = ev(e.operand);
      if (v === undefined) return undefined;
      return e.op === '-' ? -v : e.op === '~' ? ~v : v;
    }
    case 'conditional':
      return ev(truth(e.test, lookup) ? e.whenTrue : e.whenFalse);
    case 'binary': {
      // && and || short-circuit as in C: the other side may be a NULL pointer's pointee.
      if (e.op === '&&') return Number(truth(e.left, lookup) && truth(e.right, lookup));
      if (e.op === '||') return Number(truth(e.left, lookup) || truth(e.right, lookup));
      const l = ev(e.left);
      const r = ev(e.right);
      if (l === undefined || r === undefined) return undefined;
      return applyBinary(e.op, l, r);
    }
  }
}

/**
 * A condition's truth. A name without a value there is a NULL (or absent [unique])
 * pointer: every other parameter is checked present before sizes are evaluated.
 */
function truth(e: IdlExpr, lookup: CorrelationSource): boolean {
  const v = evaluateExpr(e, lookup);
  return v !== undefined && v !== 0;
}
