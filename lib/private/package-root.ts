/**
 * Finding this package's own files (the handler bundles, package.json) from wherever the code
 * runs: `lib/` under ts-jest and ts-node, `dist/lib/` in the published package.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The `name` in this package's package.json. */
export const PACKAGE_NAME = 'cdk-reliability';

/** The root of this package: the nearest folder at or above `from` whose package.json is named `cdk-reliability`. */
export function packageRoot(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if (JSON.parse(fs.readFileSync(manifest, 'utf8')).name === PACKAGE_NAME) {
          return dir;
        }
      } catch {
        // not a readable manifest: keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`${PACKAGE_NAME}: cannot find the package root (a package.json named '${PACKAGE_NAME}') above ${from}`);
    }
    dir = parent;
  }
}
