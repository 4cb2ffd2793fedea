// `npm run soak [-- --calls=N --inflight=N]`: builds what it needs, then runs
// bench/soak-run.mjs inside Windows node.exe (under Wine on Linux) and passes its exit
// code on. The default is issue 12's 1,000,000 calls; CI runs --calls=50000.
import { prepare, runWindowsNode } from '../scripts/prepare.mjs';

prepare();
process.exit(runWindowsNode(['--expose-gc', 'bench/soak-run.mjs', ...process.argv.slice(2)]));
