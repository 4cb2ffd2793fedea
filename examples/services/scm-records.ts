// What [MS-SCMR] puts in its byte buffers (`[out, size_is(cbBufSize)] LPBYTE lpBuffer`),
// read from the Uint8Array a call resolves with, and the protocol's constants. The
// buffer layouts are [MS-SCMR] 3.1.4.11 (ENUM_SERVICE_STATUSW records whose string
// pointers are 32-bit offsets from the buffer's start, strings after the records) and
// 2.2.49 (SERVICE_STATUS_PROCESS).

/** Access rights and values of [MS-SCMR] 2.2 and 3.1.4 used by the example and the tests. */
export const SCM = {
  SC_MANAGER_CONNECT: 0x0001,
  SC_MANAGER_CREATE_SERVICE: 0x0002,
  SC_MANAGER_ENUMERATE_SERVICE: 0x0004,
  SERVICE_QUERY_CONFIG: 0x0001,
  SERVICE_QUERY_STATUS: 0x0004,
  SERVICE_START: 0x0010,
  SERVICE_STOP: 0x0020,
  DELETE: 0x0001_0000,
  SERVICE_ALL_ACCESS: 0x000f_01ff,
  SERVICE_WIN32_OWN_PROCESS: 0x10,
  SERVICE_WIN32: 0x30,
  SERVICE_DEMAND_START: 3,
  SERVICE_ERROR_NORMAL: 1,
  SERVICE_STATE_ALL: 3,
  SERVICE_CONTROL_STOP: 1,
  SC_STATUS_PROCESS_INFO: 0,
  // dwInfoLevel of RChangeServiceConfig2W / RQueryServiceConfig2W ([MS-SCMR] 3.1.4.36).
  SERVICE_CONFIG_DESCRIPTION: 1,
} as const;

/** Win32 errors the service control manager answers with (its procedures' return values). */
export const SCM_ERROR = {
  ERROR_SUCCESS: 0,
  ERROR_ACCESS_DENIED: 5,
  ERROR_INVALID_HANDLE: 6,
  ERROR_INSUFFICIENT_BUFFER: 122,
  ERROR_MORE_DATA: 234,
  ERROR_SERVICE_DOES_NOT_EXIST: 1060,
  ERROR_SERVICE_NOT_ACTIVE: 1062,
  ERROR_SERVICE_MARKED_FOR_DELETE: 1072,
} as const;

/** dwCurrentState names ([MS-SCMR] 2.2.47). */
export const SERVICE_STATE: Record<number, string> = {
  1: 'stopped',
  2: 'start pending',
  3: 'stop pending',
  4: 'running',
  5: 'continue pending',
  6: 'pause pending',
  7: 'paused',
};

export interface ServiceStatus {
  serviceType: number;
  currentState: number;
  controlsAccepted: number;
  win32ExitCode: number;
  serviceSpecificExitCode: number;
  checkPoint: number;
  waitHint: number;
}

export interface ServiceStatusProcess extends ServiceStatus {
  processId: number;
  serviceFlags: number;
}

export interface EnumServiceStatus {
  serviceName: string;
  displayName: string;
  status: ServiceStatus;
}

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function readStatus(data: DataView, at: number): ServiceStatus {
  const dword = (i: number) => data.getUint32(at + i * 4, true);
  return {
    serviceType: dword(0),
    currentState: dword(1),
    controlsAccepted: dword(2),
    win32ExitCode: dword(3),
    serviceSpecificExitCode: dword(4),
    checkPoint: dword(5),
    waitHint: dword(6),
  };
}

/** RQueryServiceStatusEx's buffer at SC_STATUS_PROCESS_INFO: one SERVICE_STATUS_PROCESS. */
export function readServiceStatusProcess(buffer: Uint8Array): ServiceStatusProcess {
  const data = view(buffer);
  return {
    ...readStatus(data, 0),
    processId: data.getUint32(28, true),
    serviceFlags: data.getUint32(32, true),
  };
}

/** A NUL-terminated UTF-16 string at a byte offset of the buffer. */
function readWide(buffer: Uint8Array, offset: number): string {
  const data = view(buffer);
  let end = offset;
  while (end + 1 < buffer.length && data.getUint16(end, true) !== 0) end += 2;
  return Buffer.from(buffer.buffer, buffer.byteOffset + offset, end - offset).toString('utf16le');
}

// lpServiceName and lpDisplayName as 32-bit offsets, then SERVICE_STATUS (7 DWORDs).
const ENUM_RECORD_SIZE = 36;

/** REnumServicesStatusW's buffer: `count` ENUM_SERVICE_STATUSW records. */
export function readEnumServiceStatus(buffer: Uint8Array, count: number): EnumServiceStatus[] {
  const data = view(buffer);
  const records: EnumServiceStatus[] = [];
  for (let i = 0; i < count; i++) {
    const at = i * ENUM_RECORD_SIZE;
    records.push({
      serviceName: readWide(buffer, data.getUint32(at, true)),
      displayName: readWide(buffer, data.getUint32(at + 4, true)),
      status: readStatus(data, at + 8),
    });
  }
  return records;
}
