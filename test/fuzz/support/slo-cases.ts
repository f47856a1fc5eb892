/**
 * Generated services with SLOs, SLIs and alert tiers, valid and invalid, and how a case is built in
 * a fresh stack. Shared by the SLO fuzz test and the CloudFormation-validator sample.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { IMetric, MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as fc from 'fast-check';
import { AlertPolicy, LatencyUnit, ReliableService, Severity, Sli } from '../../../lib';
import { duration, fromWorld, labelled, Mix, oddAmount, oddString, optional, realize, tokenDuration, wrongType } from './arbitraries';
import { call } from './factories';
import { AllowedFailures, tryClearly } from './oracle';

export interface SloWorld {
  readonly stack: Stack;
  fn(): lambda.IFunction;
  stateMachine(): sfn.IStateMachine;
}

// ---- metrics (built by the user, so always valid CloudWatch metrics; their combination is fuzzed) ----

/** Mostly statistics an SLI accepts (Average, the CDK default; Sum and SampleCount count events), now and then one it refuses. */
const statistics = fc.oneof(
  { arbitrary: fc.constant('Average'), weight: 16 },
  { arbitrary: fc.constantFrom('Sum', 'SampleCount'), weight: 4 },
  { arbitrary: fc.constantFrom('p99', 'Maximum', 'tm99'), weight: 1 },
);
const periods = fc.constantFrom(Duration.minutes(1), Duration.minutes(5), Duration.hours(1), Duration.seconds(10));
const NAMES = { bad: ['Errors', 'Faults'], good: ['Good', 'Ok'], total: ['Requests', 'Invocations'], any: ['Requests', 'Errors', 'Latency'] };
type Role = keyof typeof NAMES;

/** A plain metric counting `role` events, now and then pinned to a region or an account. */
function plainMetric(role: Role): fc.Arbitrary<IMetric> {
  return fc.record({
    metricName: fc.constantFrom(...NAMES[role], ...NAMES.any.slice(0, 1)),
    // dimension values are ASCII only (CloudWatch API Reference, Dimension): 'ü-svc' is refused, as CloudWatch would
    service: fc.constantFrom('checkout', 'checkout', 'search', 'svc-2'),
    statistic: statistics,
    period: periods,
    region: fc.oneof({ arbitrary: fc.constant(undefined), weight: 20 }, { arbitrary: fc.constantFrom('eu-west-1', 'us-east-1'), weight: 1 }),
    account: fc.oneof({ arbitrary: fc.constant(undefined), weight: 20 }, { arbitrary: fc.constantFrom('111111111111', '222222222222'), weight: 1 }),
  }).map((p) => labelled(new Metric({
    namespace: 'Shop', metricName: p.metricName, dimensionsMap: { Service: p.service }, statistic: p.statistic, period: p.period,
    region: p.region, account: p.account,
  }), `Metric(${p.metricName}/${p.service} ${p.statistic}${p.region ? ` @${p.region}` : ''}${p.account ? ` #${p.account}` : ''})`));
}

/** Math over two metrics, with ids that may collide with another expression's or with the SLO's own. */
function mathMetric(role: Role, given: Mix): fc.Arbitrary<IMetric> {
  // the ids are aws-cdk-lib's MathExpression's input, built here outside the case: no hostile values in them
  const mix = new Mix(given.calm, { ...given.options, hostile: false });
  return fc.tuple(
    mix.pick(fc.constantFrom('m1', 'm2', 'x', 'errors_a'), fc.constantFrom('bad0', 'total1')),
    mix.pick(fc.constantFrom('m1', 'm2', 'y'), fc.constant('good0')),
    plainMetric(role),
    plainMetric(role),
    fc.boolean(),
  ).filter(([a, b]) => a !== b).map(([a, b, ma, mb, nested]) => {
    const inner = new MathExpression({ expression: `${a} + ${b}`, usingMetrics: { [a]: ma, [b]: mb } });
    const expression = nested ? new MathExpression({ expression: 'n1 * 1', usingMetrics: { n1: inner } }) : inner;
    return labelled(expression, `Math(${nested ? 'n1 * 1 of ' : ''}${a} + ${b})`);
  });
}

const searchMetric = fc.constant(labelled(
  new MathExpression({ expression: "SEARCH('{Shop,Service} MetricName=\"Errors\"', 'Sum', 300)", usingMetrics: {} }),
  'Math(SEARCH(...))'));

/** Generated `ReliableServiceProps` (with SLOs, SLIs and tiers), an SLO added later, and the window a dashboard asks for. */
export function sloCases(mix: Mix) {
  const anyMetric = (role: Role) => mix.pick(fc.oneof({ arbitrary: plainMetric(role), weight: 5 }, { arbitrary: mathMetric(role, mix), weight: 1 }), searchMetric, wrongType);
  /**
   * One side of a ratio SLI: one metric as `<side>`, or a list of them (empty, with holes, over the
   * 10-metric limit) as `<side>Metrics`.
   */
  const side = (key: 'good' | 'bad' | 'total', role: Role) => fc.oneof(
    { arbitrary: anyMetric(role).map((m): Record<string, unknown> => ({ [key]: m })), weight: 3 },
    { arbitrary: mix.list(anyMetric(role), { maxLength: 3, hugeLength: 12 }).map((l): Record<string, unknown> => ({ [`${key}Metrics`]: l })), weight: 1 },
  );
  const sides = (parts: Record<string, unknown>[], description?: unknown) =>
    Object.assign({}, ...parts, ...(description === undefined ? [] : [{ description }]));

  // ---- SLIs ----
  const description = optional(mix.pick(fc.oneof(
    fc.constantFrom('5XX over requests', 'ünïcödé SLI 🚀', '🚀'.repeat(600)),
    oddString,
    fc.string({ unit: 'grapheme', minLength: 1000, maxLength: 1100 }),
  ), wrongType));
  const ratio = call<SloWorld, unknown>('Sli.ratio', Sli.ratio, mix.pick(
    fc.oneof(
      fc.tuple(side('bad', 'bad'), side('total', 'total'), description).map(([bad, total, d]) => sides([bad, total], d)),
      fc.tuple(side('good', 'good'), side('total', 'total'), description).map(([good, total, d]) => sides([good, total], d)),
    ),
    fc.record({ good: side('good', 'good'), bad: side('bad', 'bad'), total: side('total', 'total') }, { requiredKeys: [] })
      .map((parts) => sides(Object.values(parts))),
    fc.tuple(side('bad', 'any'), side('total', 'any')).map((parts) => sides(parts)),
    wrongType,
  ));
  const threshold = mix.duration(fc.oneof(
    fc.constantFrom(Duration.millis(300), Duration.seconds(1), Duration.millis(0.5)),
    duration(fc.oneof(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 1e-6, max: 1e6, noNaN: true }))),
  ));
  const latency = call<SloWorld, unknown>('Sli.latency', Sli.latency, mix.pick(
    fc.record({
      metric: mix.pick(plainMetric('any'), mathMetric('any', mix), searchMetric, wrongType),
      threshold,
      unit: optional(mix.pick(fc.constantFrom(LatencyUnit.MILLISECONDS, LatencyUnit.SECONDS), fc.constantFrom('ms', 'SECONDS', null, 1))),
      description,
    }),
    wrongType,
  ));
  const presets = fc.oneof(
    fc.constant(fromWorld('Sli.lambdaAvailability(fn)', (w: SloWorld) => Sli.lambdaAvailability(w.fn()))),
    fc.constant(fromWorld('Sli.stateMachineAvailability(sm)', (w: SloWorld) => Sli.stateMachineAvailability(w.stateMachine()))),
    threshold.map((t) => fromWorld(`Sli.lambdaLatency(fn, { threshold: ${fc.stringify(t)} })`, (w: SloWorld) => Sli.lambdaLatency(w.fn(), { threshold: realize(t, w) }))),
  );
  const sli = mix.pick(fc.oneof({ arbitrary: ratio, weight: 6 }, { arbitrary: latency, weight: 3 }, { arbitrary: presets, weight: 2 }), wrongType);

  // ---- tiers ----
  const validLongWindow = fc.oneof(
    fc.constantFrom(Duration.hours(1), Duration.hours(6), Duration.days(1), Duration.days(3), Duration.minutes(2), Duration.days(7)),
    fc.integer({ min: 1, max: 10_080 }).map((n) => labelled(Duration.minutes(n), `Duration.minutes(${n})`)),
  );
  const validShortWindow = fc.oneof(
    fc.constantFrom(Duration.minutes(5), Duration.minutes(30), Duration.hours(2), Duration.minutes(1)),
    fc.integer({ min: 1, max: 600 }).map((n) => labelled(Duration.minutes(n), `Duration.minutes(${n})`)),
  );
  const tier = mix.pick(
    fc.record({
      severity: mix.pick(fc.constantFrom(Severity.PAGE, Severity.TICKET), fc.constantFrom<unknown>('PAGE', 'Page', 'warning', null, undefined, 0)),
      budgetSpentPercent: mix.number(fc.oneof(fc.constantFrom(2, 5, 10, 100), fc.double({ min: 0.001, max: 100, noNaN: true }))),
      longWindow: mix.duration(validLongWindow),
      shortWindow: optional(mix.duration(validShortWindow)),
    }),
    wrongType,
  );
  /** Dozens of valid tiers of one severity: around the size at which the composite alarm's rule outgrows CloudWatch's 10 240 characters. */
  const manyTiers = fc.record({ n: fc.integer({ min: 40, max: 60 }), severity: fc.constantFrom(Severity.PAGE, Severity.TICKET) })
    .map(({ n, severity }) => fromWorld(`AlertPolicy.fromTiers(${n} valid ${severity} tiers)`, () => AlertPolicy.fromTiers(Array.from({ length: n }, (_, i) => ({
      severity, budgetSpentPercent: 2, longWindow: Duration.minutes(60 + 10 * i), shortWindow: Duration.minutes(5),
    })))));
  const alerting = mix.pick(fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 40 },
    { arbitrary: manyTiers, weight: 1 },
    { arbitrary: call<SloWorld, unknown>('AlertPolicy.workbook', AlertPolicy.workbook, optional(mix.pick(fc.record({ tickets: optional(fc.boolean()) }), wrongType))), weight: 30 },
    { arbitrary: call<SloWorld, unknown>('AlertPolicy.fromTiers', AlertPolicy.fromTiers, mix.list(tier, { maxLength: 4, hugeLength: 40 })), weight: 60 },
  ), wrongType, fc.constant(labelled({ tiers: [] }, '{ tiers: [] }')));

  // ---- SLOs and services ----
  const objective = mix.number(fc.oneof(
    { arbitrary: fc.constantFrom(99.9, 99, 99.5, 95, 99.99, 99.999, 90, 99.99999999999999), weight: 6 },
    { arbitrary: fc.double({ min: 90, max: 100, noNaN: true, maxExcluded: true }), weight: 2 },
    { arbitrary: fc.double({ min: 0, max: 100, noNaN: true, minExcluded: true, maxExcluded: true }), weight: 1 },
  ));
  const sloWindow = optional(mix.pick(
    fc.oneof(
      { arbitrary: fc.constantFrom(Duration.days(30), Duration.days(28), Duration.days(7), Duration.days(365)), weight: 6 },
      { arbitrary: fc.integer({ min: 60, max: 60 * 24 * 90 }).map((n) => labelled(Duration.minutes(n), `Duration.minutes(${n})`)), weight: 1 },
    ),
    fc.constant(Duration.hours(1)), duration(oddAmount), tokenDuration('days'), wrongType,
  ));
  const minimumEvents = optional(mix.number(fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 10_000 }), weight: 10 },
    { arbitrary: fc.constantFrom(Number.MAX_SAFE_INTEGER, 1e21), weight: 1 },
  )));
  const slo = mix.pick(fc.record({
    name: mix.name(fc.oneof(fc.constantFrom('availability', 'latency', 'a.b_c-1'), fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/))),
    objective,
    sli,
    window: sloWindow,
    alerting,
    minimumEvents,
    runbookUrl: optional(mix.url()),
  }), wrongType);

  return fc.record({
    props: fc.record({
    serviceName: mix.name(fc.constantFrom('checkout', 'x'.repeat(64), 'shop.checkout_v2-eu')),
    slos: mix.pick(mix.list(slo, { maxLength: 2 }), fc.constant(undefined)),
    runbookUrl: optional(mix.url()),
    owner: optional(mix.pick(fc.constantFrom('payments', 'team ü 🚀'), oddString, wrongType)),
    dashboard: optional(mix.pick(fc.boolean(), wrongType)),
    escalation: mix.pick(fc.constant(undefined), fc.constantFrom<unknown>(null, labelled({}, '{}'), 'oncall')),
  }),
    extraSlo: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: slo, weight: 1 }),
    // what `slo.burnRateMetric(window)` (dashboards) is asked for after construction
    window: mix.duration(validLongWindow),
    env: fc.constantFrom<'agnostic' | 'eu-west-1'>('agnostic', 'eu-west-1'),
  });
}

/** One generated case. */
export type SloCase = ReturnType<typeof sloCases> extends fc.Arbitrary<infer C> ? C : never;

/**
 * Builds a case in `stack`: the service `Checkout` (path `<stack>/Checkout`), the extra SLO, and a
 * burn-rate metric of every SLO (which may fail, but only clearly).
 */
export function buildSloCase(c: SloCase, stack: Stack, allowed: AllowedFailures): ReliableService {
  let fn: lambda.IFunction | undefined;
  let sm: sfn.IStateMachine | undefined;
  const world: SloWorld = {
    stack,
    fn: () => (fn ??= lambda.Function.fromFunctionName(stack, 'Handler', 'checkout-handler')),
    stateMachine: () => (sm ??= sfn.StateMachine.fromStateMachineName(stack, 'Flow', 'fulfilment')),
  };
  const service = new ReliableService(stack, 'Checkout', realize(c.props, world));
  if (c.extraSlo !== undefined) {
    service.addSlo(realize(c.extraSlo, world));
  }
  for (const s of service.slos) {
    tryClearly('burnRateMetric(window)', () => s.burnRateMetric(realize(c.window, world)).toMetricConfig(), allowed);
  }
  return service;
}
