// winrpc's demo, both directions. First it starts the inventory example server
// (test/servers/inventory.idl, a C program) and talks to it through winrpc: concurrent
// calls, an [out] struct, a server error and a timeout. Then it serves calc
// (test/servers/calc.idl) from JS and calls that server twice over: with winrpc's own
// client, and with a C client built from the same IDL by MIDL (widl here), which knows
// nothing of winrpc. Runs inside a Windows node.exe (natively, or under Wine via
// `npm run demo`).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadInterface, RpcBinding, RpcError } from 'winrpc';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const endpoint = `winrpc_demo_${process.pid}`;

const server = await startServer(here('../build/servers/inventory.exe'), 'ncalrpc', endpoint);
try {
  const inventory = await loadInterface(here('../test/servers/inventory.idl'));
  console.log(`Loaded interface ${inventory.name} with ${inventory.procedures.length} procedures:`);
  console.log(`  ${inventory.procedures.map((p) => p.name).join(', ')}\n`);

  const binding = RpcBinding.fromString(`ncalrpc:[${endpoint}]`);
  const client = inventory.createClient(binding);

  console.log('Several calls at once (all in flight together):');
  const names = ['anvil', 'rocket skates', 'giant magnet', 'bird seed (édition spéciale)'];
  const started = Date.now();
  const [count, ...items] = await Promise.all([
    client.CountItems(),
    ...names.map((name) => client.FindItem(name)),
  ]);
  console.log(`  ${count} items, ${items.length} looked up in ${Date.now() - started} ms`);
  for (const { info } of items) {
    const level = ['ok', 'low', 'OUT'][info.level];
    console.log(
      `  #${info.id} ${info.name.padEnd(30)} ${info.price.toFixed(2).padStart(7)}  x${String(info.quantity).padEnd(4)} stock ${level}`,
    );
  }

  console.log('\nReserving 2 rocket skates, then 5 more:');
  console.log(`  left after the first reservation: ${await client.Reserve(2, 2)}`);
  await client.Reserve(2, 5).catch((error) => report(error));

  console.log('\nAn item nobody stocks:');
  await client.FindItem('left-handed hammer').catch((error) => report(error));

  console.log('\nA report that takes 2 s, with a 300 ms timeout:');
  await client.StockValue(2000, { timeout: 300 }).catch((error) => report(error));
  const cents = await client.StockValue(0);
  console.log(`  without a timeout: stock is worth ${(Number(cents) / 100).toFixed(2)}`);

  await client.Shutdown();
  binding.free();
  console.log(`\nServer stopped with exit code ${await server.exited}.`);
} finally {
  server.kill();
}

await serveFromJs();

/** The other direction: calc implemented in JS, called by winrpc and by a C client. */
async function serveFromJs() {
  const calc = await loadInterface(here('../test/servers/calc.idl'));
  let served = 0;
  const calcServer = calc.createServer({
    Add(a, b) {
      served++;
      return (a + b) | 0; // wraps at 32 bits, as C's long does
    },
    Divide(a, b) {
      served++;
      // A numeric `status` reaches the client as RpcRaiseException(status) would.
      if (b === 0) throw Object.assign(new Error('division by zero'), { status: 1767 });
      return { remainder: a % b, returnValue: Math.trunc(a / b) };
    },
    async Delay(ms) {
      served++;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
      return ms;
    },
    Fail(status) {
      served++;
      if (status !== 0) throw Object.assign(new Error(`asked to fail with ${status}`), { status });
    },
  });
  const calcEndpoint = `winrpc_demo_calc_${process.pid}`;
  await calcServer.listen({ protseq: 'ncalrpc', endpoint: calcEndpoint });
  try {
    console.log(`\nServing ${calc.name} from JS on ncalrpc:[${calcEndpoint}]; winrpc's client calls it:`);
    const binding = RpcBinding.fromString(`ncalrpc:[${calcEndpoint}]`);
    const client = calc.createClient(binding);
    const { remainder, returnValue } = await client.Divide(7, 2);
    console.log(
      `  Add(2, 3) = ${await client.Add(2, 3)}, Divide(7, 2) = ${returnValue} remainder ${remainder}`,
    );
    await client.Divide(1, 0).catch((error) => report(error));
    binding.free();

    console.log('A C client (MIDL-style stubs from calc.idl, no winrpc in it) calls the same server:');
    const lines = await runClient(
      here('../build/clients/calc_client.exe'),
      `ncalrpc:[${calcEndpoint}]`,
      'values',
    );
    for (const line of lines) console.log(`  ${line}`);
  } finally {
    await calcServer.close();
  }
  console.log(`The JS server answered ${served} calls and is closed.`);
}

function report(error) {
  if (!(error instanceof RpcError)) throw error;
  console.log(`  RpcError ${error.code} (status ${error.status}) from ${error.interface}.${error.procedure}`);
  console.log(`    ${error.message}`);
}

/** Runs a C client to its end; resolves with its output lines. */
function runClient(exe, ...args) {
  const child = spawn(exe, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    output += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(output.split('\n').filter(Boolean));
      else reject(new Error(`${exe} exited with ${code}: ${output}`));
    });
  });
}

/** Spawns a server and resolves once it prints its LISTENING line. */
function startServer(exe, protseq, name) {
  const child = spawn(exe, [protseq, name], { stdio: ['ignore', 'pipe', 'inherit'] });
  child.exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${exe} did not start: ${output}`)), 30_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('LISTENING')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`${exe} exited (${code}): ${output}`)));
  });
}
