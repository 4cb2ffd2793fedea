// A test server of test/servers/ and a client of its IDL, for the tests of one
// describe block: started before them, freed and stopped after them.
import { afterAll, beforeAll } from 'vitest';
import { loadInterface, RpcBinding, type RpcClient, type RpcInterface } from '../../lib/index.js';
import { type Protseq, type RunningServer, startServer, TEST_BINDING_OPTIONS } from './rpc-server.js';

export interface ServedClient {
  readonly server: RunningServer;
  readonly binding: RpcBinding;
  readonly client: RpcClient;
}

/**
 * Call at the top of a describe block; the fields are set once its tests run. `load`
 * compiles the client's interface some other way than from the server's IDL as it is.
 */
export function useServedClient(
  name: string,
  protseq: Protseq,
  load: () => Promise<RpcInterface> = () => loadInterface(new URL(`../servers/${name}.idl`, import.meta.url)),
): ServedClient {
  const served = {} as { server: RunningServer; binding: RpcBinding; client: RpcClient };
  beforeAll(async () => {
    const iface = await load();
    served.server = await startServer(name, protseq);
    served.binding = RpcBinding.fromString(served.server.binding, TEST_BINDING_OPTIONS);
    served.client = iface.createClient(served.binding);
  });
  afterAll(async () => {
    served.binding?.free();
    await served.server?.stop();
  });
  return served;
}
