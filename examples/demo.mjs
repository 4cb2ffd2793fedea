// winrpc's demo: starts the inventory example server (test/servers/inventory.idl) and
// talks to it through winrpc: concurrent calls, an [out] struct, a server error and a
// timeout. Runs inside a Windows node.exe (natively, or under Wine via `npm run demo`).
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

function report(error) {
  if (!(error instanceof RpcError)) throw error;
  console.log(`  RpcError ${error.code} (status ${error.status}) from ${error.interface}.${error.procedure}`);
  console.log(`    ${error.message}`);
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
