// Binding options as users write them, checked (TypeErrors before any native call)
// and mapped to the runtime's constants. Defaults are the safe ones: remote protocol
// sequences authenticate with Negotiate at packet privacy unless told otherwise;
// ncalrpc keeps the local default; calls are non-causal.

export type AuthService = 'negotiate' | 'ntlm' | 'kerberos' | 'none';
export type AuthLevel = 'connect' | 'integrity' | 'privacy';

export interface AuthOptions {
  service?: AuthService;
  level?: AuthLevel;
  /** The server's principal name (SPN), e.g. `host/server.example.com`. */
  serverPrincipalName?: string;
  /** Explicit credentials; otherwise the process's own. Passed to the runtime at once, never kept in JS. */
  credentials?: { user: string; domain?: string; password: string };
  qos?: {
    impersonation?: 'anonymous' | 'identify' | 'impersonate' | 'delegate';
    identityTracking?: 'static' | 'dynamic';
    mutualAuthentication?: boolean;
  };
}

export interface BindingOptions {
  /** Authentication; `'none'` for none at all. Default: see above. */
  auth?: AuthOptions | 'none';
  /**
   * Non-causal call ordering (default true). Every call from Node starts on one
   * thread, so causal ordering would make calls on one binding wait for each other.
   */
  nonCausal?: boolean;
  /** A timeout in milliseconds for every call on this binding that names none itself. */
  timeout?: number;
  /**
   * Binding handles to make (1 to 64, default 1), used in turn by successive calls:
   * each has its own connection, so calls on one binding are spread across several.
   */
  pool?: number;
}

/** What native code needs for RpcBindingSetAuthInfoEx; null: leave the runtime's default. */
export interface NativeAuth {
  service: number;
  level: number;
  principal?: string;
  user?: string;
  domain?: string;
  password?: string;
  impersonation?: number;
  identityTracking?: number;
  capabilities?: number;
}

export const SERVICES: Record<AuthService, number> = { none: 0, ntlm: 10, negotiate: 9, kerberos: 16 };
const LEVELS: Record<AuthLevel, number> = { connect: 2, integrity: 5, privacy: 6 };
const IMPERSONATION = { anonymous: 1, identify: 2, impersonate: 3, delegate: 4 } as const;
const IDENTITY_TRACKING = { static: 0, dynamic: 1 } as const;
const RPC_C_AUTHN_LEVEL_NONE = 1;
const RPC_C_QOS_CAPABILITIES_MUTUAL_AUTH = 1;
export const RPC_C_OPT_BINDING_NONCAUSAL = 9;

/** The protocol sequence of a string binding (`[uuid@]protseq:…`). */
export function protseqOf(stringBinding: string): string {
  const afterUuid = stringBinding.slice(stringBinding.indexOf('@') + 1);
  return afterUuid.slice(0, afterUuid.indexOf(':')).toLowerCase();
}

export function checkBindingOptions(options: unknown, where: string): BindingOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${where}: options must be an object`);
  const { auth, nonCausal, timeout, pool } = options as BindingOptions;
  if (pool !== undefined && (!Number.isInteger(pool) || pool < 1 || pool > 64)) {
    throw new TypeError(`${where}: options.pool must be an integer from 1 to 64`);
  }
  if (nonCausal !== undefined && typeof nonCausal !== 'boolean') {
    throw new TypeError(`${where}: options.nonCausal must be a boolean`);
  }
  if (
    timeout !== undefined &&
    (typeof timeout !== 'number' || !(timeout >= 0) || !Number.isFinite(timeout))
  ) {
    throw new TypeError(`${where}: options.timeout must be a non-negative number of milliseconds`);
  }
  if (auth !== undefined && auth !== 'none') checkAuth(auth, `${where}: options.auth`);
  return options as BindingOptions;
}

function checkAuth(auth: unknown, path: string): void {
  if (typeof auth !== 'object' || auth === null) throw new TypeError(`${path} must be an object or 'none'`);
  const { service, level, serverPrincipalName, credentials, qos } = auth as AuthOptions;
  if (service !== undefined && !(service in SERVICES)) {
    throw new TypeError(`${path}.service must be one of ${Object.keys(SERVICES).join(', ')}`);
  }
  if (level !== undefined && !(level in LEVELS)) {
    throw new TypeError(`${path}.level must be one of ${Object.keys(LEVELS).join(', ')}`);
  }
  if (
    service === 'none' &&
    (level !== undefined || credentials !== undefined || serverPrincipalName !== undefined || qos)
  ) {
    throw new TypeError(`${path}: service 'none' takes no level, credentials, principal name or qos`);
  }
  if (serverPrincipalName !== undefined && typeof serverPrincipalName !== 'string') {
    throw new TypeError(`${path}.serverPrincipalName must be a string`);
  }
  if (credentials !== undefined) {
    const { user, domain, password } = credentials as Record<string, unknown>;
    if (typeof user !== 'string' || user === '')
      throw new TypeError(`${path}.credentials.user must be a non-empty string`);
    if (typeof password !== 'string') throw new TypeError(`${path}.credentials.password must be a string`);
    if (domain !== undefined && typeof domain !== 'string')
      throw new TypeError(`${path}.credentials.domain must be a string`);
  }
  if (qos !== undefined) {
    if (typeof qos !== 'object' || qos === null) throw new TypeError(`${path}.qos must be an object`);
    if (qos.impersonation !== undefined && !(qos.impersonation in IMPERSONATION)) {
      throw new TypeError(
        `${path}.qos.impersonation must be one of ${Object.keys(IMPERSONATION).join(', ')}`,
      );
    }
    if (qos.identityTracking !== undefined && !(qos.identityTracking in IDENTITY_TRACKING)) {
      throw new TypeError(`${path}.qos.identityTracking must be static or dynamic`);
    }
    if (qos.mutualAuthentication !== undefined && typeof qos.mutualAuthentication !== 'boolean') {
      throw new TypeError(`${path}.qos.mutualAuthentication must be a boolean`);
    }
    // NTLM cannot authenticate the server to the client.
    if (qos.mutualAuthentication && service === 'ntlm') {
      throw new TypeError(`${path}: NTLM cannot do mutual authentication; use negotiate or kerberos`);
    }
  }
}

/** The auth settings a binding gets, defaults applied; null keeps the runtime's default. */
export function nativeAuth(protseq: string, auth: BindingOptions['auth']): NativeAuth | null {
  if (auth === 'none') return protseq === 'ncalrpc' ? null : { service: 0, level: RPC_C_AUTHN_LEVEL_NONE };
  if (auth === undefined) {
    return protseq === 'ncalrpc' ? null : { service: SERVICES.negotiate, level: LEVELS.privacy };
  }
  const service = SERVICES[auth.service ?? 'negotiate'];
  if (service === 0) return { service: 0, level: RPC_C_AUTHN_LEVEL_NONE };
  const result: NativeAuth = { service, level: LEVELS[auth.level ?? 'privacy'] };
  if (auth.serverPrincipalName !== undefined) result.principal = auth.serverPrincipalName;
  if (auth.credentials) {
    result.user = auth.credentials.user;
    result.domain = auth.credentials.domain ?? '';
    result.password = auth.credentials.password;
  }
  if (auth.qos) {
    result.impersonation = IMPERSONATION[auth.qos.impersonation ?? 'identify'];
    result.identityTracking = IDENTITY_TRACKING[auth.qos.identityTracking ?? 'static'];
    result.capabilities = auth.qos.mutualAuthentication ? RPC_C_QOS_CAPABILITIES_MUTUAL_AUTH : 0;
  }
  return result;
}

/** A readable summary for error messages: never the credentials. */
export function describeAuth(auth: NativeAuth | null): string {
  if (!auth) return 'local default authentication';
  const service = Object.entries(SERVICES).find(([, n]) => n === auth.service)?.[0] ?? String(auth.service);
  const level = Object.entries(LEVELS).find(([, n]) => n === auth.level)?.[0] ?? String(auth.level);
  return auth.service === 0
    ? 'no authentication'
    : `${service} at ${level}${auth.user ? ', explicit credentials' : ''}`;
}
