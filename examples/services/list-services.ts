// Lists a machine's Win32 services with their state and binary path, through the
// [MS-SCMR] client generated from the specification's IDL (svcctl.client.ts):
//   node list-services.ts                      the local service control manager
//   node list-services.ts --machine host       a remote one (Negotiate at packet privacy;
//       --user name --domain dom, password from WINRPC_PASSWORD; else the caller's logon)
//   node list-services.ts --auth none          no RPC authentication (Wine's services.exe)
// Runs inside a Windows node.exe (22.18 or later runs TypeScript as is):
// `npm run example:services` runs it in the lane against Wine's services.exe.
import { parseArgs } from 'node:util';
import { type ContextHandle, isRpcError, RpcBinding } from 'winrpc';
import { readEnumServiceStatus, SCM, SCM_ERROR, SERVICE_STATE } from './scm-records.ts';
import { SvcctlClient } from './svcctl.client.ts';

const { values } = parseArgs({
  options: {
    machine: { type: 'string' },
    user: { type: 'string' },
    domain: { type: 'string' },
    auth: { type: 'string' },
  },
});

// A remote machine is reached over SMB's \pipe\svcctl, authenticated and encrypted.
const options: NonNullable<Parameters<typeof RpcBinding.fromParts>[1]> = {};
if (values.auth === 'none') options.auth = 'none';
else if (values.user !== undefined) {
  const password = process.env.WINRPC_PASSWORD ?? '';
  options.auth = {
    service: 'negotiate',
    level: 'privacy',
    credentials: { user: values.user, password, ...(values.domain ? { domain: values.domain } : {}) },
  };
}
const binding = RpcBinding.fromParts(
  { protseq: 'ncacn_np', networkAddress: values.machine ?? '', endpoint: '\\pipe\\svcctl' },
  options,
);
const scm = new SvcctlClient(binding);
type Handle = ContextHandle<'SC_RPC_HANDLE'>;

function check(what: string, status: number): void {
  if (status !== SCM_ERROR.ERROR_SUCCESS) throw new Error(`${what} answered Win32 error ${status}`);
}

try {
  const machine = values.machine ? `\\\\${values.machine}` : null;
  const opened = await scm.ROpenSCManagerW(
    machine,
    null,
    SCM.SC_MANAGER_CONNECT | SCM.SC_MANAGER_ENUMERATE_SERVICE,
  );
  check('ROpenSCManagerW', opened.returnValue);
  const manager = opened.lpScHandle as Handle;

  // The size probe answers ERROR_MORE_DATA with the bytes needed; then the buffer itself.
  const probe = await scm.REnumServicesStatusW(manager, SCM.SERVICE_WIN32, SCM.SERVICE_STATE_ALL, 0, 0);
  if (probe.returnValue !== SCM_ERROR.ERROR_MORE_DATA) check('REnumServicesStatusW', probe.returnValue);
  const listed = await scm.REnumServicesStatusW(
    manager,
    SCM.SERVICE_WIN32,
    SCM.SERVICE_STATE_ALL,
    probe.pcbBytesNeeded,
    0,
  );
  check('REnumServicesStatusW', listed.returnValue);
  const services = readEnumServiceStatus(listed.lpBuffer, listed.lpServicesReturned);

  // Each binary path takes an open and a query: all of them in flight at once.
  const paths = await Promise.all(
    services.map(async ({ serviceName }) => {
      const { lpServiceHandle, returnValue } = await scm.ROpenServiceW(
        manager,
        serviceName,
        SCM.SERVICE_QUERY_CONFIG,
      );
      if (returnValue !== SCM_ERROR.ERROR_SUCCESS) return `(not readable: Win32 error ${returnValue})`;
      try {
        const { lpServiceConfig } = await scm.RQueryServiceConfigW(lpServiceHandle as Handle, 8 * 1024);
        return lpServiceConfig.lpBinaryPathName ?? '';
      } finally {
        await scm.RCloseServiceHandle(lpServiceHandle);
      }
    }),
  );
  await scm.RCloseServiceHandle(manager);

  const width = Math.max(...services.map((s) => s.serviceName.length));
  console.log(`${services.length} services on ${values.machine ?? 'this machine'}`);
  services.forEach((s, i) => {
    const state = SERVICE_STATE[s.status.currentState] ?? String(s.status.currentState);
    console.log(`${s.serviceName.padEnd(width)}  ${state.padEnd(13)}  ${paths[i]}`);
  });
} catch (error) {
  if (!isRpcError(error)) throw error;
  console.error(`list-services: ${error.message}`);
  process.exitCode = 1;
} finally {
  binding.free();
}
