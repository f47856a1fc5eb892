/**
 * The handler contract (lambdas/shared/contract.ts) against the code on both sides: the variables
 * the construct sets are exactly those the handlers read, and lambdas/README.md describes them
 * and the alarms on the pager as the contract has them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadAckConfig } from '../../../lambdas/acknowledge/config';
import { loadConfig } from '../../../lambdas/escalation/config/config';
import { ACKNOWLEDGE_VARIABLES, ESCALATION_VARIABLES, PAGER_ALARMS, VariableSpec } from '../../../lambdas/shared/contract';
import { environmentOf, newStack, smallestPolicy } from '../../escalation/helpers';

/** Runs `read` on an environment holding `values`, and returns the names it looked up. */
function namesRead(values: Record<string, string>, read: (env: Record<string, string>) => unknown): string[] {
  const seen = new Set<string>();
  const env = new Proxy(values, {
    get: (target, name) => {
      if (typeof name === 'string') {
        seen.add(name);
      }
      return target[name as string];
    },
  });
  read(env);
  return [...seen].sort();
}

const escalationValues: Record<keyof typeof ESCALATION_VARIABLES, string> = {
  POLICY_NAME: 'prod',
  TABLE_NAME: 'incidents',
  SCHEDULE_GROUP: 'timers',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
  SCHEDULER_DLQ_ARN: 'arn:aws:sqs:eu-west-1:123456789012:dead-letters',
  SIGNING_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:signing',
  ACK_URL: 'https://abc.lambda-url.eu-west-1.on.aws/',
  REPEAT: '1',
  TOKEN_TTL_SECONDS: '86400',
  PAGE_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:page',
  TICKET_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:ticket',
  LEVELS: JSON.stringify([{ afterSeconds: 0, publishTopicArns: [], webhooks: [], pagerDuty: [], kinds: [] }]),
  TICKETS: 'null',
  REPEAT_AFTER_SECONDS: '600',
};

const sorted = (spec: Record<string, VariableSpec>): string[] => Object.keys(spec).sort();

describe('the escalation function\'s environment', () => {
  test('the construct sets every variable of the contract, in its order, when every prop is given', () => {
    const stack = newStack();
    smallestPolicy(stack, { repeat: 1, repeatAfter: Duration.minutes(20) });
    expect(Object.keys(environmentOf(Template.fromStack(stack), 'notifies, escalates and resolves'))).toEqual(Object.keys(ESCALATION_VARIABLES));
  });

  test('without the optional props, the construct sets the required variables and leaves out only optional ones', () => {
    const stack = newStack();
    smallestPolicy(stack, { tickets: undefined });
    const set = Object.keys(environmentOf(Template.fromStack(stack), 'notifies, escalates and resolves'));
    const required = Object.entries(ESCALATION_VARIABLES).filter(([, v]) => v.required).map(([name]) => name);
    expect(set).toEqual(expect.arrayContaining(required));
    expect(Object.keys(ESCALATION_VARIABLES)).toEqual(expect.arrayContaining(set));
    expect(set).not.toContain('REPEAT_AFTER_SECONDS');
  });

  test('the handler reads every variable of the contract and no other', () => {
    expect(namesRead(escalationValues, loadConfig)).toEqual(sorted(ESCALATION_VARIABLES));
  });

  test('the handler starts without the optional variables and refuses to start without each required one', () => {
    const optional = Object.entries(ESCALATION_VARIABLES).filter(([, v]) => !v.required).map(([name]) => name);
    const minimal = Object.fromEntries(Object.entries(escalationValues).filter(([name]) => !optional.includes(name)));
    expect(() => loadConfig(minimal)).not.toThrow();
    for (const [name, spec] of Object.entries(ESCALATION_VARIABLES).filter(([, v]) => v.required)) {
      expect(spec.required).toBe(true);
      expect(() => loadConfig({ ...escalationValues, [name]: '' })).toThrow(new RegExp(`${name} (is required|must be)`));
    }
  });
});

describe('the acknowledge function\'s environment', () => {
  test('the construct sets every variable of the contract, in its order', () => {
    const stack = newStack();
    smallestPolicy(stack);
    expect(Object.keys(environmentOf(Template.fromStack(stack), 'acknowledge links'))).toEqual(Object.keys(ACKNOWLEDGE_VARIABLES));
  });

  test('the handler reads every variable of the contract and no other', () => {
    const values = { POLICY_NAME: 'prod', TABLE_NAME: 'incidents', SIGNING_SECRET_ARN: 'arn:…:secret:signing', ESCALATION_FUNCTION_NAME: 'esc' };
    expect(namesRead(values, loadAckConfig)).toEqual(sorted(ACKNOWLEDGE_VARIABLES));
  });
});

describe('lambdas/README.md', () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../../lambdas/README.md'), 'utf8');
  const table = (spec: Record<string, VariableSpec>): string => ['| variable | required | value |', '|---|---|---|',
    ...Object.entries(spec).map(([name, v]) => `| \`${name}\` | ${v.required ? 'yes' : 'no'} | ${v.description} |`)].join('\n');

  test('lists the escalation function\'s variables as the contract has them', () => {
    expect(readme).toContain(table(ESCALATION_VARIABLES));
  });

  test('lists the acknowledge function\'s variables as the contract has them', () => {
    expect(readme).toContain(table(ACKNOWLEDGE_VARIABLES));
  });

  test('lists the alarms on the pager the construct creates, and says how many', () => {
    const alarms = Object.values(PAGER_ALARMS);
    expect(readme).toContain(['| alarm | counts |', '|---|---|', ...alarms.map((a) => `| \`<policyName>-pager-${a.suffix}\` | ${a.watches} |`)].join('\n'));
    const stack = newStack();
    const policy = smallestPolicy(stack);
    const names = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName);
    expect(names).toEqual(alarms.map((a) => `${policy.policyName}-pager-${a.suffix}`));
    expect(readme).toContain(`the ${['zero', 'one', 'two', 'three', 'four', 'five', 'six'][alarms.length]} alarms on the pager`);
  });
});
