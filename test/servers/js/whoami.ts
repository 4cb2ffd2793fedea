// whoami.c in JS: the caller's authentication level and service, as the call says.
import type { ServerCallInfo } from '../../../lib/index.js';
import type { JsTwinFactory } from './twin.js';

/** RpcBindingInqAuthClient's answer for an unauthenticated call, which whoami.c returns. */
const RPC_S_BINDING_HAS_NO_AUTH = 1746;

const whoami: JsTwinFactory = () => ({
  impl: {
    CallerAuth: (call: ServerCallInfo) => ({
      level: call.authLevel,
      service: call.authService,
      returnValue: call.authService === 0 ? RPC_S_BINDING_HAS_NO_AUTH : 0,
    }),
  },
  // whoami.c registers NTLM (and Negotiate, which Wine's servers cannot complete).
  listen: { auth: { service: 'ntlm' }, allowInsecure: true },
});
export default whoami;
