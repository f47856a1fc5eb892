import { Token } from 'aws-cdk-lib';
import { Selection, Targets } from '../../lib';

const FN_A = 'arn:aws:lambda:eu-west-1:111111111111:function:a';
const FN_B = 'arn:aws:lambda:eu-west-1:111111111111:function:b';

/** A Targets spec the public factories cannot produce, to show the guards hold anyway. */
function rawTargets(spec: Record<string, unknown>): Targets {
  return new (Targets as unknown as new (spec: Record<string, unknown>) => Targets)(spec);
}

describe('Selection', () => {
  test.each([
    [Selection.all(), 'ALL'],
    [Selection.count(2), 'COUNT(2)'],
    [Selection.percent(25), 'PERCENT(25)'],
    [Selection.percent(100), 'PERCENT(100)'],
  ])('%#: selection mode %s', (selection, mode) => {
    expect(selection.mode).toBe(mode);
    expect(selection._problem()).toBeUndefined();
  });

  test.each([0, -1, 1.5, NaN])('refuses Selection.count(%p)', (n) => {
    expect(Selection.count(n)._problem()).toBe(`Selection.count() takes a whole number of resources >= 1, got ${n}`);
  });

  test.each([0, 101, 2.5, -10])('refuses Selection.percent(%p)', (p) => {
    expect(Selection.percent(p)._problem()).toBe(`Selection.percent() takes a whole percentage from 1 to 100, got ${p}`);
  });
});

describe('Targets', () => {
  test('by ARNs: resources, no tags, all of them by default', () => {
    const t = Targets.arns([FN_A, FN_B]);
    expect(t._spec.arns).toEqual([FN_A, FN_B]);
    expect(t._spec.tags).toBeUndefined();
    expect(t._spec.selection.mode).toBe('ALL');
    expect(t._problems('target')).toEqual([]);
  });

  test('by tags: tags, no resources, the given selection and filters', () => {
    const t = Targets.tagged({ team: 'payments' }, Selection.percent(50), { filters: [{ path: 'State.Name', values: ['running'] }] });
    expect(t._spec.tags).toEqual({ team: 'payments' });
    expect(t._spec.arns).toBeUndefined();
    expect(t._spec.selection.mode).toBe('PERCENT(50)');
    expect(t._spec.filters).toEqual([{ path: 'State.Name', values: ['running'] }]);
    expect(t._problems('target')).toEqual([]);
  });

  test('never both resources and tags', () => {
    const t = rawTargets({ arns: [FN_A], tags: { team: 'payments' }, selection: Selection.all() });
    expect(t._problems('target')).toContainEqual({ prop: 'target', message: 'takes resources or tags, never both' });
  });

  test('refuses an empty list of resources', () => {
    expect(Targets.arns([])._problems('target')).toEqual([{
      prop: 'target',
      message: 'has no resources: an experiment must name what it hits (pass at least one resource, or select by tags with a count or percentage)',
    }]);
  });

  test('refuses empty tags: they would match nothing or everything', () => {
    expect(Targets.tagged({}, Selection.count(1))._problems('target')).toEqual([{
      prop: 'target',
      message: 'selects by tags but names none: that would match nothing or, worse, everything; pass at least one tag',
    }]);
  });

  test('refuses a target with neither resources nor tags as unbounded', () => {
    expect(rawTargets({ selection: Selection.all() })._problems('target')).toEqual([{
      prop: 'target',
      message: 'names no resource and no tag: an experiment with unbounded targets is refused',
    }]);
  });

  test('refuses a tag with an empty key or a value that is not a string', () => {
    expect(Targets.tagged({ ' ': 'x' }, Selection.all())._problems('target')).toEqual([
      { prop: 'target.tags', message: 'tag " " must have a non-empty key and a string value, got "x"' },
    ]);
    expect(Targets.tagged({ team: 3 as unknown as string }, Selection.all())._problems('target')).toEqual([
      { prop: 'target.tags', message: 'tag "team" must have a non-empty key and a string value, got 3' },
    ]);
  });

  test('refuses the same resource twice', () => {
    expect(Targets.arns([FN_A, FN_B, FN_A])._problems('target')).toEqual([{ prop: 'target', message: 'names a resource twice' }]);
  });

  test('refuses the same token twice (one function passed twice)', () => {
    const arn = Token.asString({ 'Fn::GetAtt': ['Handler', 'Arn'] });
    expect(Targets.arns([arn, arn])._problems('target')).toEqual([{ prop: 'target', message: 'names a resource twice' }]);
  });

  test('accepts tokens as ARNs', () => {
    const a = Token.asString({ 'Fn::GetAtt': ['A', 'Arn'] });
    const b = Token.asString({ 'Fn::GetAtt': ['B', 'Arn'] });
    expect(Targets.arns([a, b])._problems('target')).toEqual([]);
  });

  test('refuses a literal that is not an ARN', () => {
    expect(Targets.arns([FN_A, 'my-function'])._problems('target')).toEqual([
      { prop: 'target.arns[1]', message: 'must be an ARN (arn:...), got "my-function"' },
    ]);
  });

  test('refuses a count larger than the resources given', () => {
    expect(Targets.arns([FN_A, FN_B], Selection.count(3))._problems('target')).toEqual([
      { prop: 'target.selection', message: 'selects 3 of 2 resource(s)' },
    ]);
  });

  test('reports selection problems under the selection prop it is given', () => {
    expect(Targets.arns([FN_A], Selection.percent(0))._problems('fault.target', 'fault.selection')).toEqual([
      { prop: 'fault.selection', message: 'Selection.percent() takes a whole percentage from 1 to 100, got 0' },
    ]);
  });

  test('refuses a selection that is not a Selection', () => {
    expect(Targets.tagged({ team: 'payments' }, 'ALL' as unknown as Selection)._problems('target')).toEqual([
      { prop: 'target.selection', message: 'must be Selection.all(), Selection.count(n) or Selection.percent(p), got "ALL"' },
    ]);
  });

  test('refuses a filter without a path or values', () => {
    const t = Targets.tagged({ team: 'payments' }, Selection.count(1), { filters: [{ path: '', values: ['x'] }, { path: 'State.Name', values: [] }] });
    expect(t._problems('target')).toEqual([
      { prop: 'target.filters[0]', message: 'needs a path and at least one value, all strings, got {"path":"","values":["x"]}' },
      { prop: 'target.filters[1]', message: 'needs a path and at least one value, all strings, got {"path":"State.Name","values":[]}' },
    ]);
  });
});
