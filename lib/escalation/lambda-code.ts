/**
 * Where the prebuilt handler bundles are. `npm run build` bundles `lambdas/<name>/index.ts` into
 * `dist/lambdas/<name>/index.js` with the local esbuild; constructs point their code at those
 * folders, so synth never bundles and never needs Docker. The folders are found from the package
 * root, whether this file runs from `lib/` (ts-jest, ts-node) or from `dist/lib/` (the published package).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * The runtime of the handlers: the newest Node.js that aws-cdk-lib knows (cdk-nag's
 * `AwsSolutions-L1` and `Serverless-LambdaLatestVersion` ask for it). The bundles target Node.js 22
 * syntax and use only async handlers, so they run unchanged on 24 (which dropped callback
 * handlers). Built by name on aws-cdk-lib releases older than `Runtime.NODEJS_24_X`.
 */
export const HANDLER_RUNTIME: lambda.Runtime = lambda.Runtime.NODEJS_24_X
  ?? new lambda.Runtime('nodejs24.x', lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true });

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

/**
 * The folder holding the bundle of handler `name` (`dist/lambdas/<name>`); throws, saying how to
 * build it, when `index.js` is missing.
 */
export function handlerBundleDirectory(name: string, from: string = __dirname): string {
  const root = packageRoot(from);
  const dir = path.join(root, 'dist', 'lambdas', name);
  if (!fs.existsSync(path.join(dir, 'index.js'))) {
    throw new Error(`${PACKAGE_NAME}: the bundle of the '${name}' Lambda handler is missing (${path.join(dir, 'index.js')}). `
      + `Run \`npm run build\` in ${root} (it bundles lambdas/${name}/index.ts with esbuild), then synthesize again`);
  }
  return dir;
}

/** The code of handler `name`: its prebuilt bundle as an asset. */
export function handlerCode(name: string): lambda.Code {
  return lambda.Code.fromAsset(handlerBundleDirectory(name));
}
