/* Shared start-up of winrpc's MIDL-style test clients: the independent check of
   winrpc's servers. Each client is the stub MIDL (or widl) generates from a test IDL,
   driven by a small C program that prints one line per call for the test to compare. */
#ifndef WINRPC_TEST_CLIENT_MAIN_H
#define WINRPC_TEST_CLIENT_MAIN_H

#include <rpc.h>

/* Exit codes the end-to-end test relies on (test/e2e/c-clients.test.ts). */
#define CLIENT_EXIT_OK 0
#define CLIENT_EXIT_FAILURE 1
#define CLIENT_EXIT_USAGE 2

/* The client's work, once the binding is set: argv[0] is the mode, then its arguments. */
typedef int (*client_body)(int argc, char** argv);

/*
 * Parses `<string binding> <mode> [args...]`, binds, stores the binding in the stub's
 * implicit handle (CLIENT_HANDLE, named by scripts/build-test-clients.mjs; the client
 * file includes the generated stub, where widl declares it static), runs body with
 * stdout unbuffered and in binary mode (LF line ends), and unbinds.
 */
int run_client(int argc, char** argv, RPC_BINDING_HANDLE* auto_handle, client_body body);

/* Runs call(context) under SEH: returns 0, or the RPC exception code it raised. */
typedef void (*guarded_call)(void* context);
unsigned long rpc_guard(guarded_call call, void* context);

#endif
