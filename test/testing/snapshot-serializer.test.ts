import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { format } from 'pretty-format';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ReliabilitySnapshot } from '../../lib';

const { ASSET_HASH_SERIALIZER: assetHashSerializer, ASSET_HASH_PLACEHOLDER } = ReliabilitySnapshot;

// the shape users pass to jest: a plain plugin object with test and serialize
expect.addSnapshotSerializer(ReliabilitySnapshot.ASSET_HASH_SERIALIZER);

function stackWithAsset(code: string): Record<string, unknown> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asset-'));
  fs.writeFileSync(path.join(dir, 'index.js'), code);
  const stack = new Stack(new App(), 'Assets');
  new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromAsset(dir) });
  const json = Template.fromStack(stack).toJSON();
  fs.rmSync(dir, { recursive: true, force: true });
  return json;
}

describe('ReliabilitySnapshot.ASSET_HASH_SERIALIZER', () => {
  test('replaces asset hashes so a code change does not churn the snapshot', () => {
    const before = stackWithAsset('exports.handler = async () => 1;');
    const after = stackWithAsset('exports.handler = async () => 2;');
    expect(JSON.stringify(before)).not.toEqual(JSON.stringify(after));
    const printed = (value: unknown) => format(value, { plugins: [assetHashSerializer] });
    expect(printed(after)).toEqual(printed(before));
    expect(printed(before)).toContain(`"S3Key": "${ASSET_HASH_PLACEHOLDER}.zip"`);
    expect(ASSET_HASH_PLACEHOLDER).toBe('[ASSET HASH]');
    expect(before).toMatchSnapshot();
  });

  test('replaces a hash inside a longer string and leaves other strings alone', () => {
    const hash = 'a'.repeat(64);
    expect(assetHashSerializer.test(`${hash}.zip`)).toBe(true);
    expect(assetHashSerializer.serialize(`${hash}.zip`)).toBe(`"${ASSET_HASH_PLACEHOLDER}.zip"`);
    expect(assetHashSerializer.test('checkout-availability-page')).toBe(false);
    expect(assetHashSerializer.test(42)).toBe(false);
  });
});
