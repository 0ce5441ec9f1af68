import { defineConfig } from 'vite';

// The page imports the built packages (their "default" export condition), as an application would.
export default defineConfig({
  build: { target: 'es2022', reportCompressedSize: false },
  logLevel: 'warn',
});
