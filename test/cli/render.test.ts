import { formatDuration, formatElapsed } from '../../lib/cli/render';
import { joinAnd } from '../../lib/private/format';
import { renderValue } from '../../lib/private/template-value';

describe('renderValue', () => {
  test.each<[string, unknown, string]>([
    ['a literal string as it is', 'arn:aws:lambda:eu-west-1:1:function:f', 'arn:aws:lambda:eu-west-1:1:function:f'],
    ['numbers and booleans as text', 42, '42'],
    ['Ref as ${LogicalId}', { Ref: 'CheckoutHandler1234' }, '${CheckoutHandler1234}'],
    ['a pseudo parameter', { Ref: 'AWS::Region' }, '${AWS::Region}'],
    ['Fn::GetAtt as ${LogicalId.Attribute}', { 'Fn::GetAtt': ['CheckoutHandler1234', 'Arn'] }, '${CheckoutHandler1234.Arn}'],
    ['the short Fn::GetAtt form', { 'Fn::GetAtt': 'CheckoutHandler1234.Arn' }, '${CheckoutHandler1234.Arn}'],
    ['Fn::Join with its parts rendered',
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':fn']] },
      'arn:${AWS::Partition}:lambda:${AWS::Region}:fn'],
    ['Fn::Join of alarm ARNs with commas',
      { 'Fn::Join': [',', [{ 'Fn::GetAtt': ['A', 'Arn'] }, { 'Fn::GetAtt': ['B', 'Arn'] }]] }, '${A.Arn},${B.Arn}'],
    ['Fn::Sub text as it is', { 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}' }, 'arn:${AWS::Partition}:logs:${AWS::Region}'],
    ['Fn::Sub with its variables filled in',
      { 'Fn::Sub': ['arn:aws:s3:::${Bucket}/${Key}', { Bucket: { Ref: 'LogBucket' } }] }, 'arn:aws:s3:::${LogBucket}/${Key}'],
    ['Fn::Select on a literal list picks the item', { 'Fn::Select': [1, ['a', 'b']] }, 'b'],
    ['Fn::Select on an intrinsic', { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }, '${Select(0, ${GetAZs()})}'],
    ['Fn::ImportValue', { 'Fn::ImportValue': 'SharedAlarmArn' }, '${Import SharedAlarmArn}'],
    ['a list', ['a', { Ref: 'B' }], '[a, ${B}]'],
    ['a plain object as JSON', { Key: 'service', Value: 'checkout' }, '{"Key":"service","Value":"checkout"}'],
  ])('renders %s', (_, value, expected) => {
    expect(renderValue(value)).toBe(expected);
  });
});

describe('formatting', () => {
  test.each<[number, string]>([[0, '0s'], [45, '45s'], [600, '10m'], [5400, '1h 30m'], [125, '2m 5s'], [90061, '1d 1h 1m 1s']])(
    'formatDuration(%d) is %s', (seconds, text) => {
      expect(formatDuration(seconds)).toBe(text);
    });

  test('formatElapsed counts minutes past 59', () => {
    expect(formatElapsed(0)).toBe('[00:00]');
    expect(formatElapsed(65_900)).toBe('[01:05]');
    expect(formatElapsed(75 * 60_000 + 3_000)).toBe('[75:03]');
  });

  test('joinAnd', () => {
    expect(joinAnd(['a'])).toBe('a');
    expect(joinAnd(['a', 'b', 'c'])).toBe('a, b and c');
  });
});
