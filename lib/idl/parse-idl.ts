// The front end's entry: text (+ ACF) -> IdlModel.
import { applyAcf } from './acf.js';
import type { DeclAst, InterfaceAst, SkippedAst } from './ast.js';
import { KNOWN_SYSTEM_IMPORTS, PRELUDE_FILE, PRELUDE_IDL } from './builtins.js';
import { asIdlError, IdlError, type IdlWarning, type SourceLocation } from './errors.js';
import type { IdlModel } from './model.js';
import { parseFile } from './parser.js';
import { preprocess, type ReadFile, readSource } from './preprocess.js';
import { resolveInterface } from './resolve-interface.js';
import { Scope } from './resolve-scope.js';
import { declareOrSkip } from './resolve-types.js';
import { SDK_FILE_PREFIX, sdkFile } from './sdk-files.js';

export interface ParseIdlOptions {
  /** The file name used in error positions (and to resolve relative includes). */
  file?: string;
  /** The ACF text, if any. */
  acf?: string;
  acfFile?: string;
  /** Returns an included or imported file's text, or undefined if there is none. */
  readFile?: ReadFile;
  /** Predefined macros (like `-D`), on top of MIDL's own (`__midl`). */
  defines?: Record<string, string>;
  /** Called with each warning as well (the CLI prints them); they are in IdlModel.warnings too. */
  onWarning?: (warning: IdlWarning) => void;
}

export function parseIdl(text: string, options: ParseIdlOptions = {}): IdlModel {
  const file = options.file ?? 'input.idl';
  try {
    const model = parse(text, file, options);
    for (const w of model.warnings) options.onWarning?.(w);
    return model;
  } catch (e) {
    // A bug here must still surface as an IdlError naming the file, never as a bare TypeError.
    throw asIdlError(e, 'parsing', { file, line: 1, column: 1 });
  }
}

function parse(text: string, file: string, options: ParseIdlOptions): IdlModel {
  const prelude = new Scope();
  for (const item of parseFile(preprocess(PRELUDE_IDL, PRELUDE_FILE)).items) {
    if (item.kind !== 'interface' && item.kind !== 'skipped') declareOrSkip(item, prelude);
  }
  // Each imported file declares into its own scope, a child of what was imported before it:
  // a file may redefine a name from a file it imports, as Microsoft's ms-lsar.idl redefines
  // ms-dtyp.idl's STRING (MIDL compiles it: the ms-lsar fixture), also when it is imported
  // itself ([MS-CAPR] imports ms-lsat.idl, which does the same).
  let imports = new Scope(prelude);
  // Includes and imports the caller cannot find come from winrpc's SDK files, if it has them.
  const builtinFile = (path: string) => {
    const builtin = sdkFile(path);
    return builtin === undefined ? undefined : { file: `${SDK_FILE_PREFIX}${path}`, text: builtin };
  };
  const pp = {
    ...(options.readFile ? { readFile: options.readFile } : {}),
    builtinFile,
    ...(options.defines ? { defines: options.defines } : {}),
  };
  const ast = parseFile(preprocess(text, file, pp));
  const seen = new Set<string>([file]);
  // Imported files contribute their types and constants, never their interfaces' procedures.
  const importFile = (path: string, from: string, loc: SourceLocation) => {
    const key = path.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    const found = readSource(options.readFile, path, from) ?? builtinFile(path);
    if (found === undefined) {
      if (KNOWN_SYSTEM_IMPORTS.has(key)) return;
      throw new IdlError(`cannot find imported file '${path}'`, loc);
    }
    const sub = parseFile(preprocess(found.text, found.file, pp));
    for (const i of sub.imports) importFile(i.path, found.file, i.loc);
    imports = new Scope(imports);
    for (const item of sub.items) declareTopLevel(item, imports);
  };
  for (const i of ast.imports) importFile(i.path, file, i.loc);
  const globals = new Scope(imports);
  const model: IdlModel = { file, interfaces: [], warnings: globals.warnings };
  // MIDL declares an interface's types for the whole file (its C header puts them at file
  // scope): a later interface, or a later top-level declaration, may use them ([MS-PAN]
  // IRPCAsyncNotify uses IRPCRemoteObject's PRPCREMOTEOBJECT). Each interface's scope is
  // the parent of what follows.
  let scope = globals;
  for (const item of ast.items) {
    declareTopLevel(item, scope, (iface) => {
      const resolved = resolveInterface(iface, scope, (own) => {
        scope = own;
      });
      if (resolved) model.interfaces.push(resolved);
    });
  }
  if (options.acf !== undefined) {
    applyAcf(
      preprocess(options.acf, options.acfFile ?? file.replace(/\.idl$/i, '.acf'), pp),
      model.interfaces,
    );
  }
  return model;
}

/**
 * One top-level item: a declaration, an interface (the file's own are compiled by
 * `compile`; an imported one only lends its declarations), or something skipped.
 */
function declareTopLevel(
  item: DeclAst | InterfaceAst | SkippedAst,
  scope: Scope,
  compile?: (iface: InterfaceAst) => void,
): void {
  if (item.kind === 'skipped') {
    if (item.what === 'forward interface') scope.interfaces.add(item.name);
    else
      scope.warn(`skipped ${item.what} '${item.name}': type library content is not supported yet`, item.loc);
    return;
  }
  if (item.kind !== 'interface') {
    declareOrSkip(item, scope);
    return;
  }
  if (compile) {
    compile(item);
    return;
  }
  scope.interfaces.add(item.name);
  for (const inner of item.items) if (inner.kind !== 'procedure') declareOrSkip(inner, scope);
}
