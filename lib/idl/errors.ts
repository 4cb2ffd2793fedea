/** Where something is in an IDL/ACF source file (1-based line and column). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/**
 * What went wrong: 'syntax', the IDL is not valid (MIDL would refuse it too);
 * 'unsupported', valid MIDL that winrpc cannot compile (yet); 'internal', a fault in
 * winrpc itself (its `cause` keeps the original error and stack).
 */
export type IdlErrorKind = 'syntax' | 'unsupported' | 'internal';

/**
 * The one error type of the IDL front end and the NDR compiler. The message starts
 * with `file:line:column:` so editors and terminals can jump to it.
 */
export class IdlError extends Error {
  override name = 'IdlError';
  readonly location: SourceLocation | undefined;
  readonly detail: string;
  readonly kind: IdlErrorKind;

  constructor(
    detail: string,
    location?: SourceLocation,
    options: { kind?: IdlErrorKind; cause?: unknown } = {},
  ) {
    super(
      location ? `${formatLocation(location)}: ${detail}` : detail,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.location = location;
    this.detail = detail;
    this.kind = options.kind ?? 'syntax';
  }
}

/** Something MIDL accepts that winrpc skipped (it is refused only where it is used). */
export interface IdlWarning {
  message: string;
  loc: SourceLocation;
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

/** The error for valid MIDL that winrpc cannot compile yet: one wording everywhere. */
export function notSupported(construct: string, location?: SourceLocation): IdlError {
  return new IdlError(`${construct} is not supported yet`, location, { kind: 'unsupported' });
}

/**
 * Any error out of the front end or the compiler as an IdlError: a bug (a TypeError, a
 * failed assertion) becomes kind 'internal' at `where`, keeping the original as `cause`.
 */
export function asIdlError(e: unknown, what: string, where: SourceLocation): IdlError {
  if (e instanceof IdlError) return e;
  return new IdlError(`internal error while ${what}: ${e instanceof Error ? e.message : String(e)}`, where, {
    kind: 'internal',
    cause: e,
  });
}

/**
 * A use of a type the file declares but winrpc cannot marshal (a pipe, an interface
 * pointer, a C union...): MIDL compiles it, so only the procedure that uses it is refused.
 */
export class UnusableTypeError extends IdlError {}
