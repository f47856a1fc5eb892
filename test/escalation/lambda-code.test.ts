import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { handlerBundleDirectory } from '../../lib/escalation/lambda-code';
import { packageRoot } from '../../lib/private/package-root';

describe('locating the prebuilt handler bundles', () => {
  let root: string;

  beforeEach(() => {
    // GIVEN a package named cdk-reliability with this file at dist/lib/escalation, as when installed from npm
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-reliability-'));
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'cdk-reliability' }));
    fs.mkdirSync(path.join(root, 'dist', 'lib', 'escalation'), { recursive: true });
    // and a consumer's package.json below it must not stop the walk
    fs.mkdirSync(path.join(root, 'dist', 'lib', 'node_modules-like'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dist', 'lib', 'package.json'), JSON.stringify({ name: 'something-else' }));
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('walks up to the package.json named cdk-reliability', () => {
    expect(packageRoot(path.join(root, 'dist', 'lib', 'escalation'))).toBe(root);
  });

  test('finds dist/lambdas/<name> when its index.js exists', () => {
    fs.mkdirSync(path.join(root, 'dist', 'lambdas', 'escalation'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dist', 'lambdas', 'escalation', 'index.js'), 'exports.handler = async () => {};');
    expect(handlerBundleDirectory('escalation', path.join(root, 'dist', 'lib', 'escalation'))).toBe(path.join(root, 'dist', 'lambdas', 'escalation'));
  });

  test('throws, telling the user to run npm run build, when the bundle is missing', () => {
    expect(() => handlerBundleDirectory('acknowledge', path.join(root, 'dist', 'lib', 'escalation'))).toThrow(
      `cdk-reliability: the bundle of the 'acknowledge' Lambda handler is missing (${path.join(root, 'dist', 'lambdas', 'acknowledge', 'index.js')}). `
      + `Run \`npm run build\` in ${root} (it bundles lambdas/acknowledge/index.ts with esbuild), then synthesize again`);
  });

  test('throws when no package named cdk-reliability is above', () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'elsewhere-'));
    try {
      expect(() => packageRoot(elsewhere)).toThrow(/cannot find the package root \(a package.json named 'cdk-reliability'\) above/);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  test('from this repository\'s sources, the root is the repository', () => {
    expect(packageRoot()).toBe(path.resolve(__dirname, '..', '..'));
  });
});
