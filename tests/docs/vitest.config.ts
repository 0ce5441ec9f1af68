import { defineConfig } from 'vitest/config';

// Doc examples run against the built packages (no "@interop/source" condition), as users run them.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/report.json' },
  },
});
