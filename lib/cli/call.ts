// winrpc call --idl x.idl [--acf f.acf] [-I dir]... --binding "ncalrpc:[ep]" [--timeout ms]
//   [--interface name] Proc [json args...]
// Each argument is JSON (`5`, `"text"`, `{"x": 1}`, `null`); text that is not JSON is
// taken as a string. A hyper takes its digits exactly, quoted or not. The result is
// printed as JSON (bigints as plain digits); an RpcError prints its code and message.
import { parseArgs } from 'node:util';
import { compileForCodegen } from '../codegen/generate.js';
import { IdlError } from '../idl/errors.js';
import type { TypeLayout } from '../ndr/compiled.js';
import type { AuthService } from '../runtime/binding-options.js';
import { RpcBinding } from '../runtime/rpc-binding.js';
import { isRpcError } from '../runtime/rpc-error.js';
import { RpcInterface } from '../runtime/rpc-interface.js';
import type { CliIo } from './io.js';
import { IDL_ARG_OPTIONS, readIdl } from './load-idl.js';
import { UsageError } from './usage-error.js';

export const CALL_USAGE =
  'winrpc call --idl file.idl --binding "ncalrpc:[endpoint]" [--acf file.acf] [-I dir]... ' +
  '[--interface name] [--timeout ms] [--auth none|negotiate|ntlm|kerberos] <Procedure> [json-arg...]';

const AUTH_SERVICES: readonly string[] = ['none', 'negotiate', 'ntlm', 'kerberos'] satisfies AuthService[];

export async function call(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      idl: { type: 'string' },
      ...IDL_ARG_OPTIONS,
      binding: { type: 'string', short: 'b' },
      interface: { type: 'string' },
      timeout: { type: 'string' },
      auth: { type: 'string' },
    },
  });
  if (values.idl === undefined) throw new UsageError('call needs --idl');
  if (values.binding === undefined) throw new UsageError('call needs --binding');
  const [procedure, ...rawArgs] = positionals;
  if (procedure === undefined) throw new UsageError('call needs a procedure name');
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && !(timeout >= 0)) throw new UsageError('--timeout takes milliseconds');

  const { source, options } = readIdl(values.idl, values.acf, values.include ?? [], io);
  const { model, compiled } = compileForCodegen(source, options);
  const index = values.interface === undefined ? 0 : compiled.findIndex((c) => c.name === values.interface);
  const iface = compiled[index];
  const ifaceModel = model.interfaces[index];
  if (!iface || !ifaceModel) {
    const names = compiled.map((c) => c.name).join(', ') || 'none';
    throw new IdlError(`no interface ${values.interface ?? ''} (found: ${names})`, {
      file: values.idl,
      line: 1,
      column: 1,
    });
  }
  const proc = iface.procedures.find((p) => p.name === procedure);
  if (!proc) {
    const names = iface.procedures.map((p) => p.name).join(', ');
    throw new IdlError(
      `interface ${iface.name} has no procedure ${procedure} (it has ${names})`,
      ifaceModel.loc,
    );
  }
  const inParams = proc.params.filter((p) => p.direction !== 'out');
  const callArgs = rawArgs.map((text, i) => {
    const param = inParams[i];
    // A hyper's digits go to BigInt before JSON can round them past 2^53.
    return param && isHyper(param.type) && /^(-?\d+|"-?\d+")$/.test(text)
      ? BigInt(text.replaceAll('"', ''))
      : parseArgument(text);
  });

  const auth = values.auth;
  if (auth !== undefined && !AUTH_SERVICES.includes(auth as AuthService)) {
    throw new UsageError(`--auth takes ${AUTH_SERVICES.join(', ')}`);
  }
  // Without --auth, the binding's defaults (Negotiate at packet privacy on remote protocol sequences).
  const binding = RpcBinding.fromString(
    values.binding,
    auth === undefined ? {} : { auth: auth === 'none' ? 'none' : { service: auth as AuthService } },
  );
  try {
    const result = await new RpcInterface(iface).invoke(
      binding,
      proc.name,
      callArgs,
      timeout === undefined ? {} : { timeout },
    );
    io.stdout(`${toJson(result)}\n`);
    return 0;
  } catch (error) {
    if (!isRpcError(error)) throw error;
    io.stderr(`winrpc call: ${error.message}\n`);
    return 1;
  } finally {
    binding.free();
  }
}

function parseArgument(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A hyper, or a pointer to one: JSON numbers lose precision past 2^53 there. */
function isHyper(type: TypeLayout): boolean {
  const target = type.kind === 'pointer' ? type.target : type;
  return target.kind === 'primitive' && (target.primitive === 'hyper' || target.primitive === 'uhyper');
}

/**
 * JSON with bigints written as plain numbers (JSON allows any number of digits) and byte
 * data (Uint8Array) as an array of numbers on one line: what `call` takes back as input.
 */
export function toJson(value: unknown): string {
  if (value === undefined) return 'null';
  // A private-use character: JSON.stringify escapes control characters such as NUL, which
  // then no longer match the marker, but writes this one as it is.
  const marker = '\ue000raw:';
  const text = JSON.stringify(
    value,
    (_key, v) =>
      typeof v === 'bigint' ? `${marker}${v}` : v instanceof Uint8Array ? `${marker}[${v.join(', ')}]` : v,
    2,
  );
  return text.replace(new RegExp(`"${marker}(-?\\d+|\\[[\\d, ]*\\])"`, 'g'), '$1');
}
