import { marshalItem, unmarshalItem } from '../../../lambdas/shared/dynamo-codec';

test('round-trips the values the incidents table uses', () => {
  const value = { s: 'x', n: 1.5, b: true, z: null, l: [1, 'a'], m: { 'a.0.1.topic': { st: 'sent' } } };
  const item = marshalItem({ ...value, skipped: undefined });
  expect(item).toEqual({
    s: { S: 'x' }, n: { N: '1.5' }, b: { BOOL: true }, z: { NULL: true }, l: { L: [{ N: '1' }, { S: 'a' }] },
    m: { M: { 'a.0.1.topic': { M: { st: { S: 'sent' } } } } },
  });
  expect(unmarshalItem(item)).toEqual(value);
});

test('refuses numbers DynamoDB cannot store', () => {
  expect(() => marshalItem({ n: NaN })).toThrow(/cannot store/);
});
