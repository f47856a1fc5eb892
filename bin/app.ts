#!/usr/bin/env node
/**
 * The sample app: a small shop whose reliability policy lives in code. It synthesizes offline,
 * with no AWS account, credentials or Docker: `npm run synth`.
 */
import { App } from 'aws-cdk-lib';
import { ShopStack } from './shop-stack';

const app = new App();
new ShopStack(app, 'Shop', {
  description: 'cdk-reliability sample: checkout, search and fulfilment services with SLOs and burn-rate alarms',
});
app.synth();
