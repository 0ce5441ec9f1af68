{
  "targets": [
    {
      "target_name": "interop_sample",
      "sources": ["sample.cc"],
      "include_dirs": ["<!(node -p \"require('@interop/native/include').include_dir\")"],
      "defines": ["NAPI_VERSION=8"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-fexceptions"],
      "cflags_cc!": ["-fno-exceptions"]
    }
  ]
}
