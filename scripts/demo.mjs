// `npm run demo`: prepares everything (on Linux: the Wine lane) and runs
// examples/demo.mjs against the inventory example server inside Windows node.exe.
import { prepare, runWindowsNode } from './prepare.mjs';

prepare();
process.exit(runWindowsNode(['examples/demo.mjs']));
