/**
 * Scenarios: what each metric of an SLO publishes, minute by minute. A scenario is a function
 * (metric, minute) -> value | undefined; this module builds them from traffic (events per minute
 * and the share that is bad), distributing the events over the SLI's metrics by the role each
 * plays in its bad and total expressions, and modifies them: a metric that stops, traffic that
 * stops, a metric that publishes nothing while it is zero. Pure.
 */
import { expandedExpression, MetricIdentity, metricIdentityKey, Scenario } from './evaluator';
import { MathNode, parseMetricMath } from './metric-math';
import { SloAlarmModel, WindowAlarmModel } from './template-alarms';

/** Traffic and errors per minute; minutes before 0 are the history the windows start with. */
export interface TrafficProfile {
  /** Events in minute `m`; 0 means no traffic (no datapoints at all). */
  eventsPerMinute(minute: number): number;
  /** Fraction of the events of minute `m` that are bad. */
  errorRatio(minute: number): number;
}

/**
 * Which metric(s) a scenario modifier applies to: a metric name (`'RequestCount'`), some fields
 * that must all match (`{ metricName: 'Duration', statistic: 'SampleCount' }`; dimensions match
 * when every given one is equal), or a predicate.
 */
export type MetricMatch =
  | string
  | { readonly namespace?: string; readonly metricName?: string; readonly statistic?: string; readonly dimensions?: Record<string, string> }
  | ((metric: MetricIdentity) => boolean);

/** Whether `metric` is one `match` designates. */
export function matchesMetric(match: MetricMatch, metric: MetricIdentity): boolean {
  if (typeof match === 'string') {
    return metric.metricName === match;
  }
  if (typeof match === 'function') {
    return match(metric);
  }
  return (match.namespace === undefined || match.namespace === metric.namespace)
    && (match.metricName === undefined || match.metricName === metric.metricName)
    && (match.statistic === undefined || match.statistic === metric.statistic)
    && Object.entries(match.dimensions ?? {}).every(([name, value]) => metric.dimensions[name] === value);
}

/** The SLI's bad and total event counts, as metric-math expressions over the alarms' ids. */
export interface EventExpressions {
  /** E.g. `FILL(bad0, 0)`, `(total0 - FILL(good0, 0))`. */
  readonly badEvents: string;
  /** E.g. `total0`, `(FILL(total0, 0) + FILL(total1, 0))`. */
  readonly totalEvents: string;
}

/**
 * How a metric's per-minute value follows from the minute's events: `events × a + bad × b`, or,
 * for a rate (`rate` given), `bad / events × rate` in a minute with events.
 */
export interface EventShare {
  readonly events: number;
  readonly bad: number;
  /**
   * The metric publishes the minute's share of bad events times this (100: a percentage), as
   * CloudFront's `5xxErrorRate` (`Average`) does, rather than a count.
   * @default - a count
   */
  readonly rate?: number;
}

/** Options of `trafficScenario`. */
export interface TrafficScenarioOptions {
  /**
   * The SLI's bad and total expressions, as the manifest records them (`sli.badEvents`,
   * `sli.totalEvents`).
   * @default - read from the alarms' burn-rate expression: the division inside it, bad / total
   */
  readonly events?: EventExpressions;
  /**
   * The metric that carries the bad events when several could (a Lambda's `Errors` rather than
   * its `Throttles`; an ALB's `HTTPCode_Target_5XX_Count` rather than `HTTPCode_ELB_5XX_Count`).
   * @default - a metric that counts both bad and total events (Throttles), else the first bad metric
   */
  readonly badMetric?: MetricMatch;
  /** The metric that carries the total events when several count them. @default - the first total metric */
  readonly totalMetric?: MetricMatch;
}

/** Whether two parsed expressions are the same tree. */
function sameNode(a: MathNode, b: MathNode): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Bad / total inside an alarm's expression: the first division whose divisor reads a metric. Two
 * shapes are known: the guarded divisor `B / IF(T > B, IF(T > N, T, N), IF(B > N, B, N))` (i.e.
 * `B / max(T, B, N)`, lib/alarms/expression.ts), whose total is the left side of the first
 * comparison, and a plain `bad / total` (earlier releases: `IF(total > 0, bad / total, 0)`).
 */
function divisionOf(node: MathNode): { bad: MathNode; total: MathNode } | undefined {
  switch (node.kind) {
    case 'binary':
      if (node.op === '/' && node.right.kind !== 'number') {
        const divisor = node.right;
        if (divisor.kind === 'call' && divisor.fn === 'IF') {
          const condition = divisor.args[0];
          if (condition.kind === 'binary' && condition.op === '>' && sameNode(condition.right, node.left)) {
            return { bad: node.left, total: condition.left };
          }
        }
        return { bad: node.left, total: divisor };
      }
      return divisionOf(node.left) ?? divisionOf(node.right);
    case 'unary': return divisionOf(node.operand);
    case 'call':
      for (const a of node.args) {
        const found = divisionOf(a);
        if (found) {
          return found;
        }
      }
      return undefined;
    default: return undefined;
  }
}

/**
 * `node` as a linear form over metric keys (FILL(x, 0) reads as x: both are the count in minutes
 * with traffic), or a reason why it is not one.
 */
function linearForm(node: MathNode, alarm: WindowAlarmModel): Map<string, number> | string {
  const out = new Map<string, number>();
  const add = (n: MathNode, factor: number): string | undefined => {
    switch (n.kind) {
      case 'id': {
        const metric = alarm.metrics[n.id];
        if (!metric) {
          return `${n.id} is not a metric`;
        }
        const key = metricIdentityKey(metric);
        out.set(key, (out.get(key) ?? 0) + factor);
        return undefined;
      }
      case 'unary':
        return n.op === '-' ? add(n.operand, -factor) : 'NOT is not a count';
      case 'binary':
        if (n.op === '+' || n.op === '-') {
          return add(n.left, factor) ?? add(n.right, n.op === '-' ? -factor : factor);
        }
        if (n.op === '*' && n.left.kind === 'number') {
          return add(n.right, factor * n.left.value);
        }
        if (n.op === '*' && n.right.kind === 'number') {
          return add(n.left, factor * n.right.value);
        }
        return `\`${n.op}\` is not a sum of counts`;
      case 'call':
        if (n.fn === 'FILL' && n.args[1].kind === 'number' && n.args[1].value === 0) {
          return add(n.args[0], factor);
        }
        // IF(FILL(good, -1) >= 0, count, 0): a latency SLI's counts, judged where the trimmed
        // count exists, which it does in every minute with traffic (lib/sli/latency.ts): the count
        if (n.fn === 'IF' && n.args.length === 3 && isJudgedCondition(n.args[0]) && n.args[2].kind === 'number' && n.args[2].value === 0) {
          return add(n.args[1], factor);
        }
        return `${n.fn}(...) is not a sum of counts`;
      case 'number':
        return n.value === 0 ? undefined : 'a constant is not a count';
      default:
        return 'unknown node';
    }
  };
  const problem = add(node, 1);
  return problem ?? out;
}

/** `FILL(m, v) >= 0` with v < 0: "m has a datapoint" (a latency SLI's judged windows). */
function isJudgedCondition(node: MathNode): boolean {
  return node.kind === 'binary' && node.op === '>=' && node.right.kind === 'number' && node.right.value === 0
    && node.left.kind === 'call' && node.left.fn === 'FILL' && node.left.args[0].kind === 'id'
    && node.left.args[1].kind === 'unary' && node.left.args[1].op === '-' && node.left.args[1].operand.kind === 'number';
}

/** `FILL(x, 0)` or `x`: the id `x`. */
function filledId(node: MathNode): string | undefined {
  if (node.kind === 'id') {
    return node.id;
  }
  return node.kind === 'call' && node.fn === 'FILL' && node.args[0].kind === 'id' && node.args[1].kind === 'number' && node.args[1].value === 0
    ? node.args[0].id : undefined;
}

/**
 * Bad events counted as a rate times a count, `FILL(rate, 0) * FILL(total, 0) / 100` (an `Average`
 * percentage times a `Sum`, lib/sli/presets/cloudfront.ts), where `total` is the total events:
 * the rate metric's key and its scale, or undefined for any other shape.
 */
function rateTimesTotal(bad: MathNode, total: Map<string, number>, alarm: WindowAlarmModel): { key: string; scale: number } | undefined {
  if (bad.kind !== 'binary' || bad.op !== '/' || bad.right.kind !== 'number' || bad.left.kind !== 'binary' || bad.left.op !== '*') {
    return undefined;
  }
  const ids = [filledId(bad.left.left), filledId(bad.left.right)];
  const metrics = ids.map((id) => (id === undefined ? undefined : alarm.metrics[id]));
  const totalKeys = [...total.keys()];
  for (const [r, t] of [[0, 1], [1, 0]]) {
    const rate = metrics[r];
    const count = metrics[t];
    if (rate?.statistic === 'Average' && count && totalKeys.length === 1 && total.get(totalKeys[0]) === 1
      && metricIdentityKey(count) === totalKeys[0]) {
      return { key: metricIdentityKey(rate), scale: bad.right.value };
    }
  }
  return undefined;
}

/** The alarm's tree with expression ids inlined, the events split into bad and total. */
function eventForms(alarm: WindowAlarmModel, events: EventExpressions | undefined) {
  let bad: MathNode;
  let total: MathNode;
  if (events) {
    const inline = (text: string) => expandedExpression({ ...alarm, expression: parseMetricMath(text) });
    bad = inline(events.badEvents);
    total = inline(events.totalEvents);
  } else {
    const division = divisionOf(expandedExpression(alarm));
    if (!division) {
      return undefined;
    }
    ({ bad, total } = division);
  }
  const t = linearForm(total, alarm);
  const rate = typeof t === 'string' ? undefined : rateTimesTotal(bad, t, alarm);
  if (rate) {
    return { bad: new Map<string, number>(), total: t as Map<string, number>, rate };
  }
  const b = linearForm(bad, alarm);
  if (typeof b === 'string' || typeof t === 'string') {
    throw new Error(`alarm ${alarm.name}: cannot tell which metrics count bad and total events (${typeof b === 'string' ? b : t}); `
      + 'give the value of each metric (a Scenario) instead of traffic');
  }
  return { bad: b, total: t };
}

/**
 * How each metric's value follows from the events and bad events of a minute, so that the SLI's
 * bad expression counts the bad events and its total expression all events: a metric that counts
 * both (a Lambda's Throttles) carries the bad events and the first total metric the rest; else the
 * first bad metric carries the bad events and the first total metric all of them; for good-event
 * SLIs (latency: `total - good`), the total carries all events and the first good metric the good
 * ones. The other metrics of the expressions read 0; a metric in neither has no share.
 */
export function eventShares(model: SloAlarmModel, options: TrafficScenarioOptions = {}): Map<string, EventShare> {
  const bad = new Map<string, number>();
  const total = new Map<string, number>();
  const metrics = new Map<string, MetricIdentity>();
  let found = false;
  let rate: { key: string; scale: number } | undefined;
  for (const alarm of model.windowAlarms) {
    Object.values(alarm.metrics).forEach((m) => {
      const key = metricIdentityKey(m);
      metrics.set(key, { ...m, key });
    });
    const forms = eventForms(alarm, options.events);
    if (!forms) {
      continue; // an alarm that is not a burn rate (none today): its metrics read 0
    }
    if ('rate' in forms) {
      rate = forms.rate;
    }
    for (const [target, form] of [[bad, forms.bad], [total, forms.total]] as const) {
      for (const [key, coefficient] of form) {
        if (target.has(key) && target.get(key) !== coefficient) {
          throw new Error(`alarm ${alarm.name}: its bad or total expression differs from the other alarms'; give the value of each metric (a Scenario)`);
        }
        target.set(key, coefficient);
      }
    }
    found = true;
  }
  if (!found) {
    throw new Error('no alarm expression divides bad by total events: give the SLI\'s bad and total expressions (the manifest\'s sli.badEvents and sli.totalEvents), or the value of each metric (a Scenario)');
  }

  if (rate) {
    // a rate times the total (CloudFront): the total metric counts every event, the rate metric
    // publishes the minute's share of bad events, scaled (see `rateTimesTotal`)
    const shares = new Map<string, EventShare>();
    total.forEach((_, key) => shares.set(key, { events: 1, bad: 0 }));
    return shares.set(rate.key, { events: 0, bad: 0, rate: rate.scale });
  }

  const keys = [...metrics.keys()];
  const b = (key: string) => bad.get(key) ?? 0;
  const t = (key: string) => total.get(key) ?? 0;
  const prefer = (list: string[], match: MetricMatch | undefined) => {
    const preferred = match === undefined ? [] : list.filter((k) => matchesMetric(match, metrics.get(k)!));
    return [...preferred, ...list.filter((k) => !preferred.includes(k))];
  };
  const shared = prefer(keys.filter((k) => b(k) === 1 && t(k) === 1), options.badMetric);
  const badOnly = prefer(keys.filter((k) => b(k) === 1 && t(k) === 0), options.badMetric);
  const totalOnly = prefer(keys.filter((k) => b(k) === 0 && t(k) === 1), options.totalMetric);
  const totals = prefer(keys.filter((k) => t(k) === 1), options.totalMetric);
  const goodOnly = keys.filter((k) => b(k) === -1 && t(k) === 0);

  const candidates: Map<string, EventShare>[] = [];
  const candidate = (entries: [string | undefined, EventShare][]) => {
    if (entries.every(([k]) => k !== undefined)) {
      candidates.push(new Map(entries as [string, EventShare][]));
    }
  };
  const badFirst = options.badMetric !== undefined && badOnly.length > 0 && matchesMetric(options.badMetric, metrics.get(badOnly[0])!)
    && !(shared.length > 0 && matchesMetric(options.badMetric, metrics.get(shared[0])!));
  const sharedCarries = () => candidate([[shared[0], { events: 0, bad: 1 }], [totalOnly[0], { events: 1, bad: -1 }]]);
  const badCarries = () => candidate([[badOnly[0], { events: 0, bad: 1 }], [totalOnly[0], { events: 1, bad: 0 }]]);
  if (badFirst) {
    badCarries();
    sharedCarries();
  } else {
    sharedCarries();
    badCarries();
  }
  candidate([[totals[0], { events: 1, bad: 0 }], [goodOnly[0], { events: 1, bad: -1 }]]);

  // the first assignment under which the bad expression counts the bad events and the total all
  const counts = (form: Map<string, number>, shares: Map<string, EventShare>) => {
    let events = 0;
    let badEvents = 0;
    for (const [key, c] of form) {
      const share = shares.get(key);
      events += c * (share?.events ?? 0);
      badEvents += c * (share?.bad ?? 0);
    }
    return { events, badEvents };
  };
  for (const shares of candidates) {
    const B = counts(bad, shares);
    const T = counts(total, shares);
    if (B.events === 0 && B.badEvents === 1 && T.events === 1 && T.badEvents === 0) {
      // the other metrics of the expressions count none of these events
      for (const key of [...bad.keys(), ...total.keys()]) {
        if (!shares.has(key)) {
          shares.set(key, { events: 0, bad: 0 });
        }
      }
      return shares;
    }
  }
  throw new Error('cannot distribute events over the SLI\'s metrics so that its bad and total expressions count them '
    + `(bad: ${describeForm(bad, metrics)}; total: ${describeForm(total, metrics)}); give the value of each metric (a Scenario)`);
}

function describeForm(form: Map<string, number>, metrics: Map<string, MetricIdentity>): string {
  return [...form].map(([key, c]) => `${c === 1 ? '' : c === -1 ? '-' : `${c} x `}${metrics.get(key)?.metricName ?? key}`).join(' + ') || '0';
}

/**
 * A scenario from traffic: in a minute with events, every metric of the SLI publishes its share
 * (see `eventShares`; 0 for a metric that counts nothing of it); in a minute without events, no
 * metric publishes anything (CloudWatch has no datapoint). A rate metric (CloudFront's
 * `5xxErrorRate`) publishes the minute's share of bad events as one datapoint a minute, so that a
 * longer period's `Average` is the mean of its minutes' rates, not weighted by their requests: an
 * assumption, AWS documents the metric's unit (Percent) and statistic (Average), not how many
 * samples a minute holds ("Types of metrics for CloudFront",
 * docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html).
 * A metric in neither the bad nor the total events is refused when the evaluator asks for it (wrap
 * the scenario with `overrideMetric`).
 */
export function trafficScenario(model: SloAlarmModel, profile: TrafficProfile, options: TrafficScenarioOptions = {}): Scenario {
  const shares = eventShares(model, options);
  // the evaluator asks for one metric minute after minute: remember the last one's share
  let last: MetricIdentity | undefined;
  let share: EventShare = { events: 0, bad: 0 };
  return (metric, minute) => {
    if (metric !== last) {
      const found = shares.get(metric.key);
      if (!found) {
        throw new Error(`${metric.namespace} ${metric.metricName} (${metric.statistic}) counts neither the SLI's bad nor its total events, `
          + 'so traffic does not say what it publishes: give its values (overrideMetric) or a Scenario');
      }
      last = metric;
      share = found;
    }
    const events = profile.eventsPerMinute(minute);
    if (!(events > 0)) {
      return undefined;
    }
    if (share.rate !== undefined) {
      return profile.errorRatio(minute) * share.rate;
    }
    const badEvents = events * profile.errorRatio(minute);
    const value = events * share.events + badEvents * share.bad;
    // events - bad events may round a hair below 0 at a 100 % error ratio
    return value < 0 && value > -1e-9 * events ? 0 : value;
  };
}

/** Options of `incident`. */
export interface IncidentOptions {
  /** Fraction of the events that are bad during the incident (0.02 for 2 %). */
  readonly errorRatio: number;
  /** From minute 0; a fraction of a minute makes the last minute partly bad (90 s: minute 1 is half bad). */
  readonly durationMinutes: number;
  /** @default 1000 */
  readonly eventsPerMinute?: number;
  /** Fraction of bad events before and after the incident. @default 0 */
  readonly baselineErrorRatio?: number;
}

/** A constant rate of events with a constant error ratio from minute 0 for `durationMinutes`, at the baseline before and after. */
export function incident(options: IncidentOptions): TrafficProfile {
  const rate = options.eventsPerMinute ?? 1_000;
  const baseline = options.baselineErrorRatio ?? 0;
  const duration = options.durationMinutes;
  return {
    eventsPerMinute: () => rate,
    errorRatio: (m) => {
      // the share of minute [m, m + 1) inside the incident [0, duration)
      const inside = (m + 1 < duration ? m + 1 : duration) - (m > 0 ? m : 0);
      if (inside >= 1) {
        return options.errorRatio;
      }
      return inside > 0 ? baseline + (options.errorRatio - baseline) * inside : baseline;
    },
  };
}

/** `eventsPerMinute` events every minute, `errorRatio` of them bad. */
export function constantTraffic(eventsPerMinute: number, errorRatio = 0): TrafficProfile {
  return { eventsPerMinute: () => eventsPerMinute, errorRatio: () => errorRatio };
}

/**
 * Whole events spread evenly, `eventsPerHour` an hour (5 an hour: one event every 12 minutes, the
 * first at minute 0); minutes without an event have no traffic, so CloudWatch has no datapoint for
 * them. Low traffic as count metrics see it, rather than a fraction of an event every minute.
 */
export function spreadTraffic(eventsPerHour: number, errorRatio = 0): TrafficProfile {
  if (!(eventsPerHour > 0) || !Number.isFinite(eventsPerHour)) {
    throw new Error(`spreadTraffic: eventsPerHour must be a number above 0, got ${eventsPerHour}`);
  }
  // events up to the start of minute m, rounded up: minute m holds the events in (m, m + 1] x rate
  const upTo = (m: number) => Math.ceil((m * eventsPerHour) / 60);
  return { eventsPerMinute: (m) => upTo(m + 1) - upTo(m), errorRatio: () => errorRatio };
}

/** The profile, with `errorRatio` of the events bad from `fromMinute` until before `toMinute` (an incident in any traffic). */
export function incidentWindow(profile: TrafficProfile, fromMinute: number, toMinute: number, errorRatio: number): TrafficProfile {
  return {
    eventsPerMinute: (m) => profile.eventsPerMinute(m),
    errorRatio: (m) => (m >= fromMinute && m < toMinute ? errorRatio : profile.errorRatio(m)),
  };
}

/** The profile until minute `minute`; no events at all from it on. */
export function trafficStopsAt(profile: TrafficProfile, minute: number): TrafficProfile {
  return {
    eventsPerMinute: (m) => (m >= minute ? 0 : profile.eventsPerMinute(m)),
    errorRatio: (m) => profile.errorRatio(m),
  };
}

/** The scenario, except that the matching metric(s) publish nothing from `fromMinute` until before `toMinute`. */
export function stopMetric(scenario: Scenario, match: MetricMatch, fromMinute: number, toMinute = Infinity): Scenario {
  return overrideMetric(scenario, match, (minute, original) => (minute >= fromMinute && minute < toMinute ? undefined : original()));
}

/**
 * The scenario, except that the matching metric(s) (every metric when no match is given) publish
 * nothing in a minute where their value is 0: event-driven metrics such as an ALB's
 * `HTTPCode_ELB_5XX_Count` have no datapoint in a minute without such an event ("If there are no
 * 5XX errors during a period, then the result is an empty period (rather than a zero value)",
 * AWS Knowledge Center, "Why is my CloudWatch alarm in INSUFFICIENT_DATA state?").
 */
export function publishedOnlyWhenNonZero(scenario: Scenario, match: MetricMatch = () => true): Scenario {
  return overrideMetric(scenario, match, (_, original) => {
    const value = original();
    return value === 0 ? undefined : value;
  });
}

/**
 * The scenario with the matching metric(s)' values replaced by `value(minute, original)`, where
 * `original()` is what the scenario gives (asked only when called: a metric traffic says nothing
 * about can be given values of its own).
 */
export function overrideMetric(
  scenario: Scenario,
  match: MetricMatch,
  value: (minute: number, original: () => number | undefined) => number | undefined,
): Scenario {
  let last: MetricIdentity | undefined;
  let hit = false;
  return (metric, minute) => {
    if (metric !== last) {
      last = metric;
      hit = matchesMetric(match, metric);
    }
    return hit ? value(minute, () => scenario(metric, minute)) : scenario(metric, minute);
  };
}
