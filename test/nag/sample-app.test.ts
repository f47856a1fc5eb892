/**
 * The sample app under cdk-nag 3's AwsSolutions and Serverless packs, run as a user runs them
 * (`Validations.of(app).addPlugins(...)`), in one synth: nothing left unacknowledged, every
 * acknowledgement silences a finding cdk-nag really reports, and the library's own
 * acknowledgements sit on the library's resources.
 */
import { App, Stack } from 'aws-cdk-lib';
import { ShopStack } from '../../bin/shop-stack';
import { Acknowledged, acknowledgements, Finding, isAtOrUnder, isStackOrApp, nagApp, rawFindings, readable, runPacks } from './support';

/** Where the library creates resources in the sample: everything else is the sample's own. */
const LIBRARY_ROOTS = ['Shop/ShopOnCall', 'Shop/Checkout/Experiment-slow-handler', 'Shop/Search/Experiment-handler-errors',
  'Shop/ReliabilityFisLambdaExtension', 'Shop/ReliabilityExperimentReports'];

describe('the sample app under cdk-nag (AwsSolutions, Serverless)', () => {
  let app: App;
  let stack: Stack;
  let findings: Finding[];
  let acks: Acknowledged[];

  beforeAll(() => {
    app = nagApp();
    stack = new ShopStack(app, 'Shop');
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
    expect(raw.length).toBeGreaterThan(nagAcks.length);
  });

  test('acknowledgements sit on one resource or policy each, never on a stack or the app, each with a reason', () => {
    const onScopes = app.node.findAll().filter(isStackOrApp).map((c) => c.node.path);
    expect(acks.filter((a) => onScopes.includes(a.path))).toEqual([]);
    expect(acks.filter((a) => a.reason.trim().length < 40)).toEqual([]);
    expect(stack.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules')).toEqual([]);
  });

  test('the library acknowledges only on its own resources; the sample acknowledges its own stand-ins', () => {
    const byOwner = (library: boolean) => acks
      .filter((a) => LIBRARY_ROOTS.some((root) => isAtOrUnder(a.path, root)) === library)
      .map((a) => `${a.path} ${a.rule}`)
      .sort();
    expect({ library: byOwner(true), sample: byOwner(false) }).toMatchSnapshot();
  });
});
