// `npm run bench [-- --calls=N --rounds=R --inflight=1,16 --protseqs=ncalrpc ...]`:
// builds the addon, the calc server and the bench's own pieces (bench/build.mjs), then
// runs the driver bench/run.mjs inside Windows node.exe (under Wine on Linux, through
// scripts/lane/node-exe.sh) and passes its exit code on. It prints a table; it is not
// a timed test. See docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBench } from '../bench/build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const driverArgs = process.argv.slice(2);
// One threadpool thread per sync call in flight, up to the largest N measured, so the
// sync addon is limited by the runtime rather than by libuv's default of 4 threads.
const THREADPOOL_SIZE = '256';

function mustRun(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`bench: ${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

mustRun(process.execPath, [join(root, 'scripts', 'build-native.mjs')]);
mustRun(process.execPath, [join(root, 'scripts', 'build-test-servers.mjs'), 'calc', 'bulk']);
// Every OS: the bundle the driver imports, and the C client and sync addon it compares
// against (MSVC on Windows, the mingw-w64 cross build elsewhere).
await buildBench();

const env = { ...process.env, UV_THREADPOOL_SIZE: THREADPOOL_SIZE };
const marker = join(root, 'build', 'bench', 'started.txt');
rmSync(marker, { force: true });
const driver =
  process.platform === 'win32'
    ? spawnSync(process.execPath, ['bench/run.mjs', ...driverArgs], { cwd: root, stdio: 'inherit', env })
    : spawnSync('bash', [join(root, 'scripts', 'lane', 'node-exe.sh'), 'bench/run.mjs', ...driverArgs], {
        cwd: root,
        stdio: 'inherit',
        env,
      });
// A driver that exited by itself has killed its children already (try/finally).
if (process.platform === 'linux' && driver.status !== 0) killLeftovers();
process.exit(driver.status ?? 1);

// The driver kills what it starts, even on errors; this covers a driver that died
// hard. It ends only processes whose command line names an endpoint the driver
// recorded (build/bench/started.txt), never other users' servers.
function killLeftovers() {
  if (!existsSync(marker)) return;
  const endpoints = readFileSync(marker, 'utf8').split('\n').filter(Boolean);
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let args;
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone already
    }
    const ours =
      args.some((a) => /calc(_async_client)?\.exe$/i.test(a)) &&
      args.some((a) => endpoints.some((e) => a === e || a.includes(`[${e}]`)));
    if (ours) {
      console.error(`bench: killing leftover pid ${pid}: ${args.join(' ')}`);
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
  }
}
