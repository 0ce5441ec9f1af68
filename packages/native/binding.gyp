{
  "targets": [
    {
      "target_name": "interop_native",
      "sources": ["addon/interop_native.cc", "addon/shared_export.cc", "addon/huge_pages.cc", "addon/v8_memory.cc", "addon/codecs.cc"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "include"
      ],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
      "defines": ["NAPI_VERSION=8", "INTEROP_NODE_MODULE_VERSION=<!(node -p process.versions.modules)"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra"],
      "conditions": [
        ["OS=='linux'", { "libraries": ["-lrt", "-ldl"] }],
        ["OS=='mac'", { "xcode_settings": { "GCC_ENABLE_CPP_EXCEPTIONS": "YES", "CLANG_CXX_LANGUAGE_STANDARD": "c++17", "MACOSX_DEPLOYMENT_TARGET": "11.0" } }]
      ]
    }
  ]
}
