// Shared vitest configuration: one vitest project per package, resolving workspace packages to
// their TypeScript sources (the "@interop/source" export condition) so tests need no build.
import { defineConfig } from 'vitest/config';

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
      setupFiles: options.setupFiles ?? [],
      reporters: ['default', 'json'],
      outputFile: { json: '.vitest/report.json' },
      pool: 'forks',
    },
  });
}
