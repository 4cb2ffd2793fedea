#!/usr/bin/env node
// The winrpc command. The CLI itself is bundled into dist/ by `npm run build:ts`.
let cli;
try {
  cli = await import('../dist/cli/winrpc.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  process.stderr.write('winrpc: dist/cli/winrpc.js is missing; build it with `npm run build:ts`\n');
  process.exit(1);
}
process.exitCode = await cli.main(process.argv.slice(2));
