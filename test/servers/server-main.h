/* Shared start-up of winrpc's test servers: one interface, one endpoint. */
#ifndef WINRPC_TEST_SERVER_MAIN_H
#define WINRPC_TEST_SERVER_MAIN_H

#include <rpc.h>

/* Exit codes the test fixture relies on (test/support/rpc-server.ts). */
#define SERVER_EXIT_OK 0
#define SERVER_EXIT_FAILURE 1
#define SERVER_EXIT_USAGE 2
#define SERVER_EXIT_ENDPOINT_IN_USE 3

/*
 * Parses `<protseq> <endpoint>`, listens on that endpoint only, prints
 * "LISTENING <protseq> <endpoint>\n" once calls can be served, and returns the exit
 * code when listening stops (RpcMgmtStopServerListening) or start-up fails.
 */
int run_server(int argc, char** argv, RPC_IF_HANDLE interface_spec, const char* server_name);

/* Asks run_server to return: calls in flight finish first. */
void stop_server(void);

#endif
