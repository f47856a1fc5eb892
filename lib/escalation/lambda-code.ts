/**
 * Where the prebuilt handler bundles are. `npm run build` bundles `lambdas/<name>/index.ts` into
 * `dist/lambdas/<name>/index.js` with the local esbuild; constructs point their code at those
 * folders, so synth never bundles and never needs Docker. The folders are found from the package
 * root, whether this file runs from `lib/` (ts-jest, ts-node) or from `dist/lib/` (the published package).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { PACKAGE_NAME, packageRoot } from '../private/package-root';

/**
 * The runtime of the handlers: the newest Node.js that aws-cdk-lib knows (cdk-nag's
 * `AwsSolutions-L1` and `Serverless-LambdaLatestVersion` ask for it). The bundles target Node.js 22
 * syntax and use only async handlers, so they run unchanged on 24 (which dropped callback
 * handlers). Built by name on aws-cdk-lib releases older than `Runtime.NODEJS_24_X`.
 */
export const HANDLER_RUNTIME: lambda.Runtime = lambda.Runtime.NODEJS_24_X
  ?? new lambda.Runtime('nodejs24.x', lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true });

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
