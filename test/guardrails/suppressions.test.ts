import { App, Stack, Validations } from 'aws-cdk-lib';
import {
  Suppression, refusedSuppressions, applicableSuppression, reasonProblem, readSuppressions, reliabilityRuleId,
} from '../../lib/guardrails/suppressions';

const REASON = 'Covered through the API that invokes it';

function suppression(constructPath: string, overrides: Partial<Suppression> = {}): Suppression {
  return { ruleId: 'RELIABILITY-008', key: 'Annotation::RELIABILITY-008', reason: REASON, constructPath, ...overrides };
}

describe('rule ids in suppression keys', () => {
  test('a bare id (recorded as Annotation::, annotation:: before aws-cdk-lib 2.262.1) and the plugin namespace are ours', () => {
    expect(['Annotation::RELIABILITY-008', 'annotation::RELIABILITY-008', 'cdk-reliability::RELIABILITY-008'].map((key) => reliabilityRuleId(key)))
      .toEqual(['RELIABILITY-008', 'RELIABILITY-008', 'RELIABILITY-008']);
  });

  test('other plugins\' rules and other namespaces are not', () => {
    expect(['Annotation::AwsSolutions-L1', 'cdk-nag::RELIABILITY-008', 'RELIABILITY-008'].map((key) => reliabilityRuleId(key))).toEqual([undefined, undefined, undefined]);
  });

  test('a bare custom rule id is ours when the checks run that rule; in the plugin namespace every id is (and an unknown one is refused later)', () => {
    expect(['Annotation::TEAM-001', 'Annotation::TEAM-002', 'cdk-reliability::TEAM-009'].map((key) => reliabilityRuleId(key, ['TEAM-001'])))
      .toEqual(['TEAM-001', undefined, 'TEAM-009']);
  });
});

describe('reasons', () => {
  test('a written reason is accepted', () => {
    expect(reasonProblem(REASON)).toBeUndefined();
  });

  test('an empty, blank or too short reason is refused', () => {
    expect(reasonProblem('')).toBe('has no reason');
    expect(reasonProblem('   ')).toBe('has no reason');
    expect(reasonProblem(' n/a ')).toMatch(/has a reason of 3 characters \('n\/a'\); write at least 10/);
  });
});

describe('which suppression applies', () => {
  test('one on the construct, an ancestor, the stack or the app applies; the closest wins', () => {
    const records = [suppression(''), suppression('Shop'), suppression('Shop/Handler', { reason: 'Invoked only by the checkout API' })];
    expect(applicableSuppression(records, 'RELIABILITY-008', 'Shop/Handler/Resource')?.reason).toBe('Invoked only by the checkout API');
    expect(applicableSuppression(records, 'RELIABILITY-008', 'Shop/Other/Resource')?.constructPath).toBe('Shop');
    expect(applicableSuppression(records, 'RELIABILITY-008', 'Prod/Handler')?.constructPath).toBe('');
  });

  test('one on a sibling whose name starts the same, another rule, or without a reason does not apply', () => {
    const records = [suppression('Shop/Handler2'), suppression('Shop/Handler', { ruleId: 'RELIABILITY-007', key: 'Annotation::RELIABILITY-007' }), suppression('Shop', { reason: '' })];
    expect(applicableSuppression(records, 'RELIABILITY-008', 'Shop/Handler/Resource')).toBeUndefined();
  });
});

describe('refused suppressions', () => {
  test('without a reason, of an unknown rule, of RELIABILITY-000', () => {
    const problems = refusedSuppressions([
      suppression('Shop/Handler', { reason: '' }),
      suppression('', { ruleId: 'RELIABILITY-080', key: 'Annotation::RELIABILITY-080' }),
      suppression('Shop', { ruleId: 'RELIABILITY-000', key: 'cdk-reliability::RELIABILITY-000' }),
      suppression('Shop/Fine'),
    ], ['RELIABILITY-008']);
    expect(problems.map((p) => p.message)).toEqual([
      'the acknowledgement of RELIABILITY-008 on Shop/Handler has no reason; it is refused',
      'the acknowledgement \'Annotation::RELIABILITY-080\' on the app names no rule of cdk-reliability (known: RELIABILITY-008), so it acknowledges nothing',
      'the acknowledgement \'cdk-reliability::RELIABILITY-000\' on Shop is refused: RELIABILITY-000 (acknowledgements need a reason) cannot be acknowledged',
    ]);
  });
});

describe('reading suppressions from the tree', () => {
  test('reads what Validations.acknowledge() records, in both id forms, and skips other rules', () => {
    const app = new App();
    const stack = new Stack(app, 'Shop');
    Validations.of(app).acknowledge({ id: 'RELIABILITY-007', reason: 'Alarms are wired by the platform team' });
    Validations.of(stack).acknowledge({ id: 'cdk-reliability::RELIABILITY-002', reason: '' }, { id: 'AwsSolutions-L1', reason: 'Not ours to read' });
    expect(readSuppressions(app)).toEqual([
      { ruleId: 'RELIABILITY-007', key: 'Annotation::RELIABILITY-007', reason: 'Alarms are wired by the platform team', constructPath: '' },
      { ruleId: 'RELIABILITY-002', key: 'cdk-reliability::RELIABILITY-002', reason: '', constructPath: 'Shop' },
    ]);
  });

  test('a later acknowledgement of the same rule on the same construct replaces the earlier one', () => {
    const app = new App();
    Validations.of(app).acknowledge({ id: 'RELIABILITY-007', reason: '' });
    Validations.of(app).acknowledge({ id: 'RELIABILITY-007', reason: 'Alarms are wired by the platform team' });
    expect(readSuppressions(app).map((r) => r.reason)).toEqual(['Alarms are wired by the platform team']);
  });
});
