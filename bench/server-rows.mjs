// The server rows of `npm run bench`: one client, bench/c-client/calc_async_client.c,
// calls Add on calc's C test server (build/servers/calc.exe, widl or MIDL stubs) and on
// calc implemented in JS (createServer, in the driver's own process), in the same run,
// rounds alternating. Server CPU per call is measured for the JS server only (the
// driver process's CPU while the C client runs; the driver does nothing else then).

/** calc's Add in JS, as calc.c computes it. */
const CALC_JS = { Add: (a, b) => (a + b) | 0 };

let serial = 0;

/** A JS calc server on a fresh endpoint of protseq; its binding and a stop(). */
async function startJsCalc({ interfaceFromSource, calcIdl, freeTcpPort, recordEndpoint }, protseq) {
  const endpoint =
    protseq === 'ncacn_ip_tcp' ? String(await freeTcpPort()) : `wr_bench_js_${process.pid}_${++serial}`;
  // So scripts/bench.mjs can end a C client left calling it should the driver die hard.
  recordEndpoint(endpoint);
  const server = interfaceFromSource(calcIdl, { file: 'calc.idl' }).createServer(CALC_JS);
  // No authentication, as the C server and the bench's clients.
  await server.listen({ protseq, endpoint, auth: 'none' });
  const binding =
    protseq === 'ncacn_ip_tcp' ? `ncacn_ip_tcp:127.0.0.1[${endpoint}]` : `${protseq}:[${endpoint}]`;
  return { binding, stop: () => server.close() };
}

/**
 * One row: the C client at n in flight against both servers, `rounds` times each.
 * deps: { options, startCalc, runCClient, cClient, warmUpCount, median, rates, failures,
 * interfaceFromSource, calcIdl, freeTcpPort, recordEndpoint }.
 */
export async function measureServerPoint(deps, protseq, n) {
  const { options, startCalc, runCClient, cClient, warmUpCount, median, rates, failures } = deps;
  const servers = { js: await startJsCalc(deps, protseq), c: await startCalc(protseq) };
  const samples = { js: [], c: [] };
  try {
    for (let round = 0; round < options.rounds; round++) {
      for (const name of round % 2 ? ['c', 'js'] : ['js', 'c']) {
        const cpu = process.cpuUsage();
        try {
          const result = await runCClient(cClient, [
            servers[name].binding,
            String(n),
            String(options.calls),
            String(warmUpCount(n)),
          ]);
          const used = process.cpuUsage(cpu);
          // Warm-up calls included: the driver's CPU covers the client's whole run.
          const served = options.calls + warmUpCount(n);
          samples[name].push({
            callsPerSec: rates([result]).callsPerSec,
            serverCpuUsPerCall: (used.user + used.system) / served,
          });
        } catch (error) {
          failures.push(`${protseq} N=${n} server ${name}: ${error.message.split('\n')[0]}`);
          console.log(`  failed: ${failures.at(-1)}`);
        }
      }
    }
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.stop()));
  }
  const rate = (list) => (list.length ? median(list.map((s) => s.callsPerSec)) : Number.NaN);
  const row = {
    protseq,
    inFlight: n,
    js: {
      callsPerSec: rate(samples.js),
      serverCpuUsPerCall: samples.js.length
        ? median(samples.js.map((s) => s.serverCpuUsPerCall))
        : Number.NaN,
      rounds: samples.js.map((s) => Math.round(s.callsPerSec)),
    },
    c: { callsPerSec: rate(samples.c), rounds: samples.c.map((s) => Math.round(s.callsPerSec)) },
  };
  row.ratioC = row.js.callsPerSec / row.c.callsPerSec;
  console.log(
    `  ${protseq} N=${n} server: JS ${row.js.rounds.join('/')}  C ${row.c.rounds.join('/')} calls/s (C client)`,
  );
  return row;
}

export function serverTable(rows, fmt) {
  const head = ['protseq', 'N', 'JS server calls/s', 'C server calls/s', 'JS/C', 'JS server CPU µs/call'];
  const body = rows.map((r) => [
    r.protseq,
    String(r.inFlight),
    fmt(r.js.callsPerSec),
    fmt(r.c.callsPerSec),
    fmt(r.ratioC, 2),
    fmt(r.js.serverCpuUsPerCall),
  ]);
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i < 2 ? '---' : '--:')).join('|')}|`,
    ...body.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}
