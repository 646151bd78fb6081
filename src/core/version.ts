/** The tool's name and version as recorded in every bundle. */
import { readFileSync } from 'node:fs';
import { packagePath } from './paths.js';

/** Reads the version from package.json once. */
export const TOOL = {
  name: 'dma-audit' as const,
  version: (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version,
};
