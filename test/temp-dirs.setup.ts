// Every test file's temp folders (test/helpers.ts, tempDir) are removed once its tests have run.
import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers.js';

afterAll(() => removeTempDirs());
