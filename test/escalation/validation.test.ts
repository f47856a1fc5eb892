import { App, CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
import { EscalationPolicy, EscalationPolicyProps } from '../../lib/escalation/escalation-policy';
import { Notify } from '../../lib/escalation/notify';
import {
  emailProblem, estimatedEnvironmentBytes, estimatedLength, ESTIMATED_REFERENCE_LENGTH, levelDelayProblem, phoneNumberProblem,
  repeatProblem, webhookUrlProblem,
} from '../../lib/escalation/validation';
import { newStack, smallestPolicy } from './helpers';

const email = Notify.email('oncall@example.com');

/** Builds a policy in a fresh stack with `props`; returns what it throws. */
function build(props: Partial<EscalationPolicyProps> | Record<string, unknown>): () => EscalationPolicy {
  return () => new EscalationPolicy(newStack(), 'OnCall', { levels: [{ notify: [email] }], tickets: [email], ...props } as EscalationPolicyProps);
}

describe('EscalationPolicy validation: every message names the construct path, the prop, the value and what is allowed', () => {
  test.each([
    ['no levels', { levels: [] }, 'Shop/OnCall: levels: must be a list of at least one level (e.g. [{ notify: [Notify.email(\'oncall@example.com\')] }]), got []'],
    ['levels not a list', { levels: 'email' }, 'Shop/OnCall: levels: must be a list of at least one level (e.g. [{ notify: [Notify.email(\'oncall@example.com\')] }]), got "email"'],
    ['a delay on level 1', { levels: [{ after: Duration.minutes(5), notify: [email] }] },
      'Shop/OnCall: levels[0].after: must be left out (or zero) for level 1, which is notified as soon as the alarm fires, got 5m'],
    ['no delay on level 2', { levels: [{ notify: [email] }, { notify: [email] }] },
      'Shop/OnCall: levels[1].after: is required for level 2: how long after level 1 to escalate, a whole number of minutes from 1 minute to 1d (e.g. Duration.minutes(15))'],
    ['a delay under a minute', { levels: [{ notify: [email] }, { after: Duration.seconds(30), notify: [email] }] },
      'Shop/OnCall: levels[1].after: must be a whole number of minutes from 1 minute to 1d, got 30s'],
    ['a delay that is not whole minutes', { levels: [{ notify: [email] }, { after: Duration.seconds(90), notify: [email] }] },
      'Shop/OnCall: levels[1].after: must be a whole number of minutes from 1 minute to 1d, got 90s'],
    ['a delay over 24 hours', { levels: [{ notify: [email] }, { after: Duration.hours(25), notify: [email] }] },
      'Shop/OnCall: levels[1].after: must be a whole number of minutes from 1 minute to 1d, got 25h'],
    ['a level without targets', { levels: [{ notify: [] }] },
      'Shop/OnCall: levels[0].notify: must name at least one target: a level that notifies nobody only delays the next one, got []'],
    ['a level whose notify is not a list', { levels: [{ notify: email }] },
      /^Shop\/OnCall: levels\[0\]\.notify: must be a list of targets \(e\.g\. \[Notify\.email\('oncall@example\.com'\)\]\), got \{"kind":"email"/],
    ['a target not built with Notify', { levels: [{ notify: [{ kind: 'email', address: 'a@example.com' }] }] },
      /^Shop\/OnCall: levels\[0\]\.notify\[0\]: must be a target built with Notify \(Notify\.email, .*\), got \{"kind":"email","address":"a@example\.com"\}$/],
    ['a malformed email address', { levels: [{ notify: [Notify.email('oncall.example.com')] }] },
      'Shop/OnCall: levels[0].notify[0]: must be an email address such as oncall@example.com, got "oncall.example.com"'],
    ['a phone number not in E.164', { levels: [{ notify: [Notify.sms('555-0100')] }] },
      'Shop/OnCall: levels[0].notify[0]: must be a phone number in E.164 format (\'+\', country code and number, no spaces, at most 15 digits, e.g. +15555550100), got "555-0100"'],
    ['an http webhook', { levels: [{ notify: [Notify.webhook('http://hooks.example.com/x')] }] },
      'Shop/OnCall: levels[0].notify[0]: must be an https:// URL, got "http://hooks.example.com/x"'],
    ['a webhook that is not a URL', { levels: [{ notify: [Notify.webhook('hooks.example.com/x')] }] },
      'Shop/OnCall: levels[0].notify[0]: must be an https:// URL, got "hooks.example.com/x"'],
    ['a negative repeat', { repeat: -1 }, 'Shop/OnCall: repeat: must be a whole number from 0 (run the chain once) to 10, got -1'],
    ['a fractional repeat', { repeat: 1.5 }, 'Shop/OnCall: repeat: must be a whole number from 0 (run the chain once) to 10, got 1.5'],
    ['a repeat over 10', { repeat: 11 }, 'Shop/OnCall: repeat: must be a whole number from 0 (run the chain once) to 10, got 11'],
    ['empty tickets', { tickets: [] }, 'Shop/OnCall: tickets: must name at least one target, or be left out (ticket alarms then notify nobody), got []'],
    ['a bad ticket target', { tickets: [Notify.sms('+0123')] },
      /^Shop\/OnCall: tickets\[0\]: must be a phone number in E\.164 format .* got "\+0123"$/],
    ['a policy name that cannot be part of alarm names', { policyName: 'on call' },
      'Shop/OnCall: policyName: must use only letters, digits, \'-\', \'_\' and \'.\', starting with a letter or digit (it becomes part of alarm names), got "on call"'],
    ['an acknowledge link living under 5 minutes', { acknowledgeLinkTtl: Duration.minutes(1) },
      'Shop/OnCall: acknowledgeLinkTtl: must be a whole number of seconds from 5m to 7d, got 1m'],
    ['an acknowledge link living over 7 days', { acknowledgeLinkTtl: Duration.days(8) },
      'Shop/OnCall: acknowledgeLinkTtl: must be a whole number of seconds from 5m to 7d, got 8d'],
    ['no reserved concurrency', { reservedConcurrency: 0 }, 'Shop/OnCall: reservedConcurrency: must be a whole number from 1 to 1000, got 0'],
    ['a fractional acknowledge concurrency', { acknowledgeReservedConcurrency: 2.5 },
      'Shop/OnCall: acknowledgeReservedConcurrency: must be a whole number from 1 to 1000, got 2.5'],
  ])('throws on %s', (_, props, message) => {
    expect(build(props)).toThrow(typeof message === 'string' ? new Error(message) : message);
  });

  test('a construct id that cannot be a policy name says it is the default', () => {
    expect(() => new EscalationPolicy(newStack(), 'On Call', { levels: [{ notify: [email] }] }))
      .toThrow(/^Shop\/On Call: policyName: must use only letters.*got "On Call" \(it defaults to the construct id; pass policyName\)$/);
  });

  test('lists every problem at once', () => {
    expect(build({ levels: [{ after: Duration.minutes(1), notify: [] }], repeat: 99 })).toThrow(new Error([
      'Shop/OnCall: 3 problems:',
      '  - levels[0].after: must be left out (or zero) for level 1, which is notified as soon as the alarm fires, got 1m',
      '  - levels[0].notify: must name at least one target: a level that notifies nobody only delays the next one, got []',
      '  - repeat: must be a whole number from 0 (run the chain once) to 10, got 99',
    ].join('\n')));
  });

  test('accepts a zero delay on level 1, 1 minute and 24 hours on later levels, repeat 0 and 10', () => {
    expect(build({
      levels: [{ after: Duration.minutes(0), notify: [email] }, { after: Duration.minutes(1), notify: [email] }, { after: Duration.hours(24), notify: [email] }],
      repeat: 10,
    })).not.toThrow();
    expect(build({ repeat: 0 })).not.toThrow();
  });

  test('throws on a delay given as a token', () => {
    const stack = newStack();
    const minutes = new CfnParameter(stack, 'Minutes', { type: 'Number' });
    expect(() => smallestPolicy(stack, { levels: [{ notify: [email] }, { after: Duration.minutes(minutes.valueAsNumber), notify: [email] }] }))
      .toThrow('Shop/OnCall: levels[1].after: must be a concrete Duration such as Duration.minutes(15), got a token');
  });

  test('skips format checks on tokens (addresses and URLs known at deploy time)', () => {
    const stack = newStack();
    const address = new CfnParameter(stack, 'Address').valueAsString;
    const url = new CfnParameter(stack, 'Url').valueAsString;
    expect(() => smallestPolicy(stack, { levels: [{ notify: [Notify.email(address), Notify.sms(address), Notify.webhook(url)] }] })).not.toThrow();
  });

  test('refuses two policies with one name in one account and region: their alarm names would collide', () => {
    const stack = newStack();
    smallestPolicy(stack, { policyName: 'payments' });
    expect(() => new EscalationPolicy(stack, 'Other', { levels: [{ notify: [email] }], policyName: 'payments' }))
      .toThrow('Shop/Other: policyName \'payments\' is already used by Shop/OnCall in the same account and region ((default account)/(default region)); '
        + 'the names of the alarms on the pager would collide. Give each policy a unique policyName');
  });

  test('the same name in two regions is fine', () => {
    const app = new App();
    smallestPolicy(new Stack(app, 'Eu', { env: { account: '123456789012', region: 'eu-west-1' } }), { policyName: 'payments' });
    expect(() => smallestPolicy(new Stack(app, 'Us', { env: { account: '123456789012', region: 'us-east-1' } }), { policyName: 'payments' })).not.toThrow();
  });

  test('throws, naming the policy, when the function\'s environment would exceed Lambda\'s 4 KB', () => {
    const hooks = Array.from({ length: 60 }, (_, i) => Notify.webhook(`https://hooks.example.com/teams/payments/escalation/${i}`));
    expect(build({ levels: [{ notify: [email, ...hooks] }] }))
      .toThrow(/^Shop\/OnCall: levels: escalation policy 'OnCall' has too many targets for its function's environment: about \d{4} bytes \(estimated.*over Lambda's limit of 4096 bytes/);
  });

  test('a policy of three levels with a handful of targets each stays well under the limit', () => {
    expect(build({
      levels: [0, 1, 2].map((i) => ({ after: i === 0 ? undefined : Duration.minutes(10), notify: [email, Notify.sms('+15555550100'), Notify.webhook('https://hooks.example.com/a')] })),
    })).not.toThrow();
  });
});

describe('validation rules (pure)', () => {
  test.each(['oncall@example.com', 'first.last+tag@sub.example.co.uk'])('accepts the email address %s', (a) => expect(emailProblem(a)).toBeUndefined());
  test.each(['oncall', 'on call@example.com', '@example.com', 'a@b', 42])('refuses the email address %p', (a) => expect(emailProblem(a)).toMatch(/must be an email address/));
  test.each(['+15555550100', '+447700900123', '+12'])('accepts the E.164 number %s', (n) => expect(phoneNumberProblem(n)).toBeUndefined());
  test.each(['15555550100', '+1 555 555 0100', '+05555550100', '+1234567890123456'])('refuses %p, not E.164', (n) => expect(phoneNumberProblem(n)).toMatch(/E\.164/));
  test.each(['ftp://x.example.com', 'https://', 'not a url'])('refuses the webhook URL %p', (u) => expect(webhookUrlProblem(u)).toMatch(/https:\/\//));
  test('refuses webhook URLs over 2048 characters', () => expect(webhookUrlProblem(`https://x.example.com/${'a'.repeat(2048)}`)).toMatch(/at most 2048/));
  test('a token is never judged', () => {
    expect(emailProblem(Token.asString({ Ref: 'X' }))).toBeUndefined();
    expect(webhookUrlProblem(Token.asString({ Ref: 'X' }))).toBeUndefined();
  });
  test('level delays: 0 or nothing for level 1; later levels need whole minutes in [1m, 24h]', () => {
    expect(levelDelayProblem(0, undefined)).toBeUndefined();
    expect(levelDelayProblem(0, Duration.seconds(0))).toBeUndefined();
    expect(levelDelayProblem(1, Duration.minutes(15))).toBeUndefined();
    expect(levelDelayProblem(1, 900)).toMatch(/must be a concrete Duration such as Duration.minutes\(15\), got 900/);
  });
  test('repeat must be a whole number from 0 to 10', () => {
    expect([0, 10].map(repeatProblem)).toEqual([undefined, undefined]);
    expect(repeatProblem('2')).toMatch(/got 2/);
  });
  test('environment size: literals count as they are, pseudo parameters at their longest, references at the estimate', () => {
    expect(estimatedLength('abc')).toBe(3);
    expect(estimatedLength({ Ref: 'AWS::Region' })).toBe(14);
    expect(estimatedLength({ Ref: 'Topic' })).toBe(ESTIMATED_REFERENCE_LENGTH);
    expect(estimatedLength({ 'Fn::GetAtt': ['Fn', 'Arn'] })).toBe(ESTIMATED_REFERENCE_LENGTH);
    expect(estimatedLength({ 'Fn::Join': ['-', ['a', { Ref: 'AWS::AccountId' }, 'b']] })).toBe(1 + 12 + 1 + 2);
    expect(estimatedEnvironmentBytes({ KEY: 'value', ARN: { Ref: 'Topic' } })).toBe(3 + 5 + 3 + ESTIMATED_REFERENCE_LENGTH);
  });
});
