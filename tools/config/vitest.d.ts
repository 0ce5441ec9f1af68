import type { UserConfig } from 'vitest/config';

export interface PackageVitestOptions {
  testTimeout?: number;
  include?: string[];
  exclude?: string[];
  setupFiles?: string[];
}

export function packageVitestConfig(options?: PackageVitestOptions): UserConfig;
