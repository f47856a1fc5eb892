/**
 * The sample app under cdk-nag 3's AwsSolutions and Serverless packs, run as a user runs them
 * (`Validations.of(app).addPlugins(...)`), in one synth: nothing left unacknowledged, every
 * acknowledgement silences a finding cdk-nag really reports, and the library's own
 * acknowledgements sit on the library's resources.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { OrdersStack } from '../../bin/orders-stack';
import { ShopStack } from '../../bin/shop-stack';
import { Acknowledged, acknowledgements, Finding, isAtOrUnder, isStackOrApp, nagApp, rawFindings, readable, runPacks } from './support';

/** Where the library creates resources in the sample's Shop stack: everything else is the sample's own. */
const SHOP_LIBRARY_ROOTS = ['Shop/ShopOnCall', 'Shop/Checkout/Experiment-slow-handler', 'Shop/Search/Experiment-handler-errors',
  'Shop/ReliabilityFisLambdaExtension', 'Shop/ReliabilityExperimentReports'];
/** The same for its Orders stack (the readiness helper's sidecar role and policies sit under the task definition). */
const ORDERS_LIBRARY_ROOTS = ['Orders/OrdersOnCall', 'Orders/StorefrontService/Experiment-cpu-stress', 'Orders/StorefrontService/Experiment-az-power',
  'Orders/StorefrontTask/FisFaultInjection'];

describe('the sample app under cdk-nag (AwsSolutions, Serverless)', () => nagSuite((app) => new ShopStack(app, 'Shop'), SHOP_LIBRARY_ROOTS));

describe('the sample app\'s Orders stack under cdk-nag (AwsSolutions, Serverless)', () => nagSuite((app) => new OrdersStack(app, 'Orders'), ORDERS_LIBRARY_ROOTS));

/**
 * aws-cdk-lib's own acknowledgement on a stack whose VPC reads `stack.availabilityZones` (an
 * environment-agnostic stack: Orders), not the sample's.
 */
function isAwsCdkLibOwn(a: Acknowledged): boolean {
  return a.rule === 'CloudFormation-Validate::W3010' && a.reason.startsWith('Literal AZs in template are the result of accessing stack.availabilityZones');
}

/** The checks of one stack of the sample, synthesized alone in its own app. */
function nagSuite(create: (app: Construct) => Stack, libraryRoots: string[]): void {
  let app: App;
  let stack: Stack;
  let findings: Finding[];
  let acks: Acknowledged[];

  beforeAll(() => {
    app = nagApp();
    stack = create(app);
    findings = runPacks(app);
    acks = acknowledgements(app);
  });

  test('no unacknowledged errors', () => {
    const errors = findings.filter((f) => f.severity === 'error');
    // On failure, the warnings are listed too: they tell whether a fix moved a finding elsewhere.
    expect({ errors: readable(errors), warnings: readable(findings.filter((f) => f.severity !== 'error')) })
      .toEqual({ errors: [], warnings: expect.anything() });
  });

  test('no unacknowledged warnings either', () => {
    expect(readable(findings)).toEqual([]);
  });

  test('every acknowledgement silences a finding cdk-nag reports without it', () => {
    const raw = rawFindings(app);
    const nagAcks = acks.filter((a) => /^(AwsSolutions|Serverless)-/.test(a.rule)); // other plugins' acknowledgements are theirs
    const stale = nagAcks.filter((a) => !raw.some((f) => f.rule === a.rule && isAtOrUnder(f.path, a.path)));
    expect(stale).toEqual([]);
    // and the raw run does find what the acknowledgements cover (cdk-nag honoured them above)
    // (at least one finding per acknowledgement: Shop's cover several findings each, Orders' one each)
    expect(raw.length).toBeGreaterThanOrEqual(nagAcks.length);
  });

  test('acknowledgements sit on one resource or policy each, never on a stack or the app, each with a reason', () => {
    const onScopes = app.node.findAll().filter(isStackOrApp).map((c) => c.node.path);
    expect(acks.filter((a) => onScopes.includes(a.path) && !isAwsCdkLibOwn(a))).toEqual([]);
    expect(acks.filter((a) => a.reason.trim().length < 40)).toEqual([]);
    expect(stack.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules' && !JSON.stringify(m.data).includes('CloudFormation-Validate::W3010'))).toEqual([]);
  });

  test('the library acknowledges only on its own resources; the sample acknowledges its own stand-ins', () => {
    const byOwner = (library: boolean) => acks
      .filter((a) => libraryRoots.some((root) => isAtOrUnder(a.path, root)) === library)
      .map((a) => `${a.path} ${a.rule}`)
      .sort();
    expect({ library: byOwner(true), sample: byOwner(false) }).toMatchSnapshot();
  });
}
