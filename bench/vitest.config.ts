import { defineConfig } from 'vitest/config';

// Benchmarks, not tests: `npx vitest run --config bench/vitest.config.ts [name]` (see bench/README.md).
export default defineConfig({
  test: {
    include: ['bench/**/*.bench-run.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['verbose'],
    setupFiles: ['test/temp-dirs.setup.ts'],
  },
});
