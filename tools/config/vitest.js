// Shared vitest configuration: one vitest project per package, resolving workspace packages to
// their TypeScript sources (the "@interop/source" export condition) so tests need no build.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Registers the huge-page allocator when INTEROP_ALLOCATOR=huge-page (a no-op otherwise).
const allocatorSetup = fileURLToPath(new URL('./allocator-setup.js', import.meta.url));

const sourceConditions = ['@interop/source', 'import', 'module', 'node', 'default'];

/**
 * @param {{ testTimeout?: number, include?: string[], exclude?: string[], setupFiles?: string[] }} [options]
 */
export function packageVitestConfig(options = {}) {
  return defineConfig({
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions, externalConditions: ['@interop/source'] } },
    test: {
      include: options.include ?? ['test/**/*.test.ts'],
      exclude: options.exclude ?? ['**/node_modules/**', '**/dist/**'],
      testTimeout: options.testTimeout ?? 60_000,
      hookTimeout: 120_000,
      setupFiles: [allocatorSetup, ...(options.setupFiles ?? [])],
      reporters: ['default', 'json'],
      outputFile: { json: '.vitest/report.json' },
      pool: 'forks',
    },
  });
}
