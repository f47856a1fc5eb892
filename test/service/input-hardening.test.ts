/**
 * Every bad input to a service, an SLO or an SLI is refused with an Error naming the construct
 * path, the prop, the value and what is allowed: never a TypeError, never a message that throws
 * while it is being written, never a template CloudFormation or CloudWatch would refuse.
 */
import { App, Duration, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AlertPolicy, ISli, ReliableService, Severity, Sli, SliBinding, SloProps } from '../../lib';
import { textProblem } from '../../lib/slo/validation';
import { HostileValueError, throwingArray, throwingProxy } from '../fuzz/support/hostile';
import { availability, counts, newStack } from './helpers';
import { describeValue } from '../../lib/private/describe';

function build(slo: Record<string, unknown>, stack = newStack()) {
  return () => new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability(slo) as SloProps] });
}

function circular(): Record<string, unknown> {
  const o: Record<string, unknown> = { name: 'loop' };
  o.self = o;
  return o;
}

const revoked = (() => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
})();

const throwingGetter = Object.defineProperty({}, 'boom', { enumerable: true, get() { throw new Error('getter'); } });

describe('describeValue shows any value as describeValue does, and never throws', () => {
  test.each([
    ['a BigInt', 10n, '10n'],
    ['a Symbol', Symbol('x'), 'Symbol("x")'],
    ['a circular object', circular(), '{"name":"loop","self":[circular]}'],
    ['a circular list', (() => { const a: unknown[] = []; a.push(a); return a; })(), '[[circular]]'],
    ['an object holding a BigInt', { n: 1n }, '{"n":1n}'],
    ['an object with a throwing getter', { get inner() { return throwingGetter; } }, '{"inner":{"boom":<unreadable>}}'],
    ['a revoked proxy', revoked, 'an object that cannot be read'],
    ['an object without prototype', Object.create(null), '{}'],
    ['a string with a line break', 'prod\n', '"prod\\n"'],
    ['a string with surrounding spaces', ' prod ', '" prod "'],
    ['half of a surrogate pair (shown as the replacement character)', 'a\uD83D', '"a\uFFFD"'],
    ['a right-to-left override (escaped, so that it cannot reorder the message)', '\u202Eevil', '"\\u202eevil"'],
    ['a plain string (quoted, so that the message shows where it starts and ends)', 'prod', '"prod"'],
    ['an emoji', '😀', '"😀"'],
    ['NaN', NaN, 'NaN'],
    ['a class instance', new Date(0), 'a Date'],
  ])('%s', (_what, value, shown) => {
    expect(describeValue(value)).toBe(shown);
  });

  test('long values are shortened without splitting a surrogate pair', () => {
    for (let pad = 100; pad < 120; pad++) {
      const text = describeValue({ text: `${'x'.repeat(pad)}😀😀😀😀😀😀` });
      expect(text).toMatch(/^\{"text":"x+(😀)*…" \(\d+ characters\)\}$/u);
      expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)).toBe(false);
    }
    expect(describeValue('y'.repeat(5_000))).toMatch(/^"y+…" \(5000 characters\)$/);
    // cut on whole characters: 🚀 counts once, and no half of it is left at the cut
    const rockets = describeValue('🚀'.repeat(300));
    expect(rockets).toMatch(/^"(🚀)+…/u);
    expect(rockets.length).toBeLessThanOrEqual(120);
  });
});

describe('hostile values in SLO props are refused cleanly', () => {
  test.each([
    ['objective', 10n, /objective: must be a number > 0 and < 100 \(percent of good events, e.g. 99.9\), got 10n/],
    ['objective', Symbol('o'), /objective: must be a number > 0 and < 100 .*got Symbol\("o"\)/],
    ['objective', circular(), /objective: must be a number .*got \{"name":"loop","self":\[circular\]\}/],
    ['minimumEvents', 5n, /minimumEvents: must be a whole number of events >= 1, got 5n/],
    ['sli', 1n, /sli: must be an SLI such as Sli.ratio\(\{ bad, total \}\) or a preset, got 1n/],
    ['sli', revoked, /sli: must be an SLI .*got an object that cannot be read/],
    ['alerting', Symbol('a'), /alerting: must be AlertPolicy.workbook\(\) or AlertPolicy.fromTiers\(\[...\]\), got Symbol\("a"\)/],
    ['window', 30n, /window: must be a Duration \(e.g. Duration.days\(30\)\), got 30n \(a bigint\)/],
    ['window', revoked, /window: could not be read: reading it threw TypeError: /],
    ['alerting', revoked, /alerting: must be AlertPolicy.workbook\(\) or AlertPolicy.fromTiers\(\[...\]\), got an object that cannot be read/],
    ['blindAlert', revoked, /blindAlert: must be \{ severity\?, after\?, expectedEvents\? \}/],
  ])('%s = %s', (prop, value, message) => {
    expect(build({ [prop]: value })).toThrow(message);
  });

  test('a runbook URL object whose getter throws', () => {
    expect(build({ runbookUrl: throwingGetter })).toThrow(/runbookUrl: must be an https:\/\/ URL, got \{"boom":<unreadable>\}/);
  });

  test('an objective written as a fraction is one clear error with "did you mean", not three warnings', () => {
    const stack = newStack();
    expect(build({ objective: 0.999 }, stack)).toThrow(
      'Shop/Checkout/availability: objective: is a percentage of good events (99.9 for 99.9 %), not a fraction: got 0.999, did you mean 99.9? '
      + '(an objective under 1 % promises that fewer than 1 % of events are good, and no alert tier could ever fire)');
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('tier-cannot-fire'))).toEqual([]);
  });

  test('a runbook URL with a line break or tab, which the URL parser would silently drop, is refused', () => {
    expect(build({ runbookUrl: 'https://wiki.example.com/run\nbook' })).toThrow(
      'availability: runbookUrl: must be an https:// URL without spaces, line breaks or control characters (it is repeated in alarm descriptions and pages), got "https://wiki.example.com/run\\nbook"');
    expect(build({ runbookUrl: 'https://wiki.example.com/a b' })).toThrow(/runbookUrl: must be an https:\/\/ URL without spaces/);
  });
});

/** A custom SLI whose pieces can be replaced. */
function custom(overrides: Partial<Record<keyof ISli, unknown>> = {}, binding: Partial<Record<keyof SliBinding, unknown>> = {}): ISli {
  const { requests } = counts();
  return {
    kind: 'custom',
    validate: () => [],
    bind: () => ({ usingMetrics: { total0: requests, bad0: counts().errors }, badEvents: 'FILL(bad0, 0)', totalEvents: 'total0', metricCount: 2, description: 'custom', ...binding }),
    ...overrides,
  } as ISli;
}

describe('a custom ISli is checked before its binding is used', () => {
  test('a valid custom SLI synthesizes', () => {
    expect(build({ sli: custom() })).not.toThrow();
  });

  test.each([
    ['bind() returns {}', custom({ bind: () => ({}) }),
      'sli: bind() returned usingMetrics that is not an object of metrics by id (e.g. { total0: metric }), got undefined'],
    ['bind() returns undefined', custom({ bind: () => undefined }),
      'sli: bind() must return { usingMetrics, badEvents, totalEvents, metricCount, description }, got undefined'],
    ['bind() throws', custom({ bind: () => { throw new TypeError('no metrics'); } }),
      'sli: bind() threw TypeError: no metrics: it must return { usingMetrics, badEvents, totalEvents, metricCount, description } once validate() returned no problem'],
    ['bind() throws a non-Error', custom({ bind: () => { throw 42n; } }), 'sli: bind() threw 42n'],
    ['a metric that is not one', custom({}, { usingMetrics: { total0: 'Requests' } }),
      'sli: bind() returned usingMetrics.total0 that is not a CloudWatch metric or math expression (IMetric), got "Requests"'],
    ['an id CloudWatch refuses', custom({}, { usingMetrics: { Total: counts().requests, bad0: counts().errors } }),
      'sli: bind() returned usingMetrics id "Total" that is not a CloudWatch metric-math id (a lowercase letter, then letters, digits and _)'],
    ['an expression that is a number', custom({}, { badEvents: 0 }),
      'sli: bind() returned badEvents that is not a metric-math expression (a non-empty string such as `total0`), got 0'],
    ['an expression over two lines', custom({}, { totalEvents: 'total0\n+ 1' }),
      'sli: bind() returned totalEvents that is not a metric-math expression CloudWatch accepts (at most 2048 characters, one line), got "total0\\n+ 1"'],
    ['a metricCount that is a string', custom({}, { metricCount: '2' }), 'sli: bind() returned metricCount that is not a whole number of metrics >= 1, got "2"'],
    ['a metricCount lower than the metrics read (it guards the 10-metric limit and the cost)', custom({}, { metricCount: 1 }),
      'sli: bind() returned metricCount that says 1, but usingMetrics reads 2 metrics'],
    ['a description that is not a string', custom({}, { description: { text: 'x' } }),
      'sli: bind() returned description that must be a non-empty string, got {"text":"x"}'],
    ['a description with a line break', custom({}, { description: 'errors\nover requests' }),
      'sli: bind() returned description that must be one line without control characters (line breaks, tabs, escapes), got "errors\\nover requests"'],
    ['a description holding half of a surrogate pair', custom({}, { description: 'errors \uD83D' }),
      'sli: bind() returned description that must be well-formed Unicode (it holds half of a surrogate pair, which templates cannot carry), got "errors \uFFFD"'],
    ['validate() throws', custom({ validate: () => { throw new RangeError('bad'); } }),
      'sli: validate() threw RangeError: bad: an ISli\'s validate() must return its problems as a list of messages, never throw'],
    ['validate() returns a string', custom({ validate: () => 'bad' }),
      'sli: validate() must return a list of messages (string[], empty when valid), got "bad"'],
    ['validate() returns a list of non-strings', custom({ validate: () => [7] }),
      'sli: validate() returned a message that is not a non-empty string: 7'],
    ['no kind', custom({ kind: undefined }), 'sli: kind must be a non-empty string, got undefined (`ratio`, `latency` or a short word of yours)'],
    ['a kind over two lines', custom({ kind: 'a\nb' }), 'sli: kind must be one line without control characters'],
  ])('%s', (_what, sli, message) => {
    let error: unknown;
    try {
      build({ sli })();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).constructor).toBe(Error);
    expect((error as Error).message).toMatch(/^Shop\/Checkout\/availability: /);
    expect((error as Error).message).toContain(message);
  });

  test('the problems of validate() are reported as given', () => {
    expect(build({ sli: custom({ validate: () => ['needs a total'] }) })).toThrow('Shop/Checkout/availability: sli: needs a total');
  });

  test('an emoji in a description is fine: alarm descriptions are cut between characters', () => {
    const stack = newStack();
    build({ sli: custom({}, { description: `checkout 🛒 ${'x'.repeat(1_000)}` }) }, stack)();
    for (const alarm of Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))) {
      const text: string = alarm.Properties.AlarmDescription;
      expect(text.length).toBeLessThanOrEqual(1_024);
      expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)).toBe(false);
    }
  });
});

describe('metrics CloudWatch would refuse', () => {
  const metric = (namespace: string, metricName = 'Requests', dimensionsMap: Record<string, string> = {}) => new Metric({ namespace, metricName, dimensionsMap });

  test('a namespace over 255 characters (CloudWatch API, Metric)', () => {
    const namespace = `Shop/${'n'.repeat(251)}`;
    expect(build({ sli: Sli.ratio({ bad: counts().errors, total: metric(namespace) }) })).toThrow(
      `Shop/Checkout/availability: sli: metric ${namespace} Requests: namespace must be at most 255 characters (CloudWatch), got 256: "${namespace.slice(0, 99)}…" (256 characters)`);
    expect(build({ sli: Sli.ratio({ bad: counts().errors, total: metric(`Shop/${'n'.repeat(250)}`) }) })).not.toThrow();
  });

  test('namespace characters, a leading colon, control characters in names', () => {
    expect(build({ sli: Sli.ratio({ bad: counts().errors, total: metric('Shop\n') }) })).toThrow(
      /sli: metric Shop\n Requests: namespace must use only ASCII letters, digits, '.', '-', '_', '\/', '#', ':' and spaces.*got "Shop\\n"/);
    expect(build({ sli: Sli.ratio({ bad: counts().errors, total: metric(':Shop') }) })).toThrow(/namespace must use only .*not start with a colon/);
    expect(build({ sli: Sli.latency({ metric: metric('Shop', 'Latency\t'), threshold: Duration.millis(300), description: 'latency' }) })).toThrow(
      /sli: metric Shop Latency\t: metric name must be 1 to 255 characters without control characters \(CloudWatch\), got "Latency\\t"/);
  });

  test('dimension names and values', () => {
    expect(build({ sli: Sli.ratio({ bad: counts().errors, total: metric('Shop', 'Requests', { ':Service': 'checkout' }) }) }))
      .toThrow(/dimension name ":Service" must be 1 to 255 ASCII characters without control characters, not start with a colon/);
    expect(build({ sli: Sli.ratio({ bad: counts().errors, total: metric('Shop', 'Requests', { Service: 'caf\u00e9' }) }) }))
      .toThrow('sli: metric Shop Requests: dimension Service must hold ASCII characters only (CloudWatch dimension values), got "café"');
  });
});

describe('service props', () => {
  const service = (props: Record<string, unknown>, stack = newStack()) => () => new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability() as SloProps], ...props });

  test.each(['no', 1, null, {}])('dashboard %p is refused: it is a boolean', (dashboard) => {
    expect(service({ dashboard })).toThrow(`Shop/Checkout: dashboard: must be true or false (whether to declare the service's CloudWatch dashboard), got ${describeValue(dashboard)}`);
  });

  test.each([
    [5, 'must be a non-empty string, got 5'],
    ['', 'must be a non-empty string, got ""'],
    ['payments\nteam', 'must be one line without control characters (line breaks, tabs, escapes), got "payments\\nteam"'],
    ['team \uDC00', 'must be well-formed Unicode'],
    [' payments', 'must not start or end with spaces, got " payments"'],
    ['p'.repeat(129), 'must be at most 128 characters, got 129'],
  ])('owner %p is refused with what is allowed', (owner, message) => {
    expect(service({ owner })).toThrow(new RegExp(`^Shop/Checkout: owner: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.* \\(the team that owns the service, e\\.g\\. "payments-team", up to 128 characters on one line`));
  });

  test('a good owner, an emoji included, and a token owner are accepted', () => {
    expect(service({ owner: 'payments-team 💳' })).not.toThrow();
    expect(service({ owner: Token.asString({ Ref: 'Owner' }) })).not.toThrow();
  });

  test('several service problems at once', () => {
    expect(service({ dashboard: 'yes', owner: 7, critical: 'no' })).toThrow(/^Shop\/Checkout: 3 problems:\n {2}- critical: .*\n {2}- dashboard: .*\n {2}- owner: /);
  });
});

describe('a Lambda SLI whose function may run longer than a tier\'s short window', () => {
  function withTimeout(timeout: Duration | undefined, alias = false) {
    const stack = new Stack(new App(), 'Shop');
    const fn = new lambda.Function(stack, 'WorkerFn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>1'), timeout });
    const target = alias ? new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion }) : fn;
    new ReliableService(stack, 'Worker', { serviceName: 'worker', slos: [{ name: 'availability', objective: 99.9, sli: Sli.lambdaAvailability(target) }] });
    return Annotations.fromStack(stack);
  }

  test('a 10-minute timeout against the 5-minute short window warns and says what to do', () => {
    withTimeout(Duration.minutes(10)).hasWarning('/Shop/Worker/availability', Match.stringLikeRegexp(
      '^Shop/Worker/availability: sli: function Shop/WorkerFn may run for up to 10m \\(its timeout\\), longer than the short window of page-1h-5m \\(5m\\)\\. '
      + 'Lambda timestamps an invocation\'s Errors and Duration at its start, so a failure that comes after more than 5m is counted in minutes that window has already left.*'
      + 'Lower the function\'s timeout under the short window, give those tiers a short window at least as long as the timeout.*'
      + '\\[ack: cdk-reliability:lambda-timeout-exceeds-short-window\\]'));
  });

  test('the 15-minute maximum also exposes the 30-minute window? No: only windows shorter than the timeout are named', () => {
    withTimeout(Duration.minutes(15)).hasWarning('/Shop/Worker/availability', Match.stringLikeRegexp('short window of page-1h-5m \\(5m\\)\\. '));
  });

  test('through an alias, the function\'s timeout counts', () => {
    withTimeout(Duration.minutes(10), true).hasWarning('/Shop/Worker/availability', Match.stringLikeRegexp('lambda-timeout-exceeds-short-window'));
  });

  test.each([undefined, Duration.seconds(30), Duration.minutes(5)])('timeout %p (at most the short window) does not warn', (timeout) => {
    withTimeout(timeout).hasNoWarning('*', Match.stringLikeRegexp('lambda-timeout-exceeds-short-window'));
  });

  test('the latency preset is watched the same way; an imported function (timeout unknown) is not', () => {
    const stack = new Stack(new App(), 'Shop');
    const fn = new lambda.Function(stack, 'WorkerFn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>1'), timeout: Duration.minutes(6) });
    new ReliableService(stack, 'Worker', { serviceName: 'worker', slos: [
      { name: 'latency', objective: 99, sli: Sli.lambdaLatency(fn, { threshold: Duration.seconds(1) }) },
      { name: 'imported', objective: 99, sli: Sli.lambdaAvailability(lambda.Function.fromFunctionName(stack, 'Other', 'other')) },
    ] });
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Shop/Worker/latency', Match.stringLikeRegexp('lambda-timeout-exceeds-short-window'));
    annotations.hasNoWarning('/Shop/Worker/imported', Match.anyValue());
  });
});

test('textProblem accepts tokens when told how to recognise them', () => {
  expect(textProblem(Token.asString({ Ref: 'X' }), 5, (t) => Token.isUnresolved(t))).toBeUndefined();
  expect(textProblem('ok', 5)).toBeUndefined();
});

describe('hostile values in Sli.ratio and Sli.latency', () => {
  test.each([
    ['Sli.ratio(undefined)', () => Sli.ratio(undefined as never), /sli: Sli.ratio needs exactly one of `good` or `bad` \(or `goodMetrics`, `badMetrics` for several metrics\), got neither/],
    ['Sli.ratio(null)', () => Sli.ratio(null as never), /sli: Sli.ratio needs exactly one of `good` or `bad` \(or `goodMetrics`, `badMetrics` for several metrics\), got neither/],
    ['Sli.ratio({ bad: 1n, total })', () => Sli.ratio({ bad: 1n as never, total: counts().requests }), /sli: Sli.ratio `bad` is not a CloudWatch metric or math expression/],
    ['Sli.ratio({ bad, total: Symbol })', () => Sli.ratio({ bad: counts().errors, total: Symbol('t') as never }), /sli: Sli.ratio `total` is not a CloudWatch metric or math expression/],
    ['Sli.latency(undefined)', () => Sli.latency(undefined as never), /sli: Sli.latency needs `metric`, a CloudWatch latency metric/],
    ['Sli.latency({ unit: 10n })', () => Sli.latency({ metric: counts().requests, threshold: Duration.millis(300), unit: 10n as never }),
      /sli: Sli.latency `unit` must be LatencyUnit.MILLISECONDS or LatencyUnit.SECONDS, got 10n/],
    ['Sli.latency({ threshold: circular })', () => Sli.latency({ metric: counts().requests, threshold: circular() as never }),
      /sli: Sli.latency `threshold` must be a Duration \(e.g. Duration.millis\(300\)\), got \{"name":"loop","self":\[circular\]\}/],
    ['a metric whose toMetricConfig throws', () => Sli.ratio({ bad: counts().errors, total: { toMetricConfig: () => { throw new Error('broken metric'); } } as never }),
      /sli: validate\(\) threw Error: broken metric/],
  ])('%s is refused with the SLO\'s path, never a TypeError', (_what, make, message) => {
    let error: unknown;
    try {
      build({ sli: make() })();
    } catch (e) {
      error = e;
    }
    expect((error as Error).constructor).toBe(Error);
    expect((error as Error).message).toMatch(/^Shop\/Checkout\/availability: /);
    expect((error as Error).message).toMatch(message);
  });
});

describe('values whose reading throws (Proxies, getters) are refused as "could not be read", naming the path and the prop', () => {
  const proxy = () => throwingProxy();
  const service = (props: Record<string, unknown>, stack = newStack()) =>
    () => new ReliableService(stack, 'Checkout', { serviceName: 'checkout', slos: [availability() as SloProps], ...props } as never);
  const failure = (make: () => unknown): Error => {
    try {
      make();
    } catch (e) {
      return e as Error;
    }
    throw new Error('expected a refusal');
  };
  const refused = (make: () => unknown, message: RegExp) => {
    const e = failure(make);
    expect(e.constructor).toBe(Error); // a plain Error: never the user's HostileValueError, never a TypeError
    expect(e.message).toMatch(message);
    expect(e.message).not.toMatch(/^hostile/);
  };

  test('a list of SLOs whose reading throws', () => {
    refused(service({ slos: throwingArray() }),
      /^Shop\/Checkout: slos: could not be read: reading it threw HostileValueError: hostile proxy get threw on purpose/);
  });

  test('an SLO that is a Proxy whose every read throws', () => {
    refused(service({ slos: [availability(), proxy()] }), /^Shop\/Checkout: slos\[1\] could not be read: reading it threw HostileValueError/);
  });

  test('an SLO whose name getter throws', () => {
    const slo = Object.defineProperty({ ...availability() }, 'name', { enumerable: true, get: () => { throw new HostileValueError('getter name'); } });
    refused(service({ slos: [slo] }), /^Shop\/Checkout: slos\[0\]: name could not be read: reading it threw HostileValueError: hostile getter name threw on purpose/);
  });

  test('an SLO that is not an object', () => {
    refused(service({ slos: [42n] }), /^Shop\/Checkout: slos\[0\]: must be an SLO's props \(\{ name, objective, sli \}\), got 42n/);
  });

  test('an escalation that is a Proxy whose every read throws', () => {
    refused(service({ escalation: proxy() }), /^Shop\/Checkout: escalation: could not be read: reading it threw HostileValueError/);
  });

  test('a service runbook URL that is a Proxy', () => {
    refused(service({ runbookUrl: proxy() }), /^Shop\/Checkout: runbookUrl: must be an https:\/\/ URL, got an object that cannot be read/);
  });

  test('an SLO runbook URL and objective that are Proxies', () => {
    refused(build({ runbookUrl: proxy(), objective: proxy() }),
      /objective: must be a number > 0 and < 100 .*got an object that cannot be read[\s\S]*runbookUrl: must be an https:\/\/ URL, got an object that cannot be read/);
  });

  test('AlertPolicy.fromTiers() given a list whose reading throws: the SLO using it says so', () => {
    refused(build({ alerting: AlertPolicy.fromTiers(throwingArray() as never) }),
      /^Shop\/Checkout\/availability: alerting\.tiers: could not be read: reading it threw HostileValueError/);
  });

  test('AlertPolicy.fromTiers() given a tier that is a Proxy: the tier is named', () => {
    const tiers = [proxy(), { severity: Severity.PAGE, budgetSpentPercent: 2, longWindow: Duration.hours(1) }];
    refused(build({ alerting: AlertPolicy.fromTiers(tiers as never) }),
      /^Shop\/Checkout\/availability: alerting\.tiers\[0\]: could not be read: reading severity threw HostileValueError: hostile proxy get threw on purpose$/);
  });

  test('AlertPolicy.fromTiers() given a tier whose longWindow getter throws', () => {
    const tier = Object.defineProperty({ severity: Severity.PAGE, budgetSpentPercent: 2 }, 'longWindow', { get: () => { throw new HostileValueError('getter longWindow'); } });
    refused(build({ alerting: AlertPolicy.fromTiers([tier] as never) }), /alerting\.tiers\[0\]: could not be read: reading longWindow threw HostileValueError/);
  });

  test('a tier severity that is a circular object is described, not serialised', () => {
    refused(build({ alerting: AlertPolicy.fromTiers([{ severity: circular(), budgetSpentPercent: 2, longWindow: Duration.hours(1) }] as never) }),
      /alerting\.tiers\[0\]\.severity: must be Severity\.PAGE or Severity\.TICKET, got \{"name":"loop","self":\[circular\]\}/);
  });

  test('AlertPolicy.workbook() given options whose tickets getter throws', () => {
    refused(() => AlertPolicy.workbook(throwingProxy() as never), /^AlertPolicy\.workbook\(\): tickets could not be read: reading it threw HostileValueError/);
  });
});

describe('names that cannot be shown raw are quoted safely', () => {
  test('a 5,000-character service name is cut on whole characters, with its length', () => {
    const e = (() => {
      try {
        new ReliableService(newStack(), 'Checkout', { serviceName: '🚀'.repeat(5000), slos: [availability() as SloProps] });
      } catch (err) {
        return err as Error;
      }
      throw new Error('expected a refusal');
    })();
    expect(e.message).toMatch(/^Shop\/Checkout: serviceName: must be at most \d+ characters \(it becomes part of alarm names\), got 10000: "(🚀)+…" \(5000 characters\)$/u);
    expect(e.message.length).toBeLessThan(400);
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(e.message)).toBe(false);
  });

  test('a name with a right-to-left override shows it escaped, so that it cannot reorder the message', () => {
    expect(build({ name: '\u202Eevil' })).toThrow(/slos\[0\]: name must use only letters, digits, .* got "\\u202eevil"$/);
    expect(build({ name: '\u202Eevil' })).not.toThrow(/\u202E/);
  });

  test('an escalation that is a string with a bidi override or half a surrogate pair is quoted and escaped', () => {
    const refuse = (escalation: string) => () => new ReliableService(newStack(), 'Checkout', { serviceName: 'checkout', slos: [availability() as SloProps], escalation: escalation as never });
    expect(refuse('\u202Eevil')).toThrow(/escalation: must be an IEscalationPolicy: .*got "\\u202eevil"$/);
    expect(refuse('\uD83D')).toThrow(/escalation: must be an IEscalationPolicy: .*got "\uFFFD"$/);
  });
});
