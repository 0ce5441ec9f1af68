import { packageVitestConfig } from '@interop/config/vitest';
import { mergeConfig } from 'vitest/config';

// The global setup builds the sample addon (test/addon-sample) and, when missing, the package's addon.
export default mergeConfig(packageVitestConfig(), { test: { globalSetup: ['test/global-setup.ts'] } });
