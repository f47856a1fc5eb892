import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { packageRoot } from '../../lib/private/package-root';
import { formatProblems } from '../../lib/private/problems';

describe('formatProblems: one error for every problem found', () => {
  test('one problem reads as one line: path, prop, message', () => {
    expect(formatProblems('Shop/Checkout', [{ prop: 'objective', message: 'must be > 0, got 0' }]))
      .toBe('Shop/Checkout: objective: must be > 0, got 0');
  });

  test('several problems are counted and listed a line each, in the order found', () => {
    expect(formatProblems('Shop/Checkout', [
      { prop: 'objective', message: 'must be > 0, got 0' },
      { prop: 'window', message: 'must be at least 1 hour, got 5m' },
    ])).toBe('Shop/Checkout: 2 problems:\n  - objective: must be > 0, got 0\n  - window: must be at least 1 hour, got 5m');
  });
});

describe('packageRoot from lib/private', () => {
  test('from this repository\'s sources, the root is the repository', () => {
    expect(packageRoot()).toBe(path.resolve(__dirname, '..', '..'));
  });

  test('from dist/lib/private of an installed package, the root is the package, not a package.json below it', () => {
    // GIVEN a package named cdk-reliability with a package.json of another name below it
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-reliability-'));
    try {
      fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'cdk-reliability' }));
      fs.mkdirSync(path.join(root, 'dist', 'lib', 'private'), { recursive: true });
      fs.writeFileSync(path.join(root, 'dist', 'lib', 'package.json'), JSON.stringify({ name: 'something-else' }));
      // THEN the walk passes it
      expect(packageRoot(path.join(root, 'dist', 'lib', 'private'))).toBe(root);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
