import { App, CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
import { EscalationPolicy, EscalationPolicyProps, Notify } from '../../lib';
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
      /^Shop\/OnCall: levels\[0\]\.notify: must be a list of targets \(e\.g\. \[Notify\.email\('oncall@example\.com'\)\]\), got a NotifyEmail$/],
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
    ['a repeatAfter under a minute', { repeatAfter: Duration.seconds(30) }, 'Shop/OnCall: repeatAfter: must be a whole number of minutes from 1 minute to 1d, got 30s'],
    ['a repeatAfter over 24 hours', { repeatAfter: Duration.hours(25) }, 'Shop/OnCall: repeatAfter: must be a whole number of minutes from 1 minute to 1d, got 25h'],
    ['a repeatAfter that is not a Duration', { repeatAfter: 600 }, 'Shop/OnCall: repeatAfter: must be a concrete Duration such as Duration.minutes(15), got 600'],
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
    expect(repeatProblem('2')).toMatch(/got "2"$/);
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

describe('hostile values are refused with a clear message, never a TypeError or an invalid template', () => {
  const stack = () => newStack();
  const withTargets = (notify: unknown[]) => build({ levels: [{ notify }] });
  const message = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).name).toBe('Error');
      return (e as Error).message;
    }
    throw new Error('did not throw');
  };

  test('Notify.webhookFromSecret({}) is refused, naming the target (it used to grant secretsmanager:GetSecretValue on "undefined-??????")', () => {
    expect(message(withTargets([Notify.webhookFromSecret({} as never)]))).toBe(
      'Shop/OnCall: levels[0].notify[0]: Notify.webhookFromSecret needs the Secrets Manager secret whose SecretString is the webhook URL '
      + '(an ISecret, e.g. secretsmanager.Secret.fromSecretNameV2(...)), got {} (its secretArn is undefined)');
  });

  test.each([
    ['Notify.webhookFromSecret(undefined)', () => Notify.webhookFromSecret(undefined as never), /^webhook needs a URL \(Notify\.webhook\) or a secret holding it \(Notify\.webhookFromSecret\), got neither$/],
    ['Notify.webhookFromSecret(null)', () => Notify.webhookFromSecret(null as never), /needs the Secrets Manager secret .*, got null$/],
    ['Notify.webhookFromSecret("arn:…")', () => Notify.webhookFromSecret('arn:aws:secretsmanager:eu-west-1:1:secret:x' as never), /needs the Secrets Manager secret .*, got "arn:aws:secretsmanager:eu-west-1:1:secret:x"$/],
    ['Notify.pagerDutyEventsV2({})', () => Notify.pagerDutyEventsV2({} as never), /^Notify\.pagerDutyEventsV2 needs the Secrets Manager secret holding the routing key \(an ISecret\), got \{\} \(its secretArn is undefined\)$/],
    ['Notify.pagerDutyEventsV2({ secretArn: "" })', () => Notify.pagerDutyEventsV2({ secretArn: '' } as never), /got \{"secretArn":""\} \(its secretArn is ""\)$/],
    ['Notify.topic({})', () => Notify.topic({} as never), /^Notify\.topic needs an SNS topic \(an ITopic, e\.g\. sns\.Topic\.fromTopicArn\(\.\.\.\)\), got \{\} \(its topicArn is undefined\)$/],
    ['Notify.topic(42)', () => Notify.topic(42 as never), /^Notify\.topic needs an SNS topic .*, got 42$/],
    ['Notify.slack({ slackChannelConfigurationArn: 1n })', () => Notify.slack({ slackChannelConfigurationArn: 1n } as never),
      /^Notify\.slack needs an AWS Chatbot SlackChannelConfiguration \(an ISlackChannelConfiguration\), got \{"slackChannelConfigurationArn":1n\} \(its slackChannelConfigurationArn is 1n\)$/],
    ['Notify.email(undefined)', () => Notify.email(undefined as never), /^must be an email address such as oncall@example\.com, got undefined$/],
    ['Notify.email("")', () => Notify.email(''), /^must be an email address such as oncall@example\.com, got ""$/],
    ['Notify.email(Symbol())', () => Notify.email(Symbol('x') as never), /^must be an email address such as oncall@example\.com, got Symbol\("x"\)$/],
    ['Notify.email with a NUL', () => Notify.email('on\u0000call@example.com'), /^must be an email address without spaces, control or invisible characters, got "on\\u0000call@example\.com"$/],
    ['Notify.email with half a surrogate pair', () => Notify.email('on\uD83Dcall@example.com'), /^must be an email address without spaces, control or invisible characters, got "on\uFFFDcall@example\.com"$/],
    ['Notify.sms(15555550100)', () => Notify.sms(15555550100 as never), /E\.164 .*, got 15555550100$/],
    ['Notify.sms(10n)', () => Notify.sms(10n as never), /E\.164 .*, got 10n$/],
    ['Notify.webhook(null)', () => Notify.webhook(null as never), /^must be an https:\/\/ URL, got null$/],
    ['Notify.webhook with a line break (URL parsers drop it)', () => Notify.webhook('https://hooks.example.com/a\nb'),
      /^must be an https:\/\/ URL without spaces, control or invisible characters \(percent-encode them\), got "https:\/\/hooks\.example\.com\/a\\nb"$/],
    ['Notify.webhook with a bidirectional override', () => Notify.webhook('https://hooks.example.com/\u202Eevil'), /without spaces, control or invisible characters .*got "https:\/\/hooks\.example\.com\/\\u202eevil"$/],
  ])('refuses %s, naming the target and the value', (_, target, expected) => {
    const text = message(withTargets([target()]));
    expect(text.startsWith('Shop/OnCall: levels[0].notify[0]: ')).toBe(true);
    expect(text.slice('Shop/OnCall: levels[0].notify[0]: '.length)).toMatch(expected);
  });

  test('a target whose properties throw when read is refused as unreadable, naming it', () => {
    const target = Object.defineProperty({}, 'bind', { enumerable: true, get: () => { throw new RangeError('nope'); } });
    expect(message(withTargets([target]))).toBe('Shop/OnCall: levels[0].notify[0]: could not be read: reading it threw RangeError: nope');
  });

  test('a Proxy as the list of targets, or as a level, is refused as unreadable', () => {
    const proxy = new Proxy([], { get: () => { throw new Error('trap'); } });
    expect(message(withTargets(proxy as never))).toBe('Shop/OnCall: levels[0].notify: could not be read: reading it threw Error: trap');
    expect(message(build({ levels: proxy as never }))).toBe('Shop/OnCall: levels: could not be read: reading it threw Error: trap');
    const level = new Proxy({}, { get: (_t, key) => { throw new Error(`no ${String(key)}`); } });
    expect(message(build({ levels: [level] }))).toBe([
      'Shop/OnCall: 2 problems:',
      '  - levels[0].after: could not be read: reading it threw Error: no after',
      '  - levels[0].notify: could not be read: reading it threw Error: no notify',
    ].join('\n'));
  });

  test('BigInt, Symbol and circular values are described, not serialised', () => {
    const self: Record<string, unknown> = { a: 1 };
    self.self = self;
    expect(message(build({ repeat: 2n as never }))).toBe('Shop/OnCall: repeat: must be a whole number from 0 (run the chain once) to 10, got 2n');
    expect(message(build({ reservedConcurrency: Symbol('c') as never }))).toBe('Shop/OnCall: reservedConcurrency: must be a whole number from 1 to 1000, got Symbol("c")');
    expect(message(build({ levels: [{ notify: self }] }))).toBe(
      'Shop/OnCall: levels[0].notify: must be a list of targets (e.g. [Notify.email(\'oncall@example.com\')]), got {"a":1,"self":[circular]}');
    expect(message(build({ logRetention: { days: 10n } as never }))).toBe(
      'Shop/OnCall: logRetention: must be a logs.RetentionDays value (e.g. logs.RetentionDays.ONE_MONTH), got {"days":10n}');
  });

  test('a Duration look-alike without isUnresolved, or whose toSeconds throws, is not a Duration', () => {
    const fake = { toSeconds: () => 900 };
    const throwing = { toSeconds: () => { throw new Error('x'); }, isUnresolved: () => false };
    expect(message(build({ levels: [{ notify: [email] }, { after: fake, notify: [email] }] })))
      .toMatch(/^Shop\/OnCall: levels\[1\]\.after: must be a concrete Duration such as Duration\.minutes\(15\), got \{"toSeconds":a function\}$/);
    expect(message(build({ acknowledgeLinkTtl: throwing as never })))
      .toMatch(/^Shop\/OnCall: acknowledgeLinkTtl: must be a concrete Duration such as Duration\.days\(1\), got a token$/);
    expect(message(build({ levels: [{ notify: [email] }, { after: Duration.minutes(Infinity), notify: [email] }] })))
      .toBe('Shop/OnCall: levels[1].after: must be a whole number of minutes from 1 minute to 1d, got Infinity seconds');
  });

  test('a valid secret, topic and Slack channel still synthesize', () => {
    const s = stack();
    const secret = { secretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:hook-AbCdEf' };
    expect(() => smallestPolicy(s, { levels: [{ notify: [Notify.webhookFromSecret(secret as never), Notify.pagerDutyEventsV2(secret as never)] }] })).not.toThrow();
  });
});
