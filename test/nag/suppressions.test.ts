/**
 * lib/nag/suppressions.ts: cdk-nag suppressions recorded with aws-cdk-lib's Validations API, honoured
 * by cdk-nag 3 on the construct and below only, and IAM5 finding ids rendered as cdk-nag does.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FIS_ACTIONS } from '../../lib/chaos/catalog';
import { EXPLAINED_ON_ALL_ACTIONS, onAllReason } from '../../lib/chaos/nag-suppressions';
import {
  suppressNagFindings, suppressWildcardFindings, ACKNOWLEDGED_RULES_METADATA_KEY, flattenCfnReference, wildcardResourceFinding, withWildcardReason,
} from '../../lib/nag/suppressions';

const REASON = 'A reason long enough for a security reviewer to read and check.';

/** AwsSolutions findings of a stack, checked directly on the tree (no synth), as `rule path` lines. */
function findings(stack: Stack, rule: RegExp): string[] {
  return new AwsSolutionsChecks().validateScope(stack).violations
    .filter((v) => rule.test(v.ruleName))
    .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`))
    .sort();
}

function bucket(stack: Stack, id: string): s3.Bucket {
  return new s3.Bucket(stack, id, { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
}

describe('suppressNagFindings', () => {
  test('records the rule and reason where aws-cdk-lib\'s Validations API does', () => {
    const stack = new Stack(new App(), 'S');
    const b = bucket(stack, 'Configs');
    suppressNagFindings(b, { id: 'AwsSolutions-S1', reason: REASON });
    expect(b.node.metadata.filter((m) => m.type === ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => m.data))
      .toEqual([{ 'Annotation::AwsSolutions-S1': REASON }]);
  });

  test('cdk-nag honours it on that construct and what it contains, and nowhere else', () => {
    const stack = new Stack(new App(), 'S');
    const mine = bucket(stack, 'Mine');
    bucket(stack, 'Theirs');
    suppressNagFindings(mine, { id: 'AwsSolutions-S1', reason: REASON });
    expect(findings(stack, /^AwsSolutions-S1$/)).toEqual(['AwsSolutions-S1 S/Theirs/Resource']);
  });

  test('refuses a suppression without a real reason', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => suppressNagFindings(stack, { id: 'AwsSolutions-S1', reason: 'ok' })).toThrow(/S: a cdk-nag suppression needs a rule id and a reason of at least 40 characters/);
    expect(() => suppressNagFindings(stack, { id: '', reason: REASON })).toThrow(/needs a rule id/);
  });
});

describe('wildcard findings', () => {
  test('are rendered as cdk-nag renders them: references as <LogicalId.Attr>, joins flattened', () => {
    const stack = new Stack(new App(), 'S');
    const b = bucket(stack, 'Reports');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('fis.amazonaws.com') });
    const resources = [b.arnForObjects('reports/*'), stack.formatArn({ service: 'fis', resource: 'experiment', resourceName: '*' }), '*'];
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources }));
    const ours = resources.map((r) => wildcardResourceFinding(stack, r)).sort();
    expect(ours).toEqual([
      'AwsSolutions-IAM5[Resource::*]',
      `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(b.node.defaultChild as s3.CfnBucket)}.Arn>/reports/*]`,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:fis:<AWS::Region>:<AWS::AccountId>:experiment/*]',
    ]);
    expect(findings(stack, /^AwsSolutions-IAM5/).map((f) => f.split(' ')[0])).toEqual(ours);
  });

  test('flattenCfnReference: Fn::Sub placeholders become <...>, unknown intrinsics stay JSON', () => {
    expect(flattenCfnReference({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::b/*' })).toBe('arn:<AWS::Partition>:s3:::b/*');
    expect(flattenCfnReference({ 'Fn::ImportValue': 'Other:Export' })).toBe('Other:Export');
    expect(flattenCfnReference({ 'Fn::Select': [0, ['a']] })).toBe('{"Fn::Select":[0,["a"]]}');
  });

  test('suppressWildcardFindings suppresses the wildcards that carry a reason, naming their actions; the others stay reported', () => {
    const stack = new Stack(new App(), 'S');
    const policy = new iam.Policy(stack, 'Policy', { roles: [new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('fis.amazonaws.com') })] });
    const explained = withWildcardReason(new iam.PolicyStatement({ actions: ['tag:GetResources'], resources: ['*'] }), 'no resource-level permissions');
    const unexplained = new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/*'] });
    policy.addStatements(explained, unexplained);
    suppressWildcardFindings(policy, [explained, unexplained]);
    expect(policy.node.metadata.filter((m) => m.type === ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => m.data))
      .toEqual([{ 'Annotation::AwsSolutions-IAM5[Resource::*]': 'tag:GetResources: no resource-level permissions.' }]);
    expect(findings(stack, /^AwsSolutions-IAM5/)).toEqual(['AwsSolutions-IAM5[Resource::arn:aws:s3:::bucket/*] S/Policy/Resource']);
  });
});

describe('the experiment role\'s reasons for *', () => {
  test('every action the FIS catalog grants on * has a reason', () => {
    const onAll = [...new Set(Object.values(FIS_ACTIONS).flatMap((a) => [...a.onAll]))];
    expect(onAll.filter((a) => !EXPLAINED_ON_ALL_ACTIONS.includes(a))).toEqual([]);
  });

  test('an action without a reason is not explained, so its finding is reported rather than suppressed blindly', () => {
    expect(onAllReason(['tag:GetResources', 'ec2:DescribeInstances'])).toBe(
      'the Resource Groups Tagging API has no resource-level permissions (FIS resolves targets with it); EC2 Describe actions have no resource-level permissions');
    expect(onAllReason(['tag:GetResources', 's3:GetObject'])).toBeUndefined();
  });
});
