import { App, Stack } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Sli } from '../../lib';

/** A fresh app and stack per test. */
export function newStack(id = 'Shop'): Stack {
  return new Stack(new App(), id);
}

/** Count metrics of a service, statistic deliberately left at the CDK default (Average). */
export function counts(service = 'checkout') {
  return {
    errors: new Metric({ namespace: 'Shop', metricName: 'Errors', dimensionsMap: { Service: service } }),
    requests: new Metric({ namespace: 'Shop', metricName: 'Requests', dimensionsMap: { Service: service } }),
  };
}

/** The simplest valid SLO. */
export function availability(overrides: Record<string, unknown> = {}) {
  const { errors, requests } = counts();
  return { name: 'availability', objective: 99.9, sli: Sli.ratio({ bad: errors, total: requests }), ...overrides };
}
