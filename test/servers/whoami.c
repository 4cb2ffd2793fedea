/* Manager routines of the whoami test server (whoami.idl). */
#include "whoami.h"

#include "server-main.h"

LONG __cdecl CallerAuth(LONG* level, LONG* service) {
  unsigned long authn_level = 0, authn_service = 0;
  RPC_STATUS status =
      RpcBindingInqAuthClientA(NULL, NULL, NULL, &authn_level, &authn_service, NULL);
  *level = status == RPC_S_OK ? (LONG)authn_level : 0;
  *service = status == RPC_S_OK ? (LONG)authn_service : 0;
  return (LONG)status;
}

int main(int argc, char** argv) { return run_server(argc, argv, whoami_v1_0_s_ifspec, "whoami"); }
