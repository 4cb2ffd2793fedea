// The front end's entry: text (+ ACF) -> IdlModel.
import { applyAcf } from './acf.js';
import { KNOWN_SYSTEM_IMPORTS, PRELUDE_FILE, PRELUDE_IDL } from './builtins.js';
import { IdlError } from './errors.js';
import type { IdlModel } from './model.js';
import { parseFile } from './parser.js';
import { preprocess, type ReadFile } from './preprocess.js';
import { declare, resolveInterface, Scope } from './resolve.js';

export interface ParseIdlOptions {
  /** The file name used in error positions (and to resolve relative includes). */
  file?: string;
  /** The ACF text, if any. */
  acf?: string;
  acfFile?: string;
  /** Returns an included or imported file's text, or undefined if there is none. */
  readFile?: ReadFile;
  /** Predefined macros (like `-D`). */
  defines?: Record<string, string>;
}

export function parseIdl(text: string, options: ParseIdlOptions = {}): IdlModel {
  const file = options.file ?? 'input.idl';
  try {
    const prelude = new Scope();
    for (const item of parseFile(preprocess(PRELUDE_IDL, PRELUDE_FILE)).items) {
      if (item.kind !== 'interface') declare(item, prelude);
    }
    const imports = new Scope(prelude);
    const pp = {
      ...(options.readFile ? { readFile: options.readFile } : {}),
      ...(options.defines ? { defines: options.defines } : {}),
    };
    const ast = parseFile(preprocess(text, file, pp));
    const seen = new Set<string>([file]);
    // Imported files contribute their types and constants, never their interfaces' procedures.
    const importFile = (path: string, from: string, loc: { file: string; line: number; column: number }) => {
      if (seen.has(path)) return;
      seen.add(path);
      const imported = options.readFile?.(path, from);
      if (imported === undefined) {
        if (KNOWN_SYSTEM_IMPORTS.has(path.toLowerCase())) return;
        throw new IdlError(`cannot find imported file '${path}'`, loc);
      }
      const sub = parseFile(preprocess(imported, path, pp));
      for (const i of sub.imports) importFile(i.path, path, i.loc);
      for (const item of sub.items) {
        if (item.kind === 'interface') {
          for (const inner of item.items) if (inner.kind !== 'procedure') declare(inner, imports);
        } else declare(item, imports);
      }
    };
    for (const i of ast.imports) importFile(i.path, file, i.loc);
    const globals = new Scope(imports);
    const model: IdlModel = { file, interfaces: [] };
    for (const item of ast.items) {
      if (item.kind === 'interface') model.interfaces.push(resolveInterface(item, globals));
      else declare(item, globals);
    }
    if (options.acf !== undefined) {
      applyAcf(
        preprocess(options.acf, options.acfFile ?? file.replace(/\.idl$/i, '.acf'), pp),
        model.interfaces,
      );
    }
    return model;
  } catch (e) {
    if (e instanceof IdlError) throw e;
    // A bug here must still surface as an IdlError naming the file, never as a bare TypeError.
    throw new IdlError(`internal error while parsing: ${e instanceof Error ? e.message : String(e)}`, {
      file,
      line: 1,
      column: 1,
    });
  }
}
