// The one table of status codes winrpc reports: RPC_S_*, RPC_X_*, EPT_S_*, the Win32
// codes the RPC runtime returns, and the exception codes a server or the NDR engine
// can raise. Numbers are the SDK's (test/unit/status-codes.test.ts checks each one
// against mingw-w64's winerror.h / rpcnterr.h / winnt.h when present); messages are
// Windows' system messages, shortened.
//
// One canonical name per number. Where the SDK gives a number two names
// (rpcnterr.h: RPC_S_ASYNC_CALL_PENDING is ERROR_IO_PENDING), the RPC name is
// canonical and the others are aliases, so `code` is stable whichever a caller knows.
// A number not in the table keeps it: its name is `0x` and eight upper-case hex
// digits of the unsigned 32-bit status (`0x20000001`, `0x00003039` for 12345).
//
// A server's exceptions reach the client as statuses from this table too: under Wine
// a server-side access violation arrives as ERROR_NOACCESS (998) and an integer
// division by zero as RPC_S_ZERO_DIVIDE (1767), while other codes a server raises
// (RpcRaiseException) arrive unchanged.

export interface StatusEntry {
  /** Unsigned 32-bit status (exception codes and HRESULTs above 0x7FFFFFFF too). */
  readonly status: number;
  readonly name: string;
  readonly message: string;
  /** Other SDK names for the same number. */
  readonly aliases?: readonly string[];
}

// biome-ignore format: one row per status reads best as a table
const ENTRIES: readonly StatusEntry[] = [
  { status: 0, name: 'RPC_S_OK', message: 'The operation completed successfully.', aliases: ['ERROR_SUCCESS'] },
  { status: 1, name: 'ERROR_INVALID_FUNCTION', message: 'Incorrect function.' },
  { status: 2, name: 'ERROR_FILE_NOT_FOUND', message: 'The system cannot find the file specified.' },
  { status: 5, name: 'RPC_S_ACCESS_DENIED', message: 'Access is denied.', aliases: ['ERROR_ACCESS_DENIED'] },
  { status: 6, name: 'RPC_X_SS_CONTEXT_MISMATCH', message: 'The handle is invalid (the context handle does not match any known context).', aliases: ['ERROR_INVALID_HANDLE'] },
  { status: 8, name: 'ERROR_NOT_ENOUGH_MEMORY', message: 'Not enough memory resources are available to process this command.' },
  { status: 14, name: 'RPC_S_OUT_OF_MEMORY', message: 'Not enough memory resources are available to complete this operation.', aliases: ['ERROR_OUTOFMEMORY', 'RPC_X_NO_MEMORY', 'RPC_X_PIPE_APP_MEMORY'] },
  { status: 50, name: 'ERROR_NOT_SUPPORTED', message: 'The request is not supported.' },
  { status: 87, name: 'RPC_S_INVALID_ARG', message: 'The parameter is incorrect.', aliases: ['ERROR_INVALID_PARAMETER', 'RPC_S_INVALID_LEVEL'] },
  { status: 109, name: 'ERROR_BROKEN_PIPE', message: 'The pipe has been ended.' },
  { status: 120, name: 'ERROR_CALL_NOT_IMPLEMENTED', message: 'This function is not supported on this system.' },
  { status: 122, name: 'RPC_S_BUFFER_TOO_SMALL', message: 'The data area passed to a system call is too small.', aliases: ['ERROR_INSUFFICIENT_BUFFER'] },
  { status: 164, name: 'RPC_S_OUT_OF_THREADS', message: 'No more threads can be created in the system.', aliases: ['ERROR_MAX_THRDS_REACHED'] },
  { status: 231, name: 'ERROR_PIPE_BUSY', message: 'All pipe instances are busy.' },
  { status: 258, name: 'WAIT_TIMEOUT', message: 'The wait operation timed out.' },
  { status: 995, name: 'ERROR_OPERATION_ABORTED', message: 'The I/O operation has been aborted because of either a thread exit or an application request.' },
  { status: 997, name: 'RPC_S_ASYNC_CALL_PENDING', message: 'The asynchronous call has not completed yet.', aliases: ['ERROR_IO_PENDING'] },
  { status: 998, name: 'ERROR_NOACCESS', message: 'Invalid access to memory location.' },
  { status: 1130, name: 'RPC_S_SERVER_OUT_OF_MEMORY', message: 'Not enough server memory resources are available to process this command.', aliases: ['ERROR_NOT_ENOUGH_SERVER_MEMORY'] },
  { status: 1223, name: 'ERROR_CANCELLED', message: 'The operation was canceled by the user.' },
  { status: 1244, name: 'ERROR_NOT_AUTHENTICATED', message: 'The operation being requested was not performed because the user has not been authenticated.' },
  { status: 1326, name: 'ERROR_LOGON_FAILURE', message: 'The user name or password is incorrect.' },
  { status: 1332, name: 'RPC_S_UNKNOWN_PRINCIPAL', message: 'No mapping between account names and security IDs was done.', aliases: ['ERROR_NONE_MAPPED'] },
  { status: 1338, name: 'RPC_S_INVALID_SECURITY_DESC', message: 'The security descriptor structure is invalid.', aliases: ['ERROR_INVALID_SECURITY_DESCR'] },
  { status: 1460, name: 'RPC_S_TIMEOUT', message: 'This operation returned because the timeout period expired.', aliases: ['ERROR_TIMEOUT'] },
  { status: 1700, name: 'RPC_S_INVALID_STRING_BINDING', message: 'The string binding is invalid.' },
  { status: 1701, name: 'RPC_S_WRONG_KIND_OF_BINDING', message: 'The binding handle is not the correct type.' },
  { status: 1702, name: 'RPC_S_INVALID_BINDING', message: 'The binding handle is invalid.' },
  { status: 1703, name: 'RPC_S_PROTSEQ_NOT_SUPPORTED', message: 'The RPC protocol sequence is not supported.' },
  { status: 1704, name: 'RPC_S_INVALID_RPC_PROTSEQ', message: 'The RPC protocol sequence is invalid.' },
  { status: 1705, name: 'RPC_S_INVALID_STRING_UUID', message: 'The string universal unique identifier (UUID) is invalid.' },
  { status: 1706, name: 'RPC_S_INVALID_ENDPOINT_FORMAT', message: 'The endpoint format is invalid.' },
  { status: 1707, name: 'RPC_S_INVALID_NET_ADDR', message: 'The network address is invalid.' },
  { status: 1708, name: 'RPC_S_NO_ENDPOINT_FOUND', message: 'No endpoint was found.' },
  { status: 1709, name: 'RPC_S_INVALID_TIMEOUT', message: 'The timeout value is invalid.' },
  { status: 1710, name: 'RPC_S_OBJECT_NOT_FOUND', message: 'The object universal unique identifier (UUID) was not found.' },
  { status: 1711, name: 'RPC_S_ALREADY_REGISTERED', message: 'The object universal unique identifier (UUID) has already been registered.' },
  { status: 1712, name: 'RPC_S_TYPE_ALREADY_REGISTERED', message: 'The type universal unique identifier (UUID) has already been registered.' },
  { status: 1713, name: 'RPC_S_ALREADY_LISTENING', message: 'The RPC server is already listening.' },
  { status: 1714, name: 'RPC_S_NO_PROTSEQS_REGISTERED', message: 'No protocol sequences have been registered.' },
  { status: 1715, name: 'RPC_S_NOT_LISTENING', message: 'The RPC server is not listening.' },
  { status: 1716, name: 'RPC_S_UNKNOWN_MGR_TYPE', message: 'The manager type is unknown.' },
  { status: 1717, name: 'RPC_S_UNKNOWN_IF', message: 'The interface is unknown.' },
  { status: 1718, name: 'RPC_S_NO_BINDINGS', message: 'There are no bindings.' },
  { status: 1719, name: 'RPC_S_NO_PROTSEQS', message: 'There are no protocol sequences.' },
  { status: 1720, name: 'RPC_S_CANT_CREATE_ENDPOINT', message: 'The endpoint cannot be created.' },
  { status: 1721, name: 'RPC_S_OUT_OF_RESOURCES', message: 'Not enough resources are available to complete this operation.' },
  { status: 1722, name: 'RPC_S_SERVER_UNAVAILABLE', message: 'The RPC server is unavailable.' },
  { status: 1723, name: 'RPC_S_SERVER_TOO_BUSY', message: 'The RPC server is too busy to complete this operation.' },
  { status: 1724, name: 'RPC_S_INVALID_NETWORK_OPTIONS', message: 'The network options are invalid.' },
  { status: 1725, name: 'RPC_S_NO_CALL_ACTIVE', message: 'There are no remote procedure calls active on this thread.' },
  { status: 1726, name: 'RPC_S_CALL_FAILED', message: 'The remote procedure call failed.' },
  { status: 1727, name: 'RPC_S_CALL_FAILED_DNE', message: 'The remote procedure call failed and did not execute.' },
  { status: 1728, name: 'RPC_S_PROTOCOL_ERROR', message: 'A remote procedure call (RPC) protocol error occurred.' },
  { status: 1729, name: 'RPC_S_PROXY_ACCESS_DENIED', message: 'Access to the HTTP proxy is denied.' },
  { status: 1730, name: 'RPC_S_UNSUPPORTED_TRANS_SYN', message: 'The transfer syntax is not supported by the RPC server.' },
  { status: 1732, name: 'RPC_S_UNSUPPORTED_TYPE', message: 'The universal unique identifier (UUID) type is not supported.' },
  { status: 1733, name: 'RPC_S_INVALID_TAG', message: 'The tag is invalid.', aliases: ['RPC_X_INVALID_TAG'] },
  { status: 1734, name: 'RPC_S_INVALID_BOUND', message: 'The array bounds are invalid.', aliases: ['RPC_X_INVALID_BOUND'] },
  { status: 1735, name: 'RPC_S_NO_ENTRY_NAME', message: 'The binding does not contain an entry name.' },
  { status: 1736, name: 'RPC_S_INVALID_NAME_SYNTAX', message: 'The name syntax is invalid.' },
  { status: 1737, name: 'RPC_S_UNSUPPORTED_NAME_SYNTAX', message: 'The name syntax is not supported.' },
  { status: 1739, name: 'RPC_S_UUID_NO_ADDRESS', message: 'No network address is available to use to construct a universal unique identifier (UUID).' },
  { status: 1740, name: 'RPC_S_DUPLICATE_ENDPOINT', message: 'The endpoint is a duplicate.' },
  { status: 1741, name: 'RPC_S_UNKNOWN_AUTHN_TYPE', message: 'The authentication type is unknown.' },
  { status: 1742, name: 'RPC_S_MAX_CALLS_TOO_SMALL', message: 'The maximum number of calls is too small.' },
  { status: 1743, name: 'RPC_S_STRING_TOO_LONG', message: 'The string is too long.' },
  { status: 1744, name: 'RPC_S_PROTSEQ_NOT_FOUND', message: 'The RPC protocol sequence was not found.' },
  { status: 1745, name: 'RPC_S_PROCNUM_OUT_OF_RANGE', message: 'The procedure number is out of range.' },
  { status: 1746, name: 'RPC_S_BINDING_HAS_NO_AUTH', message: 'The binding does not contain any authentication information.' },
  { status: 1747, name: 'RPC_S_UNKNOWN_AUTHN_SERVICE', message: 'The authentication service is unknown.' },
  { status: 1748, name: 'RPC_S_UNKNOWN_AUTHN_LEVEL', message: 'The authentication level is unknown.' },
  { status: 1749, name: 'RPC_S_INVALID_AUTH_IDENTITY', message: 'The security context is invalid.' },
  { status: 1750, name: 'RPC_S_UNKNOWN_AUTHZ_SERVICE', message: 'The authorization service is unknown.' },
  { status: 1751, name: 'EPT_S_INVALID_ENTRY', message: 'The entry is invalid.' },
  { status: 1752, name: 'EPT_S_CANT_PERFORM_OP', message: 'The server endpoint cannot perform the operation.' },
  { status: 1753, name: 'EPT_S_NOT_REGISTERED', message: 'There are no more endpoints available from the endpoint mapper.' },
  { status: 1754, name: 'RPC_S_NOTHING_TO_EXPORT', message: 'No interfaces have been exported.' },
  { status: 1755, name: 'RPC_S_INCOMPLETE_NAME', message: 'The entry name is incomplete.' },
  { status: 1756, name: 'RPC_S_INVALID_VERS_OPTION', message: 'The version option is invalid.' },
  { status: 1757, name: 'RPC_S_NO_MORE_MEMBERS', message: 'There are no more members.' },
  { status: 1758, name: 'RPC_S_NOT_ALL_OBJS_UNEXPORTED', message: 'There is nothing to unexport.' },
  { status: 1759, name: 'RPC_S_INTERFACE_NOT_FOUND', message: 'The interface was not found.' },
  { status: 1760, name: 'RPC_S_ENTRY_ALREADY_EXISTS', message: 'The entry already exists.' },
  { status: 1761, name: 'RPC_S_ENTRY_NOT_FOUND', message: 'The entry is not found.' },
  { status: 1762, name: 'RPC_S_NAME_SERVICE_UNAVAILABLE', message: 'The name service is unavailable.' },
  { status: 1763, name: 'RPC_S_INVALID_NAF_ID', message: 'The network address family is invalid.' },
  { status: 1764, name: 'RPC_S_CANNOT_SUPPORT', message: 'The requested operation is not supported.' },
  { status: 1765, name: 'RPC_S_NO_CONTEXT_AVAILABLE', message: 'No security context is available to allow impersonation.' },
  { status: 1766, name: 'RPC_S_INTERNAL_ERROR', message: 'An internal error occurred in a remote procedure call (RPC).' },
  { status: 1767, name: 'RPC_S_ZERO_DIVIDE', message: 'The RPC server attempted an integer division by zero.' },
  { status: 1768, name: 'RPC_S_ADDRESS_ERROR', message: 'An addressing error occurred in the RPC server.' },
  { status: 1769, name: 'RPC_S_FP_DIV_ZERO', message: 'A floating-point operation at the RPC server caused a division by zero.' },
  { status: 1770, name: 'RPC_S_FP_UNDERFLOW', message: 'A floating-point underflow occurred at the RPC server.' },
  { status: 1771, name: 'RPC_S_FP_OVERFLOW', message: 'A floating-point overflow occurred at the RPC server.' },
  { status: 1772, name: 'RPC_X_NO_MORE_ENTRIES', message: 'The list of RPC servers available for the binding of auto handles has been exhausted.' },
  { status: 1773, name: 'RPC_X_SS_CHAR_TRANS_OPEN_FAIL', message: 'Unable to open the character translation table file.' },
  { status: 1774, name: 'RPC_X_SS_CHAR_TRANS_SHORT_FILE', message: 'The file containing the character translation table has fewer than 512 bytes.' },
  { status: 1775, name: 'RPC_X_SS_IN_NULL_CONTEXT', message: 'A null context handle was passed from the client to the host during a remote procedure call.' },
  { status: 1777, name: 'RPC_X_SS_CONTEXT_DAMAGED', message: 'The context handle changed during a remote procedure call.' },
  { status: 1778, name: 'RPC_X_SS_HANDLES_MISMATCH', message: 'The binding handles passed to a remote procedure call do not match.' },
  { status: 1779, name: 'RPC_X_SS_CANNOT_GET_CALL_HANDLE', message: 'The stub is unable to get the remote procedure call handle.' },
  { status: 1780, name: 'RPC_X_NULL_REF_POINTER', message: 'A null reference pointer was passed to the stub.' },
  { status: 1781, name: 'RPC_X_ENUM_VALUE_OUT_OF_RANGE', message: 'The enumeration value is out of range.', aliases: ['RPC_X_ENUM_VALUE_TOO_LARGE'] },
  { status: 1782, name: 'RPC_X_BYTE_COUNT_TOO_SMALL', message: 'The byte count is too small.' },
  { status: 1783, name: 'RPC_X_BAD_STUB_DATA', message: 'The stub received bad data.' },
  { status: 1784, name: 'RPC_X_INVALID_BUFFER', message: 'The supplied user buffer is not valid for the requested operation.', aliases: ['ERROR_INVALID_USER_BUFFER'] },
  { status: 1791, name: 'RPC_S_CALL_IN_PROGRESS', message: 'A remote procedure call is already in progress for this thread.' },
  { status: 1806, name: 'RPC_S_NO_MORE_BINDINGS', message: 'There are no more bindings.' },
  { status: 1816, name: 'ERROR_NOT_ENOUGH_QUOTA', message: 'Not enough quota is available to process this command.' },
  { status: 1817, name: 'RPC_S_NO_INTERFACES', message: 'No interfaces have been registered.' },
  { status: 1818, name: 'RPC_S_CALL_CANCELLED', message: 'The remote procedure call was cancelled.' },
  { status: 1819, name: 'RPC_S_BINDING_INCOMPLETE', message: 'The binding handle does not contain all required information.' },
  { status: 1820, name: 'RPC_S_COMM_FAILURE', message: 'A communications failure occurred during a remote procedure call.' },
  { status: 1821, name: 'RPC_S_UNSUPPORTED_AUTHN_LEVEL', message: 'The requested authentication level is not supported.' },
  { status: 1822, name: 'RPC_S_NO_PRINC_NAME', message: 'No principal name registered.' },
  { status: 1823, name: 'RPC_S_NOT_RPC_ERROR', message: 'The error specified is not a valid Windows RPC error code.' },
  { status: 1824, name: 'RPC_S_UUID_LOCAL_ONLY', message: 'A UUID that is valid only on this computer has been allocated.' },
  { status: 1825, name: 'RPC_S_SEC_PKG_ERROR', message: 'A security package specific error occurred.' },
  { status: 1826, name: 'RPC_S_NOT_CANCELLED', message: 'Thread is not canceled.' },
  { status: 1827, name: 'RPC_X_INVALID_ES_ACTION', message: 'Invalid operation on the encoding/decoding handle.' },
  { status: 1828, name: 'RPC_X_WRONG_ES_VERSION', message: 'Incompatible version of the serializing package.' },
  { status: 1829, name: 'RPC_X_WRONG_STUB_VERSION', message: 'Incompatible version of the RPC stub.' },
  { status: 1830, name: 'RPC_X_INVALID_PIPE_OBJECT', message: 'The RPC pipe object is invalid or corrupted.' },
  { status: 1831, name: 'RPC_X_WRONG_PIPE_ORDER', message: 'An invalid operation was attempted on an RPC pipe object.', aliases: ['RPC_X_INVALID_PIPE_OPERATION'] },
  { status: 1832, name: 'RPC_X_WRONG_PIPE_VERSION', message: 'Unsupported RPC pipe version.' },
  { status: 1833, name: 'RPC_S_COOKIE_AUTH_FAILED', message: 'HTTP proxy server rejected the connection because the cookie authentication failed.' },
  { status: 1834, name: 'RPC_S_DO_NOT_DISTURB', message: 'The RPC server is suspended, and could not be resumed for this request.' },
  { status: 1835, name: 'RPC_S_SYSTEM_HANDLE_COUNT_EXCEEDED', message: 'The RPC call contains too many handles to be transmitted in a single request.' },
  { status: 1836, name: 'RPC_S_SYSTEM_HANDLE_TYPE_MISMATCH', message: 'The RPC call contains a handle that differs from the declared handle type.' },
  { status: 1898, name: 'RPC_S_GROUP_MEMBER_NOT_FOUND', message: 'The group member was not found.' },
  { status: 1899, name: 'EPT_S_CANT_CREATE', message: 'The endpoint mapper database entry could not be created.' },
  { status: 1900, name: 'RPC_S_INVALID_OBJECT', message: 'The object universal unique identifier (UUID) is the nil UUID.' },
  { status: 1913, name: 'RPC_S_SEND_INCOMPLETE', message: 'Some data remains to be sent in the request buffer.' },
  { status: 1914, name: 'RPC_S_INVALID_ASYNC_HANDLE', message: 'Invalid asynchronous remote procedure call handle.' },
  { status: 1915, name: 'RPC_S_INVALID_ASYNC_CALL', message: 'Invalid asynchronous RPC call handle for this operation.' },
  { status: 1916, name: 'RPC_X_PIPE_CLOSED', message: 'The RPC pipe object has already been closed.' },
  { status: 1917, name: 'RPC_X_PIPE_DISCIPLINE_ERROR', message: 'The RPC call completed before all pipes were processed.' },
  { status: 1918, name: 'RPC_X_PIPE_EMPTY', message: 'No more data is available from the RPC pipe.' },
  { status: 1922, name: 'RPC_S_ENTRY_TYPE_MISMATCH', message: 'The name service entry has an unexpected type.' },
  { status: 1923, name: 'RPC_S_NOT_ALL_OBJS_EXPORTED', message: 'Not all object UUIDs could be exported to the name service entry.' },
  { status: 1924, name: 'RPC_S_INTERFACE_NOT_EXPORTED', message: 'The interface could not be exported to the name service entry.' },
  { status: 1925, name: 'RPC_S_PROFILE_NOT_ADDED', message: 'The profile entry could not be added.' },
  { status: 1926, name: 'RPC_S_PRF_ELT_NOT_ADDED', message: 'The profile element could not be added.' },
  { status: 1927, name: 'RPC_S_PRF_ELT_NOT_REMOVED', message: 'The profile element could not be removed.' },
  { status: 1928, name: 'RPC_S_GRP_ELT_NOT_ADDED', message: 'The group element could not be added.' },
  { status: 1929, name: 'RPC_S_GRP_ELT_NOT_REMOVED', message: 'The group element could not be removed.' },
  { status: 0x80000002, name: 'STATUS_DATATYPE_MISALIGNMENT', message: 'A datatype misalignment was detected in a load or store instruction.' },
  { status: 0x80000003, name: 'STATUS_BREAKPOINT', message: 'A breakpoint has been reached.' },
  { status: 0x80010115, name: 'RPC_S_CALLPENDING', message: 'A COM call is still pending (an HRESULT).' },
  { status: 0x80010116, name: 'RPC_S_WAITONTIMER', message: 'A COM call is waiting on a timer (an HRESULT).' },
  { status: 0xC0000005, name: 'STATUS_ACCESS_VIOLATION', message: 'The instruction referenced memory it may not access (access violation).' },
  { status: 0xC0000006, name: 'STATUS_IN_PAGE_ERROR', message: 'The required data could not be placed in memory because of an I/O error.' },
  { status: 0xC0000008, name: 'STATUS_INVALID_HANDLE', message: 'An invalid handle was specified.' },
  { status: 0xC0000017, name: 'STATUS_NO_MEMORY', message: 'Not enough virtual memory or paging file quota is available to complete the operation.' },
  { status: 0xC000001D, name: 'STATUS_ILLEGAL_INSTRUCTION', message: 'An attempt was made to execute an illegal instruction.' },
  { status: 0xC0000025, name: 'STATUS_NONCONTINUABLE_EXCEPTION', message: 'Execution cannot continue after a noncontinuable exception.' },
  { status: 0xC0000026, name: 'STATUS_INVALID_DISPOSITION', message: 'An exception handler returned an invalid disposition.' },
  { status: 0xC000008C, name: 'STATUS_ARRAY_BOUNDS_EXCEEDED', message: 'Array bounds exceeded.' },
  { status: 0xC000008E, name: 'STATUS_FLOAT_DIVIDE_BY_ZERO', message: 'Floating-point division by zero.' },
  { status: 0xC0000090, name: 'STATUS_FLOAT_INVALID_OPERATION', message: 'Floating-point invalid operation.' },
  { status: 0xC0000091, name: 'STATUS_FLOAT_OVERFLOW', message: 'Floating-point overflow.' },
  { status: 0xC0000093, name: 'STATUS_FLOAT_UNDERFLOW', message: 'Floating-point underflow.' },
  { status: 0xC0000094, name: 'STATUS_INTEGER_DIVIDE_BY_ZERO', message: 'Integer division by zero.' },
  { status: 0xC0000095, name: 'STATUS_INTEGER_OVERFLOW', message: 'Integer overflow.' },
  { status: 0xC0000096, name: 'STATUS_PRIVILEGED_INSTRUCTION', message: 'An attempt was made to execute a privileged instruction.' },
  { status: 0xC00000FD, name: 'STATUS_STACK_OVERFLOW', message: 'A new guard page for the stack cannot be created (stack overflow).' },
  { status: 0xC0000374, name: 'STATUS_HEAP_CORRUPTION', message: 'A heap has been corrupted.' },
  { status: 0xC0000409, name: 'STATUS_STACK_BUFFER_OVERRUN', message: 'A stack-based buffer overrun was detected.' },
];

const byStatus = new Map<number, StatusEntry>();
const byName = new Map<string, StatusEntry>();
for (const entry of ENTRIES) {
  byStatus.set(entry.status, entry);
  for (const name of [entry.name, ...(entry.aliases ?? [])]) byName.set(name, entry);
}

/** Every entry, in ascending status order. */
export function statusEntries(): readonly StatusEntry[] {
  return ENTRIES;
}

/** Statuses come from native code as signed or unsigned 32-bit values; one form. */
export function normalizeStatus(status: number): number {
  if (!Number.isInteger(status) || status < -0x8000_0000 || status > 0xffff_ffff) {
    throw new RangeError(`status must be a 32-bit integer, got ${status}`);
  }
  return status >>> 0;
}

/** `0x` + eight upper-case hex digits: the name of a status not in the table. */
export function hexStatus(status: number): string {
  return `0x${normalizeStatus(status).toString(16).toUpperCase().padStart(8, '0')}`;
}

export function statusEntry(status: number): StatusEntry | undefined {
  return byStatus.get(normalizeStatus(status));
}

/** The stable name of a status: the table's canonical name, else its hex form. */
export function statusName(status: number): string {
  return statusEntry(status)?.name ?? hexStatus(status);
}

export function statusMessage(status: number): string {
  return statusEntry(status)?.message ?? `Unknown status ${hexStatus(status)}.`;
}

/** The number for a canonical name, an alias or a hex name; undefined if unknown. */
export function statusFromName(name: string): number | undefined {
  const entry = byName.get(name);
  if (entry) return entry.status;
  return /^0x[0-9A-Fa-f]{8}$/.test(name) ? Number.parseInt(name.slice(2), 16) : undefined;
}

/** How a status reads in messages: decimal in the Win32 range, hex above it. */
export function formatStatusNumber(status: number): string {
  const value = normalizeStatus(status);
  return value <= 0xffff ? String(value) : hexStatus(value);
}
