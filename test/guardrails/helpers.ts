import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlertPolicy, EscalationPolicy, EscalationPolicyProps, ISli, Notify, ReliabilityChecks, ReliabilityFacts, ReliableService, ReliableServiceProps, Sli } from '../../lib';
import { collectFacts, CollectFactsOptions } from '../../lib/guardrails/collect-facts';

/** An app that never bundles. */
export function newApp(): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [] } });
}

/** Synthesizes the app and collects the facts of its stacks, as the plugin would. */
export function synthFacts(app: App, options: Partial<CollectFactsOptions> = {}): ReliabilityFacts {
  const assembly = app.synth();
  const stacks = assembly.stacks.map((s) => ({ stackConstructPath: s.hierarchicalId, templatePath: s.templateFullPath }));
  return collectFacts(app, { stacks, ...options });
}

/** A small Node.js function with inline code. */
export function newFunction(scope: Construct, id = 'Handler', props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    ...props,
  });
}

/** Count metrics of a service, not tied to any resource. */
export function counts(service = 'checkout') {
  return {
    bad: new Metric({ namespace: 'Shop', metricName: 'Errors', dimensionsMap: { Service: service } }),
    total: new Metric({ namespace: 'Shop', metricName: 'Requests', dimensionsMap: { Service: service } }),
  };
}

/** An escalation policy of two levels that repeats once. */
export function onCall(scope: Construct, overrides: Partial<EscalationPolicyProps> = {}): EscalationPolicy {
  return new EscalationPolicy(scope, 'OnCall', {
    levels: [
      { notify: [Notify.email('oncall@example.com')] },
      { after: Duration.minutes(15), notify: [Notify.email('lead@example.com')] },
    ],
    repeat: 1,
    ...overrides,
  });
}

/**
 * The cheapest service that passes every rule as a non-critical service: one SLO over `fn` (or
 * plain counts), pages only, its page alarm wired by hand to a topic, no dashboard.
 */
export function pagingService(scope: Construct, id = 'Checkout', props: Partial<ReliableServiceProps> & { fn?: lambda.IFunction } = {}): ReliableService {
  const { fn, ...rest } = props;
  const service = new ReliableService(scope, id, {
    serviceName: id.toLowerCase(),
    dashboard: false,
    slos: [{
      name: 'availability',
      objective: 99.9,
      sli: fn ? Sli.lambdaAvailability(fn) : Sli.ratio(counts(id.toLowerCase())),
      alerting: AlertPolicy.workbook({ tickets: false }),
    }],
    ...rest,
  });
  if (!rest.escalation) {
    const topic = new sns.Topic(scope, `${id}Pages`);
    for (const slo of service.slos) {
      slo.pageAlarm?.addAlarmAction(new SnsAction(topic));
    }
  }
  return service;
}

/** A stack of the app. */
export function newStack(app: App, id = 'Shop'): Stack {
  return new Stack(app, id);
}

/** A fresh app writing into a temporary folder, with the checks added. */
export function appWithChecks(checks = new ReliabilityChecks()): App {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-')), context: { 'aws:cdk:bundling-stacks': [] } });
  Validations.of(app).addPlugins(checks);
  return app;
}

/**
 * Synthesizes; returns the error message (if synth failed), what was printed (warnings), and this
 * plugin's part of validation-report.json.
 */
export function synth(app: App): { error?: string; printed?: string; report?: any } {
  let error: string | undefined;
  const printed: string[] = [];
  const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => { printed.push(args.join(' ')); });
  try {
    app.synth();
  } catch (e) {
    error = (e as Error).message;
  } finally {
    spy.mockRestore();
  }
  const file = path.join(app.outdir, 'validation-report.json');
  const reports = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).pluginReports : [];
  return {
    ...(error !== undefined ? { error } : {}),
    ...(printed.length > 0 ? { printed: printed.join('\n') } : {}),
    report: reports.find((r: any) => r.pluginName === 'cdk-reliability'),
  };
}

/**
 * The RELIABILITY-008 findings of an app with the reliability checks, one stack `Shop` (of `env`
 * when given) and a paging service whose SLOs are the SLIs `build` returns.
 */
export function coverageFindings(build: (stack: Stack) => ISli[], env?: { readonly account: string; readonly region: string }): string[] {
  const app = appWithChecks();
  const stack = new Stack(app, env ? 'Edge' : 'Shop', env ? { env } : {});
  const slis = build(stack);
  pagingService(stack, 'Checkout', { slos: slis.map((sli, i) => ({ name: `slo${i}`, objective: 99.9, sli })) });
  const { report } = synth(app);
  return (report?.violations ?? []).map((v: any) => v.description).filter((d: string) => d.startsWith('[slo-coverage]'));
}
