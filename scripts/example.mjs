// `npm run example` / `npm run example:services`: prepares everything (on Linux: the
// Wine lane) and runs an example inside Windows node.exe: examples/typed-client/main.ts
// (the default), or examples/services/list-services.ts against the service control
// manager (under Wine, services.exe in the lane's prefix, which takes no RPC
// authentication). Further arguments go to the example.
import { prepare, runWindowsNode } from './prepare.mjs';

const EXAMPLES = {
  'typed-client': ['examples/typed-client/main.ts'],
  services: [
    'examples/services/list-services.ts',
    ...(process.platform === 'win32' ? [] : ['--auth', 'none']),
  ],
};
const [name = 'typed-client', ...rest] = process.argv.slice(2);
const example = EXAMPLES[name];
if (!example) {
  console.error(`example: unknown example ${name} (have: ${Object.keys(EXAMPLES).join(', ')})`);
  process.exit(2);
}
prepare();
process.exit(runWindowsNode([...example, ...rest]));
