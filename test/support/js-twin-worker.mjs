// A JS twin server (test/servers/js/<name>.ts, bundled by test/support/js-server.ts) in a
// Worker of its own: its calls are answered on this Worker's JS thread, never on the
// thread of the test that calls it, whose client may block that thread while it sends
// (the synchronous part of a call issue) or while it waits for a child process.
// workerData: { winrpc (URL of dist/esm/index.js), twin (JS module text), idl (URL),
// protseq, endpoint | undefined }. Messages out: { endpoint } once listening, { error }.
// Message in: 'stop'. Exits with 0 after the twin's own shutdown, 1 after 'stop'.
import { parentPort, workerData } from 'node:worker_threads';

const { loadInterface } = await import(workerData.winrpc);
const { default: factory } = await import(
  `data:text/javascript;base64,${Buffer.from(workerData.twin).toString('base64')}`
);
const iface = await loadInterface(new URL(workerData.idl));
let closing;
const close = (code) => {
  closing ??= server.close({ timeout: 10_000 }).then(() => {
    process.exitCode = code;
    parentPort.close();
  });
  return closing;
};
const twin = factory({ shutdown: () => setImmediate(() => void close(0)) });
const server = iface.createServer(twin.impl, twin.options);
parentPort.on('message', (message) => {
  if (message === 'stop') void close(1);
});
try {
  const { endpoint } = await server.listen({
    protseq: workerData.protseq,
    // As TEST_BINDING_OPTIONS: the suites' clients do not authenticate.
    auth: 'none',
    ...twin.listen,
    ...(workerData.endpoint !== undefined ? { endpoint: workerData.endpoint } : {}),
  });
  parentPort.postMessage({ endpoint });
} catch (error) {
  parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  await close(2);
}
