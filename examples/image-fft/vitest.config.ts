import { packageVitestConfig } from '@interop/config/vitest';

export default packageVitestConfig();
