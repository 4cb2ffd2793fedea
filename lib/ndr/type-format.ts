// The type format string: descriptors for pointers, strings, arrays and structs, with
// correlation descriptors bound to parameters (stack offsets) or struct fields.
import { IdlError, notSupported } from '../idl/errors.js';
import type { IdlExpr, PrimitiveName, SourceLocation } from '../idl/model.js';
import { classifyStruct, isConformant, isSimple, wireAlign } from './classify.js';
import type { Correlation, FieldLayout, TypeLayout } from './compiled.js';
import { compileExprProgram, type ExprOperand } from './expr-program.js';
import { CORR, CORR_FLAGS, CTX, FC, PTR_FLAGS } from './fc.js';
import { FormatBuffer } from './format-buffer.js';

const PRIMITIVE_FC: Record<PrimitiveName, number | undefined> = {
  boolean: FC.SMALL, // MIDL's code for boolean (lpp_c.c: FC_SMALL for a boolean parameter)
  byte: FC.BYTE,
  char: FC.CHAR,
  uchar: FC.CHAR, // MIDL's char is unsigned: `unsigned char` is FC_CHAR too
  small: FC.SMALL,
  usmall: FC.USMALL,
  wchar_t: FC.WCHAR,
  short: FC.SHORT,
  ushort: FC.USHORT,
  long: FC.LONG,
  ulong: FC.ULONG,
  hyper: FC.HYPER,
  uhyper: FC.HYPER,
  float: FC.FLOAT,
  double: FC.DOUBLE,
  error_status_t: FC.ERROR_STATUS_T,
  handle_t: undefined,
};

/** The signed code of an unsigned base type (FC_RANGE's type byte, as MIDL writes it). */
const SIGNED_FC: Record<number, number> = {
  [FC.ULONG]: FC.LONG,
  [FC.USHORT]: FC.SHORT,
  [FC.USMALL]: FC.SMALL,
};

/** The format character of a base type (primitives, enums, __int3264), or undefined. A [range] is not one. */
export function baseTypeFc(t: TypeLayout): number | undefined {
  if (t.kind === 'primitive') return t.range ? undefined : PRIMITIVE_FC[t.primitive];
  if (t.kind === 'enum') return t.range ? undefined : t.wire === 'enum16' ? FC.ENUM16 : FC.ENUM32;
  if (t.kind === 'int3264') return t.signed ? FC.INT3264 : FC.UINT3264;
  return undefined;
}

/**
 * A pointer NDR describes in 4 bytes (FC_SIMPLE_POINTER): to a base type or an unsized
 * string, unless the string has a [range] that the format string carries (FC_SUPPLEMENT).
 */
export function isSimplePointee(t: TypeLayout, rangeOnConformance = false): boolean {
  if (t.kind === 'string' && t.range && rangeOnConformance) return false;
  return baseTypeFc(t) !== undefined || (t.kind === 'string' && t.count === undefined && !t.sizeIs);
}

/** Whether pointer() writes this pointer's descriptor first (its target, if any, right after it). */
function writesInPlace(p: TypeLayout & { kind: 'pointer' }): boolean {
  const t = p.target;
  if (baseTypeFc(t) !== undefined || t.kind === 'string') return true;
  return t.kind === 'pointer' && writesInPlace(t);
}

function pointerFc(p: TypeLayout & { kind: 'pointer' }): number {
  return p.pointer === 'ref' ? FC.RP : p.pointer === 'unique' ? FC.UP : FC.FP;
}

/** Where correlation values of the descriptors being written are found. */
export type CorrContext =
  | {
      kind: 'param';
      params: Map<string, { stackOffset: number; type: TypeLayout; index: number }>;
      index: number;
      loc: SourceLocation;
    }
  | {
      kind: 'field';
      fields: FieldLayout[];
      base: number;
      pointer: boolean;
      index: number;
      loc: SourceLocation;
    };

export class TypeFormatBuilder {
  readonly buf = new FormatBuffer();
  private readonly structs = new Map<string, number>();
  /** Structs whose descriptors hold a correlation (a later use correlates too). */
  private readonly correlatedStructs = new Set<string>();
  /** Arm tables by union name: every use of a union shares one. */
  private readonly armTables = new Map<string, number>();
  /** Offset fields waiting for the descriptor of a struct still being written (recursion). */
  private readonly pendingStructs = new Map<string, number[]>();
  /** Structs whose descriptors are being written, for arrays of them met inside (recursion). */
  private readonly writing = new Map<string, TypeLayout & { kind: 'struct' }>();
  /** Context handle rundown routine indices, one per context handle type. */
  private readonly rundowns = new Map<string, number>();
  /** Parameters with correlated data: for the ClientCorrCheck/ServerCorrCheck flags. */
  usedCorrelation = false;
  /** Expression callback programs, by index (FC_CALLBACK correlations refer to them). */
  readonly exprPrograms: Uint8Array[] = [];
  private readonly programIndex = new Map<string, number>();

  /**
   * robust: 6-byte correlation descriptors with the correlation-check flags (/robust).
   * rangeOnConformance: MIDL's /target NT60 forms: 16-byte correlation descriptors that
   * carry the count's [range], and FC_SUPPLEMENT for a ranged string (docs/internals.md).
   */
  constructor(
    private readonly robust: boolean,
    private readonly rangeOnConformance = false,
  ) {
    if (rangeOnConformance && !robust) throw new IdlError('rangeOnConformance needs robust descriptors');
    this.buf.u16(0); // MIDL and widl start the type format string with a zero short
  }

  /**
   * NT60 forms only: a [unique] or [ptr] pointer to a sized array carries
   * [maybenull_sizeis] (0x20), as MIDL's /target NT60 output has it on every such pointer
   * (ms_scmr_c.c @364: 12 20 for lpDependencies; drsr_c.c, ms-par_c.c likewise).
   */
  private maybeNullSizeIs(p: TypeLayout & { kind: 'pointer' }): number {
    const sized = p.target.kind === 'array' && p.target.sizeIs !== undefined;
    return this.rangeOnConformance && p.pointer !== 'ref' && sized ? PTR_FLAGS.MAYBENULL_SIZEIS : 0;
  }

  /** isSimplePointee under this string's forms. */
  private simple(t: TypeLayout): boolean {
    return isSimplePointee(t, this.rangeOnConformance);
  }

  /** Emits a pointer descriptor; returns its offset and the offset of its target's description. */
  pointer(
    p: TypeLayout & { kind: 'pointer' },
    ctx: CorrContext,
    extraFlags = 0,
  ): { offset: number; target: number } {
    const kindFc = pointerFc(p);
    const t = p.target;
    const fc = baseTypeFc(t);
    const b = this.buf;
    if (t.kind === 'context_handle' || t.kind === 'ignore')
      throw notSupported(
        `a pointer to ${t.kind === 'ignore' ? 'an [ignore] field' : 'a context handle'} here`,
        ctx.loc,
      );
    if (this.simple(t)) {
      const offset = b.length;
      b.u8(kindFc, PTR_FLAGS.SIMPLE_POINTER | extraFlags);
      if (fc !== undefined) b.u8(fc, FC.PAD);
      else b.u8((t as { char: string }).char === 'char' ? FC.C_CSTRING : FC.C_WSTRING, FC.PAD);
      return { offset, target: offset + 2 };
    }
    if (t.kind === 'pointer' && !writesInPlace(t)) {
      // The inner pointer's descriptor follows its struct/array/union target, so it
      // cannot sit right after this one: describe it first and point back at it.
      const target = this.pointer(t, ctx).offset;
      const offset = b.length;
      b.u8(kindFc, extraFlags | PTR_FLAGS.POINTER_DEREF);
      b.offsetTo(target);
      return { offset, target };
    }
    if (t.kind === 'pointer' || t.kind === 'string') {
      // Pointer first, its target right after (the order widl uses).
      const offset = b.length;
      b.u8(kindFc, extraFlags | (t.kind === 'pointer' ? PTR_FLAGS.POINTER_DEREF : 0));
      b.u16(2);
      const target = t.kind === 'pointer' ? this.pointer(t, ctx).offset : this.string(t, ctx);
      return { offset, target };
    }
    const target = this.complex(t, ctx);
    const offset = b.length;
    b.u8(kindFc, extraFlags | this.maybeNullSizeIs(p));
    b.offsetTo(target);
    return { offset, target };
  }

  /** Describes a struct, array or string; returns the descriptor's offset. */
  complex(t: TypeLayout, ctx: CorrContext): number {
    switch (t.kind) {
      case 'struct':
        return this.struct(t, ctx.loc);
      case 'array':
        return this.array(t, ctx);
      case 'string':
        return this.string(t, ctx);
      case 'pointer':
        return this.pointer(t, ctx).offset;
      case 'union':
        return this.union(t, ctx);
      case 'enum':
        if (t.range) return this.range(t);
        throw new IdlError(`internal: no type descriptor for an enum`, ctx.loc);
      case 'primitive':
        if (t.range) return this.range(t);
        throw new IdlError(`internal: no type descriptor for ${t.primitive}`, ctx.loc);
      case 'context_handle':
        throw new IdlError('a context handle can only be a parameter or a return value', ctx.loc);
      default:
        throw new IdlError(`internal: no type descriptor for ${t.kind}`, ctx.loc);
    }
  }

  string(s: TypeLayout & { kind: 'string' }, ctx: CorrContext): number {
    const b = this.buf;
    const offset = b.length;
    const stringFc = s.char === 'char' ? FC.C_CSTRING : FC.C_WSTRING;
    if (s.range && this.rangeOnConformance && s.count === undefined && !s.sizeIs) {
      // FC_SUPPLEMENT: the string's type, an offset to its plain descriptor (right after
      // this one) and the bounds (ms_scmr_c.c, MIDL 8.01.0628 /target NT60, @278:
      // b6 25 0a00 00000000 01010000 | 25 5c for [string, range(0, 257)] wchar_t *).
      b.u8(FC.SUPPLEMENT, stringFc);
      b.u16(10);
      b.u32(s.range.min >>> 0);
      b.u32(s.range.max >>> 0);
      b.u8(stringFc, FC.PAD);
      return offset;
    }
    if (s.count !== undefined) {
      b.u8(s.char === 'char' ? FC.CSTRING : FC.WSTRING, FC.PAD);
      b.u16(fits16(s.count, 'a string of', 'characters', ctx.loc));
    } else if (s.sizeIs) {
      b.u8(stringFc, FC.STRING_SIZED);
      this.correlation(s.sizeIs, ctx, s.range);
    } else {
      b.u8(s.char === 'char' ? FC.C_CSTRING : FC.C_WSTRING, FC.PAD);
    }
    return offset;
  }

  array(a: TypeLayout & { kind: 'array' }, ctx: CorrContext): number {
    const el = a.element;
    // An array of the struct being written (`[size_is(c)] struct _N *kids` in _N, [MS-NSPI]
    // Restriction_r): its shape is that struct's; its descriptor's offset may come later.
    const recursive = el.kind === 'recursion' ? this.writing.get(el.name as string) : undefined;
    if (el.kind === 'recursion' && !recursive)
      throw new IdlError(`internal: array of '${el.name}' outside its own descriptor`, ctx.loc);
    const shape = recursive ?? el;
    if (el.kind === 'string')
      throw notSupported('array of strings (use an array of [string] pointers)', ctx.loc);
    if (el.kind === 'array' && el.count === undefined)
      throw notSupported('array of conformant arrays', ctx.loc);
    if (el.kind === 'union') throw notSupported('array of unions', ctx.loc);
    if (el.kind === 'context_handle' || el.kind === 'ignore')
      throw notSupported(`array of ${el.kind}`, ctx.loc);
    // C11 6.7.2.1p3: a struct ending in a flexible array member cannot be an array element
    // (its size leaves the array out, so the elements would overlap).
    if (endsConformant(shape))
      throw new IdlError(
        `an array of '${el.name ?? 'struct'}', which ends in a conformant array or string`,
        ctx.loc,
      );
    // Nested descriptors first, so the array can point back at them. An array of pointers
    // carries its element's pointer descriptor inline; the pointee comes first.
    let elOffset: number | undefined;
    let pointee: number | undefined;
    if (el.kind === 'pointer') {
      if (!this.simple(el.target)) pointee = this.pointee(el, ctx);
    } else if (recursive) elOffset = this.structs.get(recursive.name as string);
    else if (baseTypeFc(el) === undefined) elOffset = this.complex(el, ctx);
    const b = this.buf;
    const start = b.length;
    const simple = isSimple(shape);
    const align = wireAlign(shape) - 1;
    if (simple && a.count !== undefined && a.lengthIs) {
      const total = el.size * a.count;
      if (total > 0xffff) {
        b.u8(FC.LGVARRAY, align);
        b.u32(total);
        b.u32(a.count);
      } else {
        b.u8(FC.SMVARRAY, align);
        b.u16(total);
        b.u16(a.count);
      }
      b.u16(fits16(el.size, 'array elements of', 'bytes', ctx.loc));
      this.variance(a, ctx);
    } else if (simple && a.count !== undefined) {
      const total = el.size * a.count;
      if (total > 0xffff) {
        b.u8(FC.LGFARRAY, align);
        b.u32(total);
      } else {
        b.u8(FC.SMFARRAY, align);
        b.u16(total);
      }
    } else if (simple) {
      b.u8(a.lengthIs ? FC.CVARRAY : FC.CARRAY, align);
      b.u16(fits16(el.size, 'array elements of', 'bytes', ctx.loc));
      this.correlation(a.sizeIs as Correlation, ctx, a.sizeRange);
      if (a.lengthIs) this.variance(a, ctx);
    } else {
      b.u8(FC.BOGUS_ARRAY, align);
      b.u16(fits16(a.count ?? 0, 'an array of', 'elements', ctx.loc));
      if (a.sizeIs) this.correlation(a.sizeIs, ctx, a.sizeRange);
      else this.noCorrelation();
      if (a.lengthIs) this.variance(a, ctx);
      else this.noCorrelation();
    }
    if (el.kind === 'pointer') this.pointerEntry(el, pointee);
    else this.element(el, elOffset);
    this.end(start);
    return start;
  }

  /** The description of a non-simple pointer's target (a pointer's own descriptor for `**`). */
  private pointee(p: TypeLayout & { kind: 'pointer' }, ctx: CorrContext): number | undefined {
    const t = p.target;
    // A struct being written: pointerEntry links to it once its offset is known.
    if (t.kind === 'recursion') return this.structs.get(t.name as string);
    return t.kind === 'pointer' ? this.pointer(t, ctx).offset : this.complex(t, ctx);
  }

  /** A pointer descriptor as an entry of a pointer layout or an array element (4 bytes). */
  private pointerEntry(p: TypeLayout & { kind: 'pointer' }, pointee: number | undefined): void {
    const b = this.buf;
    const t = p.target;
    const fc = baseTypeFc(t);
    if (fc !== undefined) b.u8(pointerFc(p), PTR_FLAGS.SIMPLE_POINTER, fc, FC.PAD);
    else if (this.simple(t))
      b.u8(
        pointerFc(p),
        PTR_FLAGS.SIMPLE_POINTER,
        (t as { char: string }).char === 'char' ? FC.C_CSTRING : FC.C_WSTRING,
        FC.PAD,
      );
    else {
      b.u8(pointerFc(p), (t.kind === 'pointer' ? PTR_FLAGS.POINTER_DEREF : 0) | this.maybeNullSizeIs(p));
      if (t.kind === 'recursion' && pointee === undefined) {
        // The struct's own descriptor (or an enclosing one) is not placed yet: patch later.
        const name = t.name as string;
        const at = b.length;
        b.u16(0);
        const known = this.structs.get(name);
        if (known !== undefined) b.patch16(at, known - at);
        else this.pendingStructs.set(name, [...(this.pendingStructs.get(name) ?? []), at]);
      } else b.offsetTo(pointee as number);
    }
  }

  private element(el: TypeLayout, elOffset: number | undefined): void {
    const fc = baseTypeFc(el);
    if (fc !== undefined) this.buf.u8(fc);
    else if (el.kind === 'recursion' && elOffset === undefined) {
      // The struct's descriptor is not placed yet: patched when it is, as a pointer's is.
      this.buf.u8(FC.EMBEDDED_COMPLEX, 0);
      const name = el.name as string;
      const at = this.buf.length;
      this.buf.u16(0);
      this.pendingStructs.set(name, [...(this.pendingStructs.get(name) ?? []), at]);
    } else {
      this.buf.u8(FC.EMBEDDED_COMPLEX, 0);
      this.buf.offsetTo(elOffset as number);
    }
  }

  /** FC_PAD if needed so the descriptor has an even length, then FC_END. */
  private end(start: number): void {
    if ((this.buf.length - start) % 2 === 0) this.buf.u8(FC.PAD);
    this.buf.u8(FC.END);
  }

  struct(s: TypeLayout & { kind: 'struct' }, loc: SourceLocation): number {
    const key = s.name;
    const known = key ? this.structs.get(key) : undefined;
    if (known !== undefined) {
      // A descriptor written before still correlates for this parameter (the corr checks).
      if (this.correlatedStructs.has(key as string)) this.usedCorrelation = true;
      return known;
    }
    const outer = this.usedCorrelation;
    this.usedCorrelation = false;
    if (key) this.writing.set(key, s);
    let start: number;
    try {
      start = this.structBody(s, loc);
    } finally {
      if (key) this.writing.delete(key);
    }
    if (key && this.usedCorrelation) this.correlatedStructs.add(key);
    this.usedCorrelation ||= outer;
    return start;
  }

  private structBody(s: TypeLayout & { kind: 'struct' }, loc: SourceLocation): number {
    const key = s.name;
    const cls = classifyStruct(s);
    const last = s.fields[s.fields.length - 1] as FieldLayout;
    const fixed = cls === 'simple' || !isConformant(last.type) ? s.fields : s.fields.slice(0, -1);
    const fieldCtx = (index: number, pointer: boolean, base: number): CorrContext => ({
      kind: 'field',
      fields: s.fields,
      base,
      pointer,
      index,
      loc,
    });

    // Descriptors this one refers to: embedded structs/arrays, the conformant part, pointees.
    // Correlations of embedded data count from the member's own offset (widl and MIDL agree).
    const embedded = new Map<number, number>();
    fixed.forEach((f, i) => {
      const k = f.type.kind;
      if (
        k === 'struct' ||
        k === 'array' ||
        k === 'string' ||
        k === 'union' ||
        ((k === 'primitive' || k === 'enum') && f.type.range)
      )
        embedded.set(i, this.complex(f.type, fieldCtx(i, false, f.offset)));
    });
    const pointees = new Map<number, number>();
    fixed.forEach((f, i) => {
      if (f.type.kind !== 'pointer' || this.simple(f.type.target)) return;
      const pointee = this.pointee(f.type, fieldCtx(i, true, 0));
      if (pointee !== undefined) pointees.set(i, pointee);
    });
    const conformantOffset =
      fixed.length < s.fields.length
        ? this.complex(last.type, fieldCtx(s.fields.length - 1, false, last.offset))
        : undefined;

    const b = this.buf;
    const start = b.length;
    const memorySize = fits16(
      conformantOffset === undefined ? s.size : last.offset,
      'a struct of',
      'bytes',
      loc,
    );
    let pointerLayoutField = -1;
    if (cls === 'simple') {
      b.u8(FC.STRUCT, wireAlign(s) - 1);
      b.u16(memorySize);
    } else if (cls === 'conformant' || cls === 'conformant-varying') {
      b.u8(cls === 'conformant' ? FC.CSTRUCT : FC.CVSTRUCT, wireAlign(s) - 1);
      b.u16(memorySize);
      b.offsetTo(conformantOffset as number);
    } else {
      b.u8(FC.BOGUS_STRUCT, wireAlign(s) - 1);
      b.u16(memorySize);
      if (conformantOffset === undefined) b.u16(0);
      else b.offsetTo(conformantOffset);
      pointerLayoutField = b.length;
      b.u16(0);
    }
    if (key) {
      this.structs.set(key, start);
      for (const at of this.pendingStructs.get(key) ?? []) b.patch16(at, start - at);
      this.pendingStructs.delete(key);
    }
    const membersStart = b.length;
    let pos = 0;
    const pointers: { field: FieldLayout; index: number }[] = [];
    fixed.forEach((f, i) => {
      if (f.offset > pos) b.u8(alignFc(f.type.align, loc));
      pos = f.offset;
      const fc = baseTypeFc(f.type);
      if (fc !== undefined) b.u8(fc);
      else if (f.type.kind === 'ignore') b.u8(FC.IGNORE);
      else if (f.type.kind === 'pointer') {
        b.u8(FC.POINTER);
        pointers.push({ field: f, index: i });
      } else {
        b.u8(FC.EMBEDDED_COMPLEX, 0);
        b.offsetTo(embedded.get(i) as number);
      }
      pos += f.type.size;
    });
    if (memorySize > pos) {
      const pad = memorySize - pos;
      if (pad > 7) throw new IdlError(`internal: ${pad} bytes of struct padding`, loc);
      b.u8(FC.STRUCTPAD1 + pad - 1);
    }
    this.end(membersStart);
    if (pointers.length) {
      // The pointer layout: one descriptor per FC_POINTER, in order.
      b.patch16(pointerLayoutField, b.length - pointerLayoutField);
      for (const { field, index } of pointers)
        this.pointerEntry(field.type as TypeLayout & { kind: 'pointer' }, pointees.get(index));
    }
    return start;
  }

  /**
   * FC_NON_ENCAPSULATED_UNION (switch type, switch_is correlation, offset to the arm table)
   * or FC_ENCAPSULATED_UNION (memory increment and switch type in one byte, then the arms).
   */
  union(u: TypeLayout & { kind: 'union' }, ctx: CorrContext): number {
    const switchFc = baseTypeFc(u.switchType);
    if (switchFc === undefined)
      throw new IdlError('internal: union discriminant without a base type', ctx.loc);
    const b = this.buf;
    if (u.encapsulated) {
      const armDescs = this.armDescriptors(u, ctx);
      const start = b.length;
      if (u.encapsulated.unionOffset > 15)
        throw notSupported('a discriminant this far from its union', ctx.loc);
      b.u8(FC.ENCAPSULATED_UNION, (u.encapsulated.unionOffset << 4) | (switchFc & 0x0f));
      this.armTable(u, armDescs, ctx.loc);
      return start;
    }
    if (!u.switchIs) throw new IdlError(`union '${u.name ?? ''}' needs [switch_is] here`, ctx.loc);
    const key = u.name;
    let table = key ? this.armTables.get(key) : undefined;
    if (table === undefined) {
      const armDescs = this.armDescriptors(u, ctx);
      table = b.length;
      this.armTable(u, armDescs, ctx.loc);
      if (key) this.armTables.set(key, table);
    }
    const start = b.length;
    b.u8(FC.NON_ENCAPSULATED_UNION, switchFc);
    this.correlation(u.switchIs, ctx);
    b.offsetTo(table);
    return start;
  }

  /** Descriptors the arms refer to, written before the arm table. */
  private armDescriptors(u: TypeLayout & { kind: 'union' }, ctx: CorrContext): (number | undefined)[] {
    return u.arms.map((a) => {
      if (!a.member || baseTypeFc(a.member.type) !== undefined) return undefined;
      const t = a.member.type;
      return t.kind === 'pointer' ? this.pointer(t, ctx).offset : this.complex(t, ctx);
    });
  }

  /** Memory size, arm count, (case value, arm type) per case, then the default arm. */
  private armTable(
    u: TypeLayout & { kind: 'union' },
    descs: (number | undefined)[],
    loc: SourceLocation,
  ): void {
    const b = this.buf;
    const armType = (i: number) => {
      const m = u.arms[i]?.member;
      if (!m)
        b.u16(0); // an empty arm
      else {
        const fc = baseTypeFc(m.type);
        if (fc !== undefined) b.u16(0x8000 | fc);
        else b.offsetTo(descs[i] as number);
      }
    };
    let size = 0;
    let align = 1;
    for (const a of u.arms) {
      if (!a.member) continue;
      size = Math.max(size, a.member.type.size);
      align = Math.max(align, a.member.type.align);
    }
    b.u16(fits16(alignUpTo(size, align), 'a union of', 'bytes', loc));
    const cases = u.arms.reduce((n, a) => n + a.cases.length, 0);
    if (cases > 0x0fff) throw new IdlError('internal: too many union arms');
    b.u16((armAlignmentNibble(u) << 12) | cases);
    u.arms.forEach((a, i) => {
      for (const c of a.cases) {
        b.u32(c >>> 0);
        armType(i);
      }
    });
    const def = u.arms.findIndex((a) => a.isDefault);
    if (def < 0)
      b.u16(0xffff); // no default arm: any other value is an error
    else armType(def);
  }

  /**
   * FC_RANGE: the base type, then the inclusive bounds as 32-bit values. MIDL names an
   * unsigned type by its signed code here (ms_scmr_c.c @390: b7 08 for a [range] DWORD;
   * every FC_RANGE in the MIDL 8.01 files read is FC_LONG, FC_SHORT or FC_ENUM16).
   */
  range(t: TypeLayout & { kind: 'primitive' | 'enum' }): number {
    const unsigned =
      t.kind === 'enum' ? (t.wire === 'enum16' ? FC.ENUM16 : FC.ENUM32) : PRIMITIVE_FC[t.primitive];
    const fc = unsigned === undefined ? undefined : (SIGNED_FC[unsigned] ?? unsigned);
    if (fc === undefined || !t.range) throw new IdlError(`internal: [range] on ${t.kind}`);
    const start = this.buf.length;
    this.buf.u8(FC.RANGE, fc);
    this.buf.u32(t.range.min >>> 0);
    this.buf.u32(t.range.max >>> 0);
    return start;
  }

  /** FC_BIND_CONTEXT: flags, the rundown routine's index (one per handle type), the parameter's number. */
  contextHandle(h: TypeLayout & { kind: 'context_handle' }, flags: number, paramNum: number): number {
    const key = h.typeName ?? '';
    let rundown = this.rundowns.get(key);
    if (rundown === undefined) {
      rundown = this.rundowns.size;
      this.rundowns.set(key, rundown);
    }
    const start = this.buf.length;
    this.buf.u8(FC.BIND_CONTEXT, flags | (h.strict ? CTX.STRICT : 0), rundown, paramNum);
    return start;
  }

  /** The variance descriptor: length_is, through a callback that also sets the offset for first_is. */
  private variance(a: TypeLayout & { kind: 'array' }, ctx: CorrContext): void {
    const length = a.lengthIs as Correlation;
    if (a.firstIs) this.callback(correlationExpr(a.firstIs), correlationExpr(length), ctx);
    else this.correlation(length, ctx);
  }

  /** An FC_CALLBACK correlation: the index of an expression program (lib/ndr/expr-program.ts). */
  private callback(first: IdlExpr | undefined, count: IdlExpr, ctx: CorrContext): void {
    const operand: ExprOperand = (name) => {
      if (ctx.kind === 'param') {
        const p = ctx.params.get(name);
        return p && { offset: p.stackOffset, type: p.type };
      }
      const f = ctx.fields.find((x) => x.name === name);
      return f && { offset: f.offset - ctx.base, type: f.type };
    };
    const program = compileExprProgram(first, count, operand, ctx.loc);
    const key = Array.from(program).join(',');
    let index = this.programIndex.get(key);
    if (index === undefined) {
      index = this.exprPrograms.length;
      if (index >= MAX_EXPR_PROGRAMS)
        throw notSupported(`more than ${MAX_EXPR_PROGRAMS} expression callbacks in one interface`, ctx.loc);
      this.exprPrograms.push(program);
      this.programIndex.set(key, index);
    }
    this.usedCorrelation = true;
    const location = ctx.kind === 'param' ? CORR.TOP_LEVEL : ctx.pointer ? CORR.POINTER : CORR.NORMAL;
    this.buf.u8(location, FC.CALLBACK);
    this.buf.u16(index);
    this.checkData(0, undefined);
  }

  /**
   * The robust tail of a correlation descriptor: the correlation flags (/robust), then,
   * in the range-on-conformance form, a ranged flag byte, a zero byte and the bounds
   * (ms_scmr_c.c @376: 1000 | 01 00 00000000 00100000 for size_is(dwDependSize) with
   * dwDependSize [range(0, 4096)]; drsr_c.c: 0100 | 00 00 00000000 00000000 unranged).
   */
  private checkData(flags: number, range: { min: number; max: number } | undefined): void {
    const b = this.buf;
    if (!this.robust) return;
    b.u16(flags | (range && this.rangeOnConformance ? CORR_FLAGS.RANGED : 0));
    if (!this.rangeOnConformance) return;
    b.u8(range ? 1 : 0, 0);
    b.u32(range ? range.min >>> 0 : 0);
    b.u32(range ? range.max >>> 0 : 0);
  }

  /**
   * A correlation descriptor: 4 bytes, 6 with the robust flags (HasNewCorrDesc), 16 with
   * range on conformance. `range`: a [range] on the array or string it sizes.
   */
  correlation(c: Correlation, ctx: CorrContext, range?: { min: number; max: number }): void {
    const b = this.buf;
    this.usedCorrelation = true;
    if (c.source === 'expr') {
      this.callback(undefined, c.expr, ctx);
      return;
    }
    if (c.source === 'constant') {
      if (c.value < 0 || c.value > 0xffffff) throw notSupported(`constant size ${c.value}`, ctx.loc);
      b.u8(CORR.CONSTANT, (c.value >> 16) & 0xff);
      b.u16(c.value & 0xffff);
      this.checkData(CORR_FLAGS.EARLY, range); // early: a constant is always known
      return;
    }
    const op = c.deref
      ? FC.DEREFERENCE
      : { none: 0, add1: FC.ADD_1, sub1: FC.SUB_1, mul2: FC.MULT_2, div2: FC.DIV_2 }[c.op];
    let varType: TypeLayout;
    let location: number;
    let offset: number;
    let early: boolean;
    if (ctx.kind === 'param') {
      const p = ctx.params.get(c.name);
      if (!p || c.source !== 'param') throw new IdlError(`'${c.name}' is not a parameter`, ctx.loc);
      varType = p.type;
      location = CORR.TOP_LEVEL;
      offset = p.stackOffset;
      // Early: the operand comes first in the parameter list, dereferenced or not (MIDL
      // marks `*pCount` early too: ms-lsar_x64.c @2672, drsr_c.c @762).
      early = p.index < ctx.index;
    } else {
      const fi = ctx.fields.findIndex((f) => f.name === c.name);
      const f = ctx.fields[fi];
      if (!f || c.source !== 'field') throw new IdlError(`'${c.name}' is not a field`, ctx.loc);
      varType = f.type;
      location = ctx.pointer ? CORR.POINTER : CORR.NORMAL;
      offset = f.offset - ctx.base;
      early = fi < ctx.index;
    }
    if (c.deref) {
      if (varType.kind !== 'pointer')
        throw new IdlError(`'*${c.name}' dereferences something that is not a pointer`, ctx.loc);
      varType = varType.target;
    }
    // A [range] count (MS-EVEN's RULONG) correlates as its base type.
    const fc =
      varType.kind === 'primitive'
        ? PRIMITIVE_FC[varType.primitive]
        : varType.kind === 'enum'
          ? varType.wire === 'enum16'
            ? FC.ENUM16
            : FC.ENUM32
          : baseTypeFc(varType);
    if (
      fc === undefined ||
      ![
        FC.LONG,
        FC.ULONG,
        FC.SHORT,
        FC.USHORT,
        FC.SMALL,
        FC.USMALL,
        FC.CHAR,
        FC.BYTE,
        FC.WCHAR,
        FC.ENUM16,
        FC.ENUM32,
      ].includes(fc as 8)
    ) {
      throw notSupported(`size/length from '${c.name}', which is not an integer of 32 bits or less`, ctx.loc);
    }
    b.u8(location | correlationFc(fc), op);
    b.u16(offset);
    // MIDL carries the count's own [range] into the descriptor when it is the plain value.
    const own =
      c.op === 'none' && (varType.kind === 'primitive' || varType.kind === 'enum')
        ? varType.range
        : undefined;
    this.checkData(early ? CORR_FLAGS.EARLY : 0, range ?? own);
  }

  private noCorrelation(): void {
    this.buf.u32(0xffffffff);
    this.checkData(0, undefined);
  }
}

// The addon's table of expression callback routines (native/win/expr_eval.cc).
const MAX_EXPR_PROGRAMS = 256;

/**
 * A size or count that a 16-bit field of the format string holds. Larger ones have no
 * form there (FC_STRUCT's memory size, FC_CSTRING's count, an arm table's union size...):
 * refused, not written truncated.
 */
function fits16(v: number, what: string, unit: string, loc: SourceLocation): number {
  if (v > 0xffff) throw notSupported(`${what} ${v} ${unit} (the format string holds 16 bits)`, loc);
  return v;
}

/** A struct whose last field (or its last field, and so on) is a conformant array or string. */
function endsConformant(t: TypeLayout): boolean {
  if (t.kind !== 'struct') return false;
  const last = t.fields[t.fields.length - 1]?.type;
  return last !== undefined && (isConformant(last) || endsConformant(last));
}

/** A correlation as the expression it stands for (for a callback that needs both offset and length). */
function correlationExpr(c: Correlation): IdlExpr {
  if (c.source === 'expr') return c.expr;
  if (c.source === 'constant') return { kind: 'number', value: c.value };
  const ident: IdlExpr = { kind: 'ident', name: c.name };
  const x: IdlExpr = c.deref ? { kind: 'unary', op: '*', operand: ident } : ident;
  const n = (value: number): IdlExpr => ({ kind: 'number', value });
  switch (c.op) {
    case 'none':
      return x;
    case 'add1':
      return { kind: 'binary', op: '+', left: x, right: n(1) };
    case 'sub1':
      return { kind: 'binary', op: '-', left: x, right: n(1) };
    case 'mul2':
      return { kind: 'binary', op: '*', left: x, right: n(2) };
    case 'div2':
      return { kind: 'binary', op: '/', left: x, right: n(2) };
  }
}

/**
 * The type a correlation descriptor reads its variable as. An unsigned char is read as
 * FC_USMALL (what widl writes; the same byte either way), a byte as FC_SMALL (MIDL). An enum is read as the integer
 * it is in memory: MIDL writes FC_SHORT for an enum16 operand (ms-lsar_x64.c, MIDL
 * 8.01.0626: LsarQueryInformationPolicy's switch_is(InformationClass) is `0x26`) and
 * FC_LONG for a [v1_enum] one.
 */
function correlationFc(fc: number): number {
  if (fc === FC.CHAR) return FC.USMALL;
  // A byte count reads as FC_SMALL (MIDL 8.00, ms-frs2_c.c @710: FRS_RDC_FILEINFO.s
  // size_is(rdcSignatureLevels), a [range(0, 8)] byte).
  if (fc === FC.BYTE) return FC.SMALL;
  if (fc === FC.ENUM16) return FC.SHORT;
  if (fc === FC.ENUM32) return FC.LONG;
  return fc;
}

/**
 * The high nibble of an arm table's arm count: for an [ms_union], the largest wire
 * alignment of its arms, less one; 0 otherwise (MIDL 8.01 x64, ms-lsar_x64.c: 0x700e
 * for LSAPR_POLICY_INFORMATION, whose audit-log arm holds hypers; 0x300d for
 * LSAPR_TRUSTED_DOMAIN_INFO, whose arms hold at most longs and pointers; drsr_c.c,
 * without ms_union: 0 even for arms holding hypers).
 */
function armAlignmentNibble(u: TypeLayout & { kind: 'union' }): number {
  if (!u.msUnion) return 0;
  let align = 1;
  for (const a of u.arms) if (a.member) align = Math.max(align, wireAlign(a.member.type));
  return align - 1;
}

function alignFc(align: number, loc: SourceLocation): number {
  if (align === 2) return FC.ALIGNM2;
  if (align === 4) return FC.ALIGNM4;
  if (align === 8) return FC.ALIGNM8;
  throw new IdlError(`internal: alignment ${align}`, loc);
}

function alignUpTo(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}
