// Fresh endpoints and the string bindings that reach them, for the test servers.
// Pure except for freeTcpPort, so the naming rules are unit-tested on Linux.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

export type Protseq = 'ncalrpc' | 'ncacn_ip_tcp' | 'ncacn_np';

export const PROTSEQS: readonly Protseq[] = ['ncalrpc', 'ncacn_ip_tcp', 'ncacn_np'];

export interface ServerEndpoint {
  protseq: Protseq;
  /** What the server is given on its command line (a pipe is `\pipe\<name>`). */
  endpoint: string;
  /** The string binding, escaped as RpcStringBindingCompose writes it. */
  binding: string;
}

let sequence = 0;

/**
 * A name no other server of this or a parallel test process uses: Wine does not
 * refuse a second server on a taken ncalrpc or pipe endpoint (Windows does), so
 * clashes must be impossible rather than detected. Kept short and plain
 * (letters, digits, underscores) so it is valid for every protocol sequence.
 */
export function uniqueEndpointName(server: string, pid = process.pid): string {
  sequence += 1;
  const tag = server.replace(/[^A-Za-z0-9]/g, '').slice(0, 12) || 'srv';
  return `wr_${tag}_${pid}_${sequence}_${randomBytes(3).toString('hex')}`;
}

/** `\pipe\name` becomes `\\pipe\\name` inside the brackets; without the escaping
    Wine binds but every call fails with 1722. */
export function escapeEndpoint(endpoint: string): string {
  return endpoint.replace(/\\/g, '\\\\');
}

export function stringBinding(protseq: Protseq, endpoint: string): string {
  switch (protseq) {
    case 'ncalrpc':
      return `ncalrpc:[${escapeEndpoint(endpoint)}]`;
    case 'ncacn_np':
      return `ncacn_np:[${escapeEndpoint(endpoint)}]`;
    case 'ncacn_ip_tcp':
      return `ncacn_ip_tcp:127.0.0.1[${endpoint}]`;
  }
}

/** The endpoint for a named or numbered server address (`port` only for TCP). */
export function makeEndpoint(protseq: Protseq, name: string, port?: number): ServerEndpoint {
  let endpoint: string;
  if (protseq === 'ncacn_ip_tcp') {
    if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new RangeError(`ncacn_ip_tcp needs a port in 1..65535, got ${port}`);
    }
    endpoint = String(port);
  } else {
    endpoint = protseq === 'ncacn_np' ? `\\pipe\\${name}` : name;
  }
  return { protseq, endpoint, binding: stringBinding(protseq, endpoint) };
}

/** A port on 127.0.0.1 that was free a moment ago (the OS picks it). Another process
    may take it before the server binds; the caller retries on "endpoint in use". */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('no TCP port assigned'))));
    });
  });
}

export async function freshEndpoint(protseq: Protseq, server: string): Promise<ServerEndpoint> {
  if (protseq === 'ncacn_ip_tcp') return makeEndpoint(protseq, '', await freeTcpPort());
  return makeEndpoint(protseq, uniqueEndpointName(server));
}
