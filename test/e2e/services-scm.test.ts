// Windows' own service control manager ([MS-SCMR] svcctl on ncacn_np:[\pipe\svcctl]),
// called through the client generated from the specification's IDL
// (examples/services/svcctl.client.ts): under Wine, services.exe in the prefix; on
// Windows, the real one. Open, enumerate (size probe, then the buffer), query status
// and configuration, display and key names, create/start/stop/delete a service of our
// own (test/services/tiny-service.c), and 100 queries at once.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readEnumServiceStatus,
  readServiceStatusProcess,
  SCM,
  SCM_ERROR,
} from '../../examples/services/scm-records.js';
import { SvcctlClient } from '../../examples/services/svcctl.client.js';
import { type ContextHandle, RpcBinding } from '../../lib/index.js';
import { itUnlessWine, lane } from '../support/lane.js';
import { runNodeChild } from '../support/node-child.js';

type Handle = ContextHandle<'SC_RPC_HANDLE'>;

// Under Wine the pipe takes no authentication (and Wine's servers cannot complete
// calls at packet privacy); on Windows the default (Negotiate, privacy) is what sc.exe does.
const binding = RpcBinding.fromString(
  'ncacn_np:[\\\\pipe\\\\svcctl]',
  lane === 'wine' ? { auth: 'none' } : {},
);
const scm = new SvcctlClient(binding);
// A service every Windows and every Wine prefix runs from the start (RpcSs, under Wine,
// runs only once something has needed the endpoint mapper).
const KNOWN = 'PlugPlay';

let manager: Handle;
beforeAll(async () => {
  const opened = await scm.ROpenSCManagerW(
    null,
    null,
    SCM.SC_MANAGER_CONNECT | SCM.SC_MANAGER_ENUMERATE_SERVICE,
  );
  expect(opened.returnValue).toBe(SCM_ERROR.ERROR_SUCCESS);
  manager = opened.lpScHandle as Handle;
});
afterAll(async () => {
  await scm.RCloseServiceHandle(manager);
  binding.free();
});

async function openService(name: string, access: number): Promise<Handle> {
  const { lpServiceHandle, returnValue } = await scm.ROpenServiceW(manager, name, access);
  expect(returnValue, `ROpenServiceW(${name})`).toBe(SCM_ERROR.ERROR_SUCCESS);
  return lpServiceHandle as Handle;
}

async function statusOf(service: Handle) {
  const { lpBuffer, returnValue } = await scm.RQueryServiceStatusEx(service, SCM.SC_STATUS_PROCESS_INFO, 36);
  expect(returnValue).toBe(SCM_ERROR.ERROR_SUCCESS);
  return readServiceStatusProcess(lpBuffer);
}

describe('[MS-SCMR] service control manager over ncacn_np', () => {
  it('opens the manager and closes the handle, which comes back null', async () => {
    const { lpScHandle, returnValue } = await scm.ROpenSCManagerW(null, null, SCM.SC_MANAGER_CONNECT);
    expect(returnValue).toBe(0);
    expect(lpScHandle?.isOpen).toBe(true);
    expect(await scm.RCloseServiceHandle(lpScHandle)).toEqual({ hSCObject: null, returnValue: 0 });
  });

  itUnlessWine(
    "Wine's services.exe dereferences the NULL handle and faults (ERROR_NOACCESS, next test)",
    'sends a NULL [in, out] context handle, which the server refuses as a handle',
    async () => {
      const { hSCObject, returnValue } = await scm.RCloseServiceHandle(null);
      expect(hSCObject).toBeNull();
      expect(returnValue).toBe(SCM_ERROR.ERROR_INVALID_HANDLE);
    },
  );

  it.runIf(lane === 'wine')(
    "sends a NULL [in, out] context handle, on which Wine's server faults",
    async () => {
      // The NULL handle reaches services.exe, which reads through it: its fault comes back.
      await expect(scm.RCloseServiceHandle(null)).rejects.toMatchObject({
        code: 'ERROR_NOACCESS',
        status: 998,
      });
    },
  );

  it('enumerates services: the size probe, then the buffer as a Uint8Array', async () => {
    const probe = await scm.REnumServicesStatusW(manager, SCM.SERVICE_WIN32, SCM.SERVICE_STATE_ALL, 0, 0);
    expect(probe.returnValue).toBe(SCM_ERROR.ERROR_MORE_DATA);
    expect(probe.pcbBytesNeeded).toBeGreaterThan(0);
    const all = await scm.REnumServicesStatusW(
      manager,
      SCM.SERVICE_WIN32,
      SCM.SERVICE_STATE_ALL,
      probe.pcbBytesNeeded,
      0,
    );
    expect(all.returnValue).toBe(SCM_ERROR.ERROR_SUCCESS);
    expect(all.lpBuffer).toBeInstanceOf(Uint8Array);
    expect(all.lpBuffer.length).toBe(probe.pcbBytesNeeded);
    expect(all.lpServicesReturned).toBeGreaterThan(0);
    const services = readEnumServiceStatus(all.lpBuffer, all.lpServicesReturned);
    const known = services.find((s) => s.serviceName.toLowerCase() === KNOWN.toLowerCase());
    expect(known?.status.currentState).toBe(4); // running
    for (const s of services) {
      expect(s.serviceName).toMatch(/^[^\0]+$/);
      expect(s.status.currentState).toBeGreaterThanOrEqual(1);
      expect(s.status.currentState).toBeLessThanOrEqual(7);
    }
  });

  itUnlessWine(
    "Wine's services.exe answers RQueryServiceConfigW with the configuration whatever cbBufSize says",
    'answers a configuration query with no room with ERROR_INSUFFICIENT_BUFFER and the size needed',
    async () => {
      const service = await openService(KNOWN, SCM.SERVICE_QUERY_CONFIG);
      try {
        const probe = await scm.RQueryServiceConfigW(service, 0);
        expect(probe.returnValue).toBe(SCM_ERROR.ERROR_INSUFFICIENT_BUFFER);
        expect(probe.pcbBytesNeeded).toBeGreaterThan(0);
        expect((await scm.RQueryServiceConfigW(service, probe.pcbBytesNeeded)).returnValue).toBe(0);
      } finally {
        await scm.RCloseServiceHandle(service);
      }
    },
  );

  it('queries a service: status (SERVICE_STATUS_PROCESS bytes) and configuration', async () => {
    const service = await openService(KNOWN, SCM.SERVICE_QUERY_STATUS | SCM.SERVICE_QUERY_CONFIG);
    try {
      const status = await statusOf(service);
      expect(status.currentState).toBe(4);
      expect(status.processId).toBeGreaterThan(0);
      // 8K: the most [MS-SCMR] allows (BOUNDED_DWORD_8K), always enough.
      const { lpServiceConfig, returnValue } = await scm.RQueryServiceConfigW(service, 8 * 1024);
      expect(returnValue).toBe(SCM_ERROR.ERROR_SUCCESS);
      expect(lpServiceConfig.lpBinaryPathName).toMatch(/\.exe/i);
      expect(lpServiceConfig.lpDisplayName?.length).toBeGreaterThan(0);
      expect(lpServiceConfig.dwServiceType & SCM.SERVICE_WIN32).not.toBe(0);
    } finally {
      await scm.RCloseServiceHandle(service);
    }
  });

  it('turns a key name into a display name and back', async () => {
    const display = await scm.RGetServiceDisplayNameW(manager, KNOWN, 256);
    expect(display.returnValue).toBe(SCM_ERROR.ERROR_SUCCESS);
    expect(display.lpDisplayName.length).toBeGreaterThan(0);
    expect(display.lpcchBuffer).toBe(display.lpDisplayName.length);
    const key = await scm.RGetServiceKeyNameW(manager, display.lpDisplayName, 256);
    expect(key.returnValue).toBe(SCM_ERROR.ERROR_SUCCESS);
    expect(key.lpServiceName.toLowerCase()).toBe(KNOWN.toLowerCase());
  });

  it('answers 100 concurrent status queries', async () => {
    const service = await openService(KNOWN, SCM.SERVICE_QUERY_STATUS);
    try {
      const results = await Promise.all(Array.from({ length: 100 }, () => statusOf(service)));
      const first = results[0]!;
      expect(results.every((r) => r.processId === first.processId && r.currentState === 4)).toBe(true);
    } finally {
      await scm.RCloseServiceHandle(service);
    }
  });

  it('creates, starts, stops and deletes a service of its own', async (context) => {
    const admin = await scm.ROpenSCManagerW(
      null,
      null,
      SCM.SC_MANAGER_CONNECT | SCM.SC_MANAGER_CREATE_SERVICE,
    );
    if (admin.returnValue === SCM_ERROR.ERROR_ACCESS_DENIED) {
      context.skip(
        'creating a service needs administrator rights (ROpenSCManagerW answered ERROR_ACCESS_DENIED)',
      );
    }
    expect(admin.returnValue).toBe(0);
    const creator = admin.lpScHandle as Handle;
    const name = `winrpc_test_${process.pid}`;
    const exe = fileURLToPath(new URL('../../build/servers/tiny-service.exe', import.meta.url));
    try {
      const created = await scm.RCreateServiceW(
        creator,
        name,
        'winrpc test service',
        SCM.SERVICE_ALL_ACCESS,
        SCM.SERVICE_WIN32_OWN_PROCESS,
        SCM.SERVICE_DEMAND_START,
        SCM.SERVICE_ERROR_NORMAL,
        `"${exe}"`,
        null,
        null,
        null,
        0,
        null,
        null,
        0,
      );
      expect(created.returnValue).toBe(SCM_ERROR.ERROR_SUCCESS);
      const service = created.lpServiceHandle as Handle;
      expect((await statusOf(service)).currentState).toBe(1); // stopped

      // SC_RPC_CONFIG_INFOW's union is unnamed in the specification's IDL: member `u`.
      const description = `winrpc test description ${process.pid}`;
      expect(
        await scm.RChangeServiceConfig2W(service, {
          dwInfoLevel: SCM.SERVICE_CONFIG_DESCRIPTION,
          u: { psd: { lpDescription: description } },
        }),
      ).toBe(SCM_ERROR.ERROR_SUCCESS);
      const config2 = await scm.RQueryServiceConfig2W(service, SCM.SERVICE_CONFIG_DESCRIPTION, 1024);
      expect(config2.returnValue).toBe(SCM_ERROR.ERROR_SUCCESS);
      // A SERVICE_DESCRIPTION with an offset for its pointer, then the text.
      expect(Buffer.from(config2.lpBuffer).toString('utf16le')).toContain(`${description}\0`);

      expect(await scm.RStartServiceW(service, 0, null)).toBe(SCM_ERROR.ERROR_SUCCESS);
      await waitForState(service, 4);
      const running = await statusOf(service);
      expect(running.processId).toBeGreaterThan(0);

      const stopped = await scm.RControlService(service, SCM.SERVICE_CONTROL_STOP);
      expect(stopped.returnValue).toBe(SCM_ERROR.ERROR_SUCCESS);
      await waitForState(service, 1);

      expect(await scm.RDeleteService(service)).toBe(SCM_ERROR.ERROR_SUCCESS);
      await scm.RCloseServiceHandle(service);
      // The SCM deletes a service once its last handle is closed and its process has gone
      // (DeleteService: "marked for deletion"), which may come a moment after STOPPED.
      const gone = await openedAfterDeletion(name);
      expect(gone.returnValue).toBe(SCM_ERROR.ERROR_SERVICE_DOES_NOT_EXIST);
      expect(gone.lpServiceHandle).toBeNull();
    } finally {
      await scm.RCloseServiceHandle(creator);
    }
  });
});

describe('examples/services', () => {
  it('lists the services with their state and binary path', async () => {
    const example = fileURLToPath(new URL('../../examples/services/list-services.ts', import.meta.url));
    const args = [example, ...(lane === 'wine' ? ['--auth', 'none'] : [])];
    const { code, output } = await runNodeChild(args, 60_000);
    expect(code, output).toBe(0);
    const [header, ...rows] = output.trim().split(/\r?\n/);
    expect(header).toMatch(/^\d+ services on this machine$/);
    expect(rows).toHaveLength(Number(header!.split(' ')[0]));
    expect(rows.find((r) => r.startsWith(`${KNOWN} `))).toMatch(/ running +\S.*\.exe/i);
  });
});

/** ROpenServiceW of a deleted service, asked again while the SCM still holds it (20 s at most). */
async function openedAfterDeletion(name: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const opened = await scm.ROpenServiceW(manager, name, SCM.SERVICE_QUERY_STATUS);
    const held =
      opened.returnValue === SCM_ERROR.ERROR_SUCCESS ||
      opened.returnValue === SCM_ERROR.ERROR_SERVICE_MARKED_FOR_DELETE;
    if (!held || Date.now() > deadline) return opened;
    if (opened.lpServiceHandle) await scm.RCloseServiceHandle(opened.lpServiceHandle);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitForState(service: Handle, state: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const status = await statusOf(service);
    if (status.currentState === state) return;
    if (Date.now() > deadline)
      throw new Error(`service stayed in state ${status.currentState}, not ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
