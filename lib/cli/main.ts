// The winrpc command: `gen`, `call` and `inspect`. Errors print one line that names
// the file, line and column when there is one, and the exit code says what happened:
// 0 done, 1 the IDL or the call failed, 2 the command line was wrong.
import { IdlError } from '../idl/errors.js';
import { CALL_USAGE, call } from './call.js';
import { GEN_USAGE, gen } from './gen.js';
import { INSPECT_USAGE, inspect } from './inspect.js';
import { type CliIo, processIo } from './io.js';
import { UsageError } from './usage-error.js';

const USAGE = [
  'usage:',
  `  ${GEN_USAGE}`,
  `  ${CALL_USAGE}`,
  `  ${INSPECT_USAGE}`,
  '',
  'gen writes a typed TypeScript client (stdout without -o); call makes one call and prints',
  'its result as JSON; inspect lists interfaces and procedures (--format-strings: annotated NDR).',
].join('\n');

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'gen':
        return gen(args, io);
      case 'call':
        return await call(args, io);
      case 'inspect':
        return inspect(args, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr(`winrpc: ${(error as Error).message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof IdlError) {
      io.stderr(`${error.message}\n`);
      return 1;
    }
    // TypeErrors and RangeErrors from argument checks name the parameter; keep them short.
    io.stderr(`winrpc ${command}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
