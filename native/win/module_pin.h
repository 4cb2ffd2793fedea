// Keeps the addon's module loaded until the process ends.
//
// Node unloads an addon (FreeLibrary) when the last environment that loaded it goes: a
// Worker that loaded winrpc, in a process whose main thread never did, unloads it as it
// exits, and the next Worker loads a fresh copy. Code and data of the module outlive any
// one environment, though: the runtime calls the rundown routine of every context handle
// a server handed out whenever its client goes, also after the server's Worker has gone;
// the thread close() starts may still be returning; the completion port's thread runs
// for the process. Measured under Wine 8 without the pin: a thread executed the unloaded
// image (page fault on execute in winpthreads' thread start) after a Worker server's
// close(), and each reload started the module's process-wide state afresh.
#pragma once

namespace winrpc {

// Pins the module that holds this code (GET_MODULE_HANDLE_EX_FLAG_PIN); idempotent.
// Returns false when the loader refused (the module then unloads as before).
bool pin_module();

}  // namespace winrpc
