#!/usr/bin/env node
/**
 * The sample app: a small shop whose reliability policy lives in code. It synthesizes offline,
 * with no AWS account, credentials or Docker: `npm run synth`.
 */
import { App, AppProps, Validations } from 'aws-cdk-lib';
import { ReliabilityChecks } from '../lib';
import { OrdersStack } from './orders-stack';
import { ShopStack } from './shop-stack';

/**
 * The shop, with its reliability policy checked at synth: checkout is critical (an availability
 * and a latency SLO, an experiment, a chain of levels that repeats), every service pages someone,
 * and every function, API and workflow is covered by an SLO or acknowledged with a reason. A
 * second stack, Orders, runs the common container architecture (ECS behind an ALB, a table, a
 * queue with a consumer); the checks read both.
 */
export function shopApp(props?: AppProps): { readonly app: App; readonly shop: ShopStack; readonly orders: OrdersStack } {
  const app = new App(props);
  const shop = new ShopStack(app, 'Shop', {
    description: 'cdk-reliability sample: checkout, search and fulfilment services with SLOs and burn-rate alarms',
  });
  const orders = new OrdersStack(app, 'Orders', {
    description: 'cdk-reliability sample: an ECS storefront behind an ALB, a DynamoDB table and an SQS queue with a consumer, with SLOs and chaos',
  });
  Validations.of(app).addPlugins(new ReliabilityChecks({ criticalServices: ['checkout'] }));
  // Two functions no SLO reads directly: each is reached only through a resource an SLO covers.
  Validations.of(shop.node.findChild('CheckoutHandler')).acknowledge({
    id: 'RELIABILITY-008',
    reason: 'Invoked only by the checkout REST API: its errors are the API\'s 5XX and its duration the API\'s Latency, which both checkout SLOs count',
  });
  Validations.of(shop.node.findChild('ReserveStock')).acknowledge({
    id: 'RELIABILITY-008',
    reason: 'Invoked only by the fulfilment workflow: a failed invocation fails the execution, which the fulfilment availability SLO counts',
  });
  return { app, shop, orders };
}

if (require.main === module) {
  shopApp().app.synth();
}
