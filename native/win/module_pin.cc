#include "module_pin.h"

#include <windows.h>

namespace winrpc {

bool pin_module() {
  HMODULE self = nullptr;
  return GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
                            reinterpret_cast<LPCWSTR>(reinterpret_cast<const void*>(&pin_module)),
                            &self) != 0;
}

}  // namespace winrpc
