import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'suites/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Files share a worker's module cache: re-importing the catalogue, ajv schemas and libsignal for every
    // file cost more CPU than all the unit tests together. Test helpers hand out fresh objects for that.
    // Workers stay at vitest's default (cores − 1): on 2 cores, more workers beside the timing-sensitive
    // files (a planted slow lane under 2 ms, rate-limit bursts) turned their fails into inconclusives.
    isolate: false,
    setupFiles: ['test/temp-dirs.setup.ts'],
  },
});
