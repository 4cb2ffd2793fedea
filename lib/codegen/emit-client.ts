// One RPC interface as an interface of typed async methods and a class implementing it
// over the shared runtime (RpcInterface.invoke, the path dynamic clients take too).
import type { CompiledInterface } from '../ndr/compiled.js';
import type { Docs } from './docs.js';
import { methodSignature } from './proc-signature.js';
import { propertyKey } from './ts-names.js';
import type { NamedTypes } from './ts-types.js';
import type { TsWriter } from './ts-writer.js';

export interface ClientNames {
  /** `ICalcClient` */
  iface: string;
  /** `CalcClient` */
  cls: string;
  /** `calcInterface`: the embedded RpcInterface. */
  compiled: string;
  /** `ICalcServer`: what createServer takes. */
  server: string;
}

export function emitClient(
  out: TsWriter,
  compiled: CompiledInterface,
  names: ClientNames,
  named: NamedTypes,
  docs: Docs,
): void {
  const methods = compiled.procedures.map((proc) => ({
    proc,
    doc: docs.proc(compiled.name, proc.name),
    sig: methodSignature(proc, named),
  }));
  const ifaceDoc = docs.iface(compiled.name);
  out.doc([
    ...(ifaceDoc ?? []),
    ...(ifaceDoc ? [''] : []),
    `Interface ${compiled.name} ${compiled.uuid} version ${compiled.version.major}.${compiled.version.minor}.`,
    ...(compiled.unavailable?.length
      ? ['', 'Not callable through winrpc yet (left out here; the runtime refuses them):']
      : []),
    ...(compiled.unavailable ?? []).map((u) => `- ${u.name} (opnum ${u.opnum}): ${u.reason}`),
  ]);
  out.block(`export interface ${names.iface} {`, () => {
    for (const { proc, doc, sig } of methods) {
      out.doc(doc);
      out.line(`${propertyKey(proc.name)}(${sig.params.join(', ')}): Promise<${sig.result}>;`);
    }
  });
  out.line();
  out.doc([
    `A client of ${compiled.name} on one binding. Each method starts an asynchronous call and`,
    'settles with its result or an RpcError; `options` takes `signal`, `timeout` and `cancelGraceMs`.',
  ]);
  out.block(`export class ${names.cls} implements ${names.iface} {`, () => {
    out.doc(['The compiled interface (for `begin()` and bug reports).']);
    out.block('static get interface(): RpcInterface {', () => {
      out.line(`return ${names.compiled};`);
    });
    out.line();
    out.line('readonly #binding: RpcBinding;');
    out.line();
    out.block('constructor(binding: RpcBinding) {', () => {
      out.line('this.#binding = binding;');
    });
    for (const { proc, doc, sig } of methods) {
      out.line();
      out.doc(doc);
      out.block(`${propertyKey(proc.name)}(${sig.params.join(', ')}): Promise<${sig.result}> {`, () => {
        const args = `[${sig.args.join(', ')}]`;
        out.line(
          `return ${names.compiled}.invoke(this.#binding, '${proc.name}', ${args}, options) as Promise<${sig.result}>;`,
        );
      });
    }
  });
}
