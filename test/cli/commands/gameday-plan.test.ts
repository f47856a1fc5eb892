import * as path from 'node:path';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  GetExperimentTemplateCommand,
  ListExperimentTemplatesCommand,
  StartExperimentCommand,
} from '@aws-sdk/client-fis';
import { awsError, REGION, useHarness } from '../support/harness';
import { givenDeployedTemplates, SLOW_HANDLER_TEMPLATE, TEMPLATE_ID, TEMPLATE_SUMMARIES, tagsOf } from '../support/fis-fixtures';

const ASSEMBLY = path.join(__dirname, '..', 'fixtures', 'assembly');
const SLOW_HANDLER = ['gameday', '--stack', 'Shop', '--service', 'checkout', '--experiment', 'slow-handler'];

describe('gameday: finding the experiment in FIS', () => {
  const world = useHarness();

  test('a dry run prints the plan from FIS in execution order and starts nothing', async () => {
    // GIVEN
    const h = world();
    givenDeployedTemplates(h);
    // WHEN
    const code = await h.run(...SLOW_HANDLER, '--dry-run');
    // THEN
    expect(code).toBe(0);
    const out = h.stdout();
    expect(out).toContain(`Experiment checkout-slow-handler — ${TEMPLATE_ID} (FIS template in ${REGION})`);
    expect(out).toContain('  Add 2 s of latency to the checkout handler for 10 minutes');
    expect(out).toContain('  stack Shop · service checkout · experiment slow-handler');
    expect(out).toContain('Plan: 4 actions in 4 steps, expected duration 15m (longest path: steadyState → delay → settle → recovered)');
    const order = ['1. steadyState', '2. delay', '3. settle', '4. recovered'].map((s) => out.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(out).toMatch(/2\. delay {2}aws:lambda:invocation-add-delay {2}\(after steadyState\)/);
    expect(out).toMatch(/startupDelayMilliseconds +2000/);
    expect(out).toContain('target Functions: checkoutHandler — aws:lambda:function, selection ALL');
    expect(out).toContain('arn:aws:lambda:eu-west-1:111122223333:function:checkout-handler');
    expect(out).toMatch(/Stop conditions: FIS stops the experiment when one of these alarms is in ALARM\n {2}checkout-availability-page +arn:aws:cloudwatch:eu-west-1:111122223333:alarm:checkout-availability-page/);
    expect(out).toContain('Dry run: nothing was started.');
    expect(h.fis.calls(StartExperimentCommand)).toEqual([]);
    expect(h.cloudWatch.commandCalls(DescribeAlarmsCommand)).toEqual([]);
    expect(h.fis.calls(GetExperimentTemplateCommand)).toEqual([{ id: TEMPLATE_ID }]);
  });

  test('--region and --profile reach every client', async () => {
    const h = world();
    givenDeployedTemplates(h);
    await h.run(...SLOW_HANDLER, '--dry-run', '--region', 'us-east-2', '--profile', 'gameday');
    expect(h.clientOptions).toEqual([
      { region: 'us-east-2', profile: 'gameday' },
      { region: 'us-east-2', profile: 'gameday' },
    ]);
    expect(h.stdout()).toContain('(FIS template in us-east-2)');
  });

  test('without --region the region the SDK resolves is used and named', async () => {
    const h = world();
    givenDeployedTemplates(h);
    await h.run(...SLOW_HANDLER, '--dry-run');
    expect(h.clientOptions).toEqual([{ region: undefined, profile: undefined }, { region: REGION, profile: undefined }]);
  });

  test('follows nextToken through every page of ListExperimentTemplates', async () => {
    // GIVEN the template is on the third page
    const h = world();
    h.fis.on(ListExperimentTemplatesCommand)
      .resolvesOnce({ experimentTemplates: TEMPLATE_SUMMARIES.slice(0, 1), nextToken: 'page-2' })
      .resolvesOnce({ experimentTemplates: [], nextToken: 'page-3' })
      .resolvesOnce({ experimentTemplates: TEMPLATE_SUMMARIES.slice(1) });
    h.fis.on(GetExperimentTemplateCommand).resolves({ experimentTemplate: SLOW_HANDLER_TEMPLATE });
    // WHEN
    const code = await h.run(...SLOW_HANDLER, '--dry-run');
    // THEN
    expect(code).toBe(0);
    expect(h.fis.calls(ListExperimentTemplatesCommand).map((c) => c.nextToken)).toEqual([undefined, 'page-2', 'page-3']);
  });

  test('exits 1 naming what was searched and listing the experiments of the stack when the experiment does not exist', async () => {
    const h = world();
    givenDeployedTemplates(h);
    const code = await h.run('gameday', '--stack', 'Shop', '--service', 'checkout', '--experiment', 'slow-handlr');
    expect(code).toBe(1);
    expect(h.stderr()).toBe(
      `error: no experiment 'slow-handlr' for service 'checkout' of stack 'Shop' in FIS in ${REGION} (searched for experiment `
      + 'templates tagged cdk-reliability:stack=Shop, cdk-reliability:service=checkout, cdk-reliability:experiment=slow-handlr).\n'
      + "Experiments of stack 'Shop' there (service: experiments):\n"
      + '  checkout: slow-handler, throttled-db\n'
      + '  search: slow-index\n');
    expect(h.fis.calls(GetExperimentTemplateCommand)).toEqual([]);
  });

  test('exits 1 telling to deploy the stack first when the stack has no experiment in the region', async () => {
    const h = world();
    givenDeployedTemplates(h);
    const code = await h.run('gameday', '--stack', 'Shopp', '--service', 'checkout', '--experiment', 'slow-handler');
    expect(code).toBe(1);
    expect(h.stderr()).toContain(`No experiment of stack 'Shopp' is deployed in ${REGION}: deploy the stack first (\`cdk deploy Shopp\`), `
      + `or check --region and --profile. Stacks with experiments in ${REGION}: Billing, Shop.`);
  });

  test('exits 1 listing the ids when several templates carry the same tags', async () => {
    const h = world();
    h.fis.on(ListExperimentTemplatesCommand).resolves({
      experimentTemplates: [
        { id: 'EXTold', tags: tagsOf('Shop', 'checkout', 'slow-handler') },
        { id: 'EXTnew', tags: tagsOf('Shop', 'checkout', 'slow-handler') },
      ],
    });
    const code = await h.run(...SLOW_HANDLER, '--dry-run');
    expect(code).toBe(1);
    expect(h.stderr()).toContain(`error: 2 experiment templates in FIS in ${REGION} are tagged cdk-reliability:stack=Shop, `
      + 'cdk-reliability:service=checkout, cdk-reliability:experiment=slow-handler: EXTold, EXTnew.');
  });

  test.each([
    ['CredentialsProviderError', 'Could not load credentials from any providers'],
    ['ExpiredTokenException', 'The security token included in the request is expired'],
    ['UnrecognizedClientException', 'The security token included in the request is invalid.'],
  ])('exits 1 saying how to get credentials on %s', async (name, message) => {
    const h = world();
    h.fis.on(ListExperimentTemplatesCommand).rejects(awsError(name, message));
    const code = await h.run(...SLOW_HANDLER, '--profile', 'shop-dev');
    expect(code).toBe(1);
    expect(h.stderr()).toContain(`error: no valid AWS credentials (profile 'shop-dev'): ${name}: ${message}\nSet AWS_PROFILE or pass --profile <name>`);
    expect(h.stdout()).toBe('');
  });

  test('exits 1 with the SDK message for access denied', async () => {
    const h = world();
    h.fis.on(ListExperimentTemplatesCommand).rejects(awsError('AccessDeniedException',
      'User: arn:aws:iam::111122223333:user/dev is not authorized to perform: fis:ListExperimentTemplates'));
    expect(await h.run(...SLOW_HANDLER)).toBe(1);
    expect(h.stderr()).toContain('error: access denied: User: arn:aws:iam::111122223333:user/dev is not authorized to perform: fis:ListExperimentTemplates');
  });
});

describe('gameday: the plan read offline from a cloud assembly', () => {
  const world = useHarness();

  test('prints the plan with intrinsics rendered readably, without building any AWS client', async () => {
    // GIVEN / WHEN
    const h = world();
    const code = await h.run(...SLOW_HANDLER, '--dry-run', '--assembly', ASSEMBLY);
    // THEN
    expect(code).toBe(0);
    const out = h.stdout();
    expect(out).toContain('Experiment checkout-slow-handler — CheckoutSlowHandlerExperimentCCCC (');
    expect(out).toContain('Shop.template.json, synthesized)');
    expect(out).toContain('Plan: 4 actions in 4 steps, expected duration 15m (longest path: steadyState → delay → settle → recovered)');
    expect(out).toContain('  role ${CheckoutSlowHandlerRoleBBBB.Arn}');
    expect(out).toContain('  log  arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/fis/checkout:*');
    expect(out).toMatch(/alarmArns +\$\{CheckoutAvailabilityPage5678\.Arn\},\$\{CheckoutLatencyPageAAAA\.Arn\}/);
    expect(out).toMatch(/\(alarms\) +checkout-availability-page, CheckoutLatencyPageAAAA/);
    expect(out).toContain('target Functions: checkoutHandler — aws:lambda:function, selection ALL\n         ${CheckoutHandler1234ABCD.Arn}');
    expect(out).toMatch(/checkout-availability-page +\$\{CheckoutAvailabilityPage5678\.Arn\}/);
    expect(out).toContain('Dry run: read offline from the cloud assembly; nothing was started and no AWS call was made.');
    expect(h.clientOptions).toEqual([]);
    expect(h.fis.callCount()).toBe(0);
  });

  test.each([['Prod/Shop'], ['Prod-Shop'], ['ProdShop1A2B3C4D']])(
    'finds a stack of a nested stage by construct path, stack name or artifact id (%s), and shows parallel actions',
    async (stack) => {
      const h = world();
      const code = await h.run('gameday', '--stack', stack, '--service', 'checkout', '--experiment', 'outage', '--dry-run', '--assembly', ASSEMBLY);
      expect(code).toBe(0);
      const out = h.stdout();
      expect(out).toContain('Plan: 5 actions in 4 steps, expected duration 10m (longest path: steadyState → latency → settle → recovered)');
      expect(out).toContain('  2. in parallel:\n     - errors  aws:lambda:invocation-error  (after steadyState)');
      expect(out).toContain('     - latency  aws:lambda:invocation-add-delay  (after steadyState)');
      expect(out).toContain('  3. settle  aws:fis:wait  (after errors and latency)');
      expect(out).toContain('target Functions: handler — aws:lambda:function, selection COUNT(1)');
      expect(out).toContain('resources tagged service=checkout');
      expect(out).toContain('filter State in [Active]');
      expect(out).toContain('  role arn:${AWS::Partition}:iam::111122223333:role/prod-outage');
      expect(out).toMatch(/prod-checkout-availability-page +\$\{CheckoutAvailabilityPage5678\.Arn\}/);
    });

  test('exits 1 listing the experiments of the template when the experiment is not in it', async () => {
    const h = world();
    const code = await h.run('gameday', '--stack', 'Shop', '--service', 'checkout', '--experiment', 'outage', '--dry-run', '--assembly', ASSEMBLY);
    expect(code).toBe(1);
    expect(h.stderr()).toContain("error: no experiment 'outage' for service 'checkout' of stack 'Shop' in stack Shop of ");
    expect(h.stderr()).toContain('(searched for experiment templates tagged cdk-reliability:service=checkout, cdk-reliability:experiment=outage).\n'
      + "Experiments of stack 'Shop' there (service: experiments):\n  checkout: slow-handler\n  search: slow-index\n");
  });

  test('exits 1 listing the stacks of the assembly when the stack is not in it', async () => {
    const h = world();
    const code = await h.run('gameday', '--stack', 'Shopp', '--service', 'checkout', '--experiment', 'x', '--dry-run', '--assembly', ASSEMBLY);
    expect(code).toBe(1);
    expect(h.stderr()).toContain("error: no stack 'Shopp' in the cloud assembly");
    expect(h.stderr()).toContain('stacks there: Shop, Prod/Shop (stack name Prod-Shop)');
  });

  test('exits 1 telling to synthesize first when the directory has no manifest.json', async () => {
    const h = world();
    const code = await h.run(...SLOW_HANDLER, '--dry-run', '--assembly', path.join(ASSEMBLY, 'no-such-dir'));
    expect(code).toBe(1);
    expect(h.stderr()).toMatch(/error: no cloud assembly in .*no-such-dir \(no manifest\.json\): run `cdk synth` first/);
  });
});
