import { defineConfig } from 'vitest/config';

/** `npm run test:hostile`: the full hostile-target matrix (npm test runs a subset of it). */
export default defineConfig({
  test: {
    include: ['test/hostile/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { DMA_AUDIT_HOSTILE: 'full' },
    setupFiles: ['test/temp-dirs.setup.ts'],
  },
});
