{
  # The Windows build (node-gyp, MSVC) of native/. The Linux cross build of the same
  # sources is CMakeLists.txt; keep their source lists and defines in step.
  # winrpc_test_hooks=1 (scripts/build-native.mjs, for the tests only) adds the
  # test-only exports; prebuilds and users' builds leave it 0.
  "variables": { "winrpc_test_hooks%": 0 },
  "targets": [
    {
      "target_name": "winrpc",
      "conditions": [
        ["OS=='win'", {
          "sources": [
            "native/addon.cc",
            "native/completion_hub.cc",
            "native/engine_env.cc",
            "native/rpc_api.cc",
            "native/server_api.cc",
            "native/win/call_memory.cc",
            "native/win/completion_port.cc",
            "native/win/expr_eval.cc",
            "native/win/module_pin.cc",
            "native/win/rpc_binding.cc",
            "native/win/rpc_call.cc",
            "native/win/rpc_interface.cc",
            "native/win/rpc_server.cc",
            "native/win/seh_guard.c"
          ],
          "include_dirs": ["native"],
          "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
          "defines": [
            "NAPI_VERSION=8",
            "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS",
            "WIN32_LEAN_AND_MEAN",
            "NOMINMAX",
            "_WIN32_WINNT=0x0A00"
          ],
          "libraries": ["rpcrt4.lib"],
          "msvs_settings": {
            "VCCLCompilerTool": {
              "AdditionalOptions": ["/std:c++17", "/guard:cf", "/sdl", "/W4"],
              "ExceptionHandling": 1,
              "BufferSecurityCheck": "true"
            },
            "VCLinkerTool": {
              "AdditionalOptions": ["/guard:cf", "/DYNAMICBASE", "/NXCOMPAT", "/HIGHENTROPYVA"]
            }
          },
          "conditions": [
            ["winrpc_test_hooks==1", { "defines": ["WINRPC_TEST_HOOKS"] }],
            # CET shadow stacks exist on x64 only; link.exe rejects /CETCOMPAT for ARM64.
            ["target_arch=='x64'", {
              "msvs_settings": { "VCLinkerTool": { "AdditionalOptions": ["/CETCOMPAT"] } }
            }]
          ]
        }]
      ]
    }
  ]
}
