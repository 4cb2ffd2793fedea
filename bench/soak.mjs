// `npm run soak [-- --calls=N --inflight=N]`: builds what it needs (the C async client
// of `npm run bench` included), then runs bench/soak-run.mjs inside Windows node.exe
// (under Wine on Linux) with --c-client, so the C client's RSS growth on the same
// runtime is printed beside winrpc's, and passes its exit code on. The default is
// issue 12's 1,000,000 calls; CI runs --calls=50000 (test/e2e/soak.test.ts, no C client).
import { prepare, runWindowsNode } from '../scripts/prepare.mjs';
import { buildBench } from './build.mjs';

prepare();
await buildBench();
process.exit(runWindowsNode(['--expose-gc', 'bench/soak-run.mjs', '--c-client', ...process.argv.slice(2)]));
