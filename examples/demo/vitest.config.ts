import { packageVitestConfig } from '@interop/config/vitest';

export default packageVitestConfig({ testTimeout: 300_000 });
