// The directory third-party addons add to `include_dirs` to use <interop/buffer.h>, as
// node-addon-api does:  "include_dirs": ["<!(node -p \"require('@interop/native/include').include_dir\")"]
'use strict';
const path = require('node:path');

const includeDir = path.join(__dirname, 'include');
module.exports = { include_dir: includeDir, include: JSON.stringify(includeDir) };
