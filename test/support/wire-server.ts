// A connection-oriented DCE/RPC endpoint on 127.0.0.1 that speaks just enough of the
// protocol ([C706] chapter 12, [MS-RPCE] 2.2.2) to accept a bind and answer requests, so a
// test can read the NDR bytes the client's runtime put on the wire and answer with bytes
// written out by hand: an oracle that needs no compiled server. No authentication. The
// endpoint runs in a Worker (wire-server-worker.mjs): the runtime may bind inside the
// call that issues a request, blocking this thread until the bind is answered.
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface WireRequest {
  opnum: number;
  /** The request's stub data: the [in] parameters as NDR. */
  stub: number[];
}

export interface WireServer {
  /** `ncacn_ip_tcp:127.0.0.1[port]`. */
  binding: string;
  /** The next request received (in order), once it has arrived. */
  nextRequest(): Promise<WireRequest>;
  close(): Promise<void>;
}

/** `replies`: opnum -> the response's stub data ([out] parameters and return value as NDR). */
export async function startWireServer(replies: Record<number, number[]>): Promise<WireServer> {
  const worker = new Worker(fileURLToPath(new URL('./wire-server-worker.mjs', import.meta.url)), {
    workerData: { replies },
  });
  const received: WireRequest[] = [];
  const waiting: ((r: WireRequest) => void)[] = [];
  let port: number | undefined;
  const listening = new Promise<void>((resolve) => {
    worker.on('message', (m: { port?: number; request?: WireRequest }) => {
      if (m.port !== undefined) {
        port = m.port;
        resolve();
      }
      if (m.request) {
        const w = waiting.shift();
        if (w) w(m.request);
        else received.push(m.request);
      }
    });
  });
  await Promise.race([listening, once(worker, 'error').then(([e]) => Promise.reject(e))]);
  return {
    binding: `ncacn_ip_tcp:127.0.0.1[${port}]`,
    nextRequest: () => {
      const r = received.shift();
      return r ? Promise.resolve(r) : new Promise((resolve) => waiting.push(resolve));
    },
    close: async () => {
      worker.postMessage('close');
      await once(worker, 'exit');
    },
  };
}
