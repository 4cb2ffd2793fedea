/** Where something is in an IDL/ACF source file (1-based line and column). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/**
 * The one error type of the IDL front end and the NDR compiler. The message starts
 * with `file:line:column:` so editors and terminals can jump to it.
 */
export class IdlError extends Error {
  override name = 'IdlError';
  readonly location: SourceLocation | undefined;
  readonly detail: string;

  constructor(detail: string, location?: SourceLocation) {
    super(location ? `${formatLocation(location)}: ${detail}` : detail);
    this.location = location;
    this.detail = detail;
  }
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

/** The error for valid MIDL that winrpc cannot compile yet: one wording everywhere. */
export function notSupported(construct: string, location?: SourceLocation): IdlError {
  return new IdlError(`${construct} is not supported yet`, location);
}
