// The runtime entry of generated clients: a CompiledInterface embedded in a generated
// module (format strings as base64, everything else as plain data) back to an
// RpcInterface, so a generated client parses no IDL at run time.
import type { CompiledInterface } from '../ndr/compiled.js';
import { RpcInterface } from './rpc-interface.js';

/**
 * Bumped whenever CompiledInterface changes shape, or the JS values its types stand for
 * do (2: byte data as Uint8Array, GUIDs and SIDs as strings, LARGE_INTEGER as bigint,
 * null [in, out] context handles; 3: `unsigned char` values as numbers): a
 * module generated for another shape fails at import with a clear message instead of
 * marshalling garbage or mistyping its values.
 */
export const EMBEDDED_FORMAT = 3;

export interface EmbeddedInterface
  extends Omit<CompiledInterface, 'procFormat' | 'typeFormat' | 'exprPrograms'> {
  format: number;
  procFormat: string; // base64
  typeFormat: string; // base64
  exprPrograms?: string[]; // base64 each
}

/** CompiledInterface -> the plain data a generated module embeds. */
export function embedInterface(compiled: CompiledInterface): EmbeddedInterface {
  const { exprPrograms, ...rest } = compiled;
  return {
    format: EMBEDDED_FORMAT,
    ...rest,
    procFormat: Buffer.from(compiled.procFormat).toString('base64'),
    typeFormat: Buffer.from(compiled.typeFormat).toString('base64'),
    ...(exprPrograms ? { exprPrograms: exprPrograms.map((p) => Buffer.from(p).toString('base64')) } : {}),
  };
}

/** What generated modules call: their embedded interface as an RpcInterface. */
export function defineInterface(embedded: EmbeddedInterface): RpcInterface {
  if (embedded.format !== EMBEDDED_FORMAT) {
    throw new Error(
      `winrpc: the generated client for ${embedded.name} has embedded format ${embedded.format}, ` +
        `this winrpc reads format ${EMBEDDED_FORMAT}: regenerate it with this version's \`winrpc gen\``,
    );
  }
  const { format: _format, procFormat, typeFormat, exprPrograms, ...rest } = embedded;
  const bytes = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));
  return new RpcInterface({
    ...rest,
    procFormat: bytes(procFormat),
    typeFormat: bytes(typeFormat),
    ...(exprPrograms ? { exprPrograms: exprPrograms.map(bytes) } : {}),
  });
}
