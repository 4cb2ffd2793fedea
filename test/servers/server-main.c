/* Shared start-up of winrpc's test servers; see server-main.h. */
#include "server-main.h"

#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every call is let through: the servers test marshalling, not security. Windows
   rejects unauthenticated calls on some protocol sequences unless the interface
   has a security callback registered with RPC_IF_ALLOW_CALLBACKS_WITH_NO_AUTH. */
static RPC_STATUS RPC_ENTRY allow_every_call(RPC_IF_HANDLE interface_spec, void* context) {
  (void)interface_spec;
  (void)context;
  return RPC_S_OK;
}

static int fail(const char* server_name, const char* what, RPC_STATUS status) {
  fprintf(stderr, "%s: %s failed with status %ld (0x%08lx)\n", server_name, what, (long)status,
          (unsigned long)status);
  fflush(stderr);
  if (status == RPC_S_DUPLICATE_ENDPOINT) {
    return SERVER_EXIT_ENDPOINT_IN_USE;
  }
  return SERVER_EXIT_FAILURE;
}

static RPC_STATUS register_with_endpoint_mapper(RPC_IF_HANDLE interface_spec,
                                                const char* server_name) {
  RPC_BINDING_VECTOR* bindings = NULL;
  RPC_STATUS status = RpcServerInqBindings(&bindings);
  if (status != RPC_S_OK) {
    return status;
  }
  status = RpcEpRegisterA(interface_spec, bindings, NULL, (RPC_CSTR)server_name);
  RpcBindingVectorFree(&bindings);
  return status;
}

static void unregister_from_endpoint_mapper(RPC_IF_HANDLE interface_spec) {
  RPC_BINDING_VECTOR* bindings = NULL;
  if (RpcServerInqBindings(&bindings) == RPC_S_OK) {
    RpcEpUnregister(interface_spec, bindings, NULL);
    RpcBindingVectorFree(&bindings);
  }
}

int run_server(int argc, char** argv, RPC_IF_HANDLE interface_spec, const char* server_name) {
  RPC_STATUS status;
  const char* protseq;
  const char* endpoint;
  int dynamic;

  /* The fixture parses stdout line by line: no CRLF translation, no buffering. */
  _setmode(_fileno(stdout), _O_BINARY);
  _setmode(_fileno(stderr), _O_BINARY);

  if (argc != 3) {
    fprintf(stderr,
            "usage: %s <protseq> <endpoint>\n"
            "  ncalrpc <name> | ncacn_ip_tcp <port> | ncacn_np \\pipe\\<name>\n"
            "  <protseq> dynamic: an endpoint registered with the endpoint mapper\n",
            server_name);
    return SERVER_EXIT_USAGE;
  }
  protseq = argv[1];
  endpoint = argv[2];
  dynamic = strcmp(endpoint, "dynamic") == 0;

  if (dynamic) {
    /* The runtime picks the endpoint; clients find it through the endpoint mapper. */
    status = RpcServerUseProtseqA((RPC_CSTR)protseq, RPC_C_PROTSEQ_MAX_REQS_DEFAULT, NULL);
  } else {
    status = RpcServerUseProtseqEpA((RPC_CSTR)protseq, RPC_C_PROTSEQ_MAX_REQS_DEFAULT,
                                    (RPC_CSTR)endpoint, NULL);
  }
  if (status != RPC_S_OK) {
    return fail(server_name, "RpcServerUseProtseqEp", status);
  }

  /* Authenticated calls are accepted too (the binding tests look at them), but never
     required. Without an NTLM/Negotiate package (Wine lacking ntlm_auth) this fails
     and the server serves unauthenticated calls only. */
  RpcServerRegisterAuthInfoA(NULL, RPC_C_AUTHN_WINNT, NULL, NULL);
  RpcServerRegisterAuthInfoA(NULL, RPC_C_AUTHN_GSS_NEGOTIATE, NULL, NULL);

  status = RpcServerRegisterIf2(interface_spec, NULL, NULL, RPC_IF_ALLOW_CALLBACKS_WITH_NO_AUTH,
                                RPC_C_LISTEN_MAX_CALLS_DEFAULT, (unsigned int)-1, allow_every_call);
  if (status != RPC_S_OK) {
    return fail(server_name, "RpcServerRegisterIf2", status);
  }

  if (dynamic) {
    status = register_with_endpoint_mapper(interface_spec, server_name);
    if (status != RPC_S_OK) {
      return fail(server_name, "RpcEpRegister", status);
    }
  }
  /* DontWait: the LISTENING line must only appear once calls can be served. */
  status = RpcServerListen(1, RPC_C_LISTEN_MAX_CALLS_DEFAULT, TRUE);
  if (status != RPC_S_OK) {
    return fail(server_name, "RpcServerListen", status);
  }

  printf("LISTENING %s %s\n", protseq, endpoint);
  fflush(stdout);

  status = RpcMgmtWaitServerListen();
  if (status != RPC_S_OK) {
    return fail(server_name, "RpcMgmtWaitServerListen", status);
  }
  if (dynamic) {
    unregister_from_endpoint_mapper(interface_spec);
  }
  RpcServerUnregisterIf(interface_spec, NULL, FALSE);
  return SERVER_EXIT_OK;
}

void stop_server(void) { RpcMgmtStopServerListening(NULL); }

/* The stubs allocate [out] and unmarshalled [in] memory through these. */
void* __RPC_USER MIDL_user_allocate(SIZE_T size) { return malloc(size); }

void __RPC_USER MIDL_user_free(void* pointer) { free(pointer); }
