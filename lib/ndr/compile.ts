// IdlModel -> CompiledInterface[]: one type format string and one proc format string
// per interface, and the x64 layouts the runtime marshals with.
import { asIdlError, formatLocation, IdlError, type IdlWarning } from '../idl/errors.js';
import type { IdlInterface, IdlModel, IdlProcedure, UnavailableProcedure } from '../idl/model.js';
import { type ParseIdlOptions, parseIdl } from '../idl/parse-idl.js';
import type { CompiledInterface, CompiledProcedure, TypeLayout } from './compiled.js';
import { FormatBuffer } from './format-buffer.js';
import { LayoutEngine } from './layout.js';
import { compileProcedure } from './proc-format.js';
import { TypeFormatBuilder } from './type-format.js';

export interface CompileOptions {
  /**
   * true (default): every procedure is [async] for NdrAsyncClientCall, with the
   * PRPC_ASYNC_STATE in slot 0 and the binding handle in slot 1. false: synchronous
   * descriptors (for differential tests against widl/MIDL output).
   */
  async?: boolean;
  /** 'explicit' (default): a primitive handle_t slot; 'auto': FC_AUTO_HANDLE, no slot (widl's implicit binding). */
  binding?: 'explicit' | 'auto';
  /** 6-byte correlation descriptors with robust flags (default true, as MIDL /robust). */
  robust?: boolean;
  /**
   * MIDL's /target NT60 forms (default false): every correlation descriptor carries the
   * count's [range] (14 bytes, HasRangeOnConformance) and a [range] on a string becomes
   * FC_SUPPLEMENT, so the Windows engine checks those bounds too. Off, the format strings
   * are MIDL's /target NT51 forms, which every engine reads (Wine's cannot read
   * FC_SUPPLEMENT), and winrpc checks the same bounds itself. See docs/internals.md.
   */
  rangeOnConformance?: boolean;
  /** Called for each procedure left unavailable while compiling (the CLI prints it). */
  onWarning?: (warning: IdlWarning) => void;
}

/**
 * A procedure whose types winrpc cannot write a format string for yet (an array of context
 * handles...) leaves only that procedure unavailable, at its opnum, as a pipe found while
 * resolving does: MIDL compiles the interface, so its other procedures stay callable. The
 * shared format strings are rebuilt without it, so the others' bytes are those of the IDL
 * without that procedure. A 'syntax' or 'internal' error still fails the interface.
 */
export function compileInterface(iface: IdlInterface, options: CompileOptions = {}): CompiledInterface {
  const refused: UnavailableProcedure[] = [];
  // A pass stops at the first refusal (what the procedure wrote before failing stays in the
  // shared strings) and the next starts afresh without it: at most one pass per procedure.
  for (;;) {
    const left = new Set(refused.map((u) => u.name));
    const pass = compileProcedures(
      { ...iface, procedures: iface.procedures.filter((p) => !left.has(p.name)) },
      options,
    );
    if ('compiled' in pass) return withUnavailable(pass.compiled, iface.unavailable ?? [], refused);
    const { proc, error } = pass.refused;
    const loc = error.location ?? proc.loc;
    refused.push({ name: proc.name, opnum: proc.opnum, reason: `${formatLocation(loc)}: ${error.detail}` });
    options.onWarning?.({
      message: `procedure '${proc.name}' (opnum ${proc.opnum}) cannot be called: ${error.detail}`,
      loc,
    });
  }
}

function withUnavailable(
  compiled: CompiledInterface,
  resolved: UnavailableProcedure[],
  refused: UnavailableProcedure[],
): CompiledInterface {
  const unavailable = [...resolved, ...refused].sort((a, b) => a.opnum - b.opnum).map((u) => ({ ...u }));
  const { unavailable: _, ...rest } = compiled;
  return unavailable.length > 0 ? { ...rest, unavailable } : rest;
}

function compileProcedures(
  iface: IdlInterface,
  options: CompileOptions,
): { compiled: CompiledInterface } | { refused: { proc: IdlProcedure; error: IdlError } } {
  const genericRoutines = new Map<string, number>();
  for (const p of iface.procedures)
    if (p.genericBinding && !genericRoutines.has(p.genericBinding.typeName))
      genericRoutines.set(p.genericBinding.typeName, genericRoutines.size);
  const opts = {
    async: options.async ?? true,
    binding: options.binding ?? 'explicit',
    robust: options.robust ?? true,
    rangeOnConformance: options.rangeOnConformance ?? false,
    genericRoutines,
  } as const;
  if (opts.async && opts.binding !== 'explicit')
    throw new IdlError('async procedures need binding: explicit');
  const layouts = new LayoutEngine(iface);
  const typeFormat = new TypeFormatBuilder(opts.robust, opts.rangeOnConformance);
  const procFormat = new FormatBuffer();
  const procedures: CompiledProcedure[] = [];
  for (const p of iface.procedures) {
    try {
      procedures.push(compileProcedure(p, layouts, typeFormat, procFormat, opts));
    } catch (error) {
      if (!(error instanceof IdlError) || error.kind !== 'unsupported') throw error;
      return { refused: { proc: p, error } };
    }
  }
  // Both strings end with a zero byte, as MIDL's and widl's do.
  procFormat.u8(0);
  typeFormat.buf.u8(0);
  const types: Record<string, TypeLayout> = {};
  for (const [name, def] of Object.entries(iface.types)) {
    // Every type a procedure uses was laid out above, so one that fails here is used by
    // none: MIDL writes nothing for it, and winrpc refuses a declaration where it is used,
    // not where it is declared ([MS-TSTS] TS_PROCESS_INFORMATION_NT4 has a PVOID field).
    try {
      types[name] = layouts.namedLayout(name, def.loc);
    } catch (error) {
      if (!(error instanceof IdlError)) throw error;
    }
  }
  const compiled: CompiledInterface = {
    name: iface.name,
    uuid: iface.uuid,
    version: { ...iface.version },
    procFormat: procFormat.toUint8Array(),
    typeFormat: typeFormat.buf.toUint8Array(),
    procedures,
    types,
    ...(typeFormat.exprPrograms.length > 0 ? { exprPrograms: typeFormat.exprPrograms } : {}),
  };
  return { compiled };
}

export function compileModel(model: IdlModel, options: CompileOptions = {}): CompiledInterface[] {
  return model.interfaces.map((i) => compileInterface(i, options));
}

/** The convenience entry: IDL (and ACF) text to compiled interfaces. */
export function compileIdl(
  text: string,
  options: CompileOptions & ParseIdlOptions = {},
): CompiledInterface[] {
  const { async, binding, robust, rangeOnConformance, onWarning, ...parse } = options;
  const model = parseIdl(text, { ...parse, ...(onWarning ? { onWarning } : {}) });
  const file = parse.file ?? 'input.idl';
  try {
    return compileModel(model, {
      ...(async !== undefined ? { async } : {}),
      ...(binding ? { binding } : {}),
      ...(robust !== undefined ? { robust } : {}),
      ...(rangeOnConformance !== undefined ? { rangeOnConformance } : {}),
      ...(onWarning ? { onWarning } : {}),
    });
  } catch (e) {
    throw asIdlError(e, 'compiling', { file, line: 1, column: 1 });
  }
}
