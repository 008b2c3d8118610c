/** A file of the repository, found from here whether this runs from test/ or compiled into dist-*. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

export function repoFile(relative: string): string {
  if (root === null) {
    let dir = path.dirname(fileURLToPath(import.meta.url));
    while (!existsSync(path.join(dir, 'package.json')) || existsSync(path.join(dir, 'tsconfig.build.json')) === false) {
      const up = path.dirname(dir);
      if (up === dir) throw new Error('cannot find the repository root');
      dir = up;
    }
    root = dir;
  }
  return path.join(root, relative);
}
