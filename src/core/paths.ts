/** Locates files shipped with the package (schemas, scenarios), from source and from dist/ alike. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The folder holding dma-audit's package.json. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'schemas'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('dma-audit: cannot find the package root');
    dir = parent;
  }
  root = dir;
  return dir;
}

/** Absolute path of a file inside the package. */
export function packagePath(...segments: string[]): string {
  return join(packageRoot(), ...segments);
}
