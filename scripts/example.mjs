// `npm run example`: prepares everything (on Linux: the Wine lane) and runs the typed
// client example, examples/typed-client/main.ts, inside Windows node.exe.
import { prepare, runWindowsNode } from './prepare.mjs';

prepare();
process.exit(runWindowsNode(['examples/typed-client/main.ts']));
