/**
 * `budget` on the command line: usage errors (64), the stack and SLOs it cannot find (1), help.
 */
import { SHOP_ASSEMBLY } from '../../review/support/manifests';
import { useHarness } from '../support/harness';
import { prodFile } from '../budget/scenario';

const USAGE = 'Usage: cdk-reliability budget [assembly] --stack <name> [--service <name>] [--slo <name>] [--min-remaining <percent>] '
  + '[--fail-on-missing-data] [--allow-undeployed] [--json] [--region <region>] [--profile <name>]';

describe('budget: arguments', () => {
  const world = useHarness();

  test.each([
    [[], 'error: missing required flag --stack <name>'],
    [['--stack', 'Shop', '--min-remaining', 'most'], 'error: --min-remaining must be a percentage of the error budget, at least 0 and under 100 (e.g. 25%); got \'most\''],
    [['--stack', 'Shop', '--min-remaining', '120%'], 'error: --min-remaining must be a percentage of the error budget, at least 0 and under 100 (e.g. 25%); got \'120%\''],
    [['--stack', 'Shop', '--min-remaining', '100%'], 'error: --min-remaining must be a percentage of the error budget, at least 0 and under 100 (e.g. 25%); got \'100%\''],
    [['--stack', 'Shop', '--min-remaining=-5'], 'error: --min-remaining must be a percentage of the error budget, at least 0 and under 100 (e.g. 25%); got \'-5\''],
    [['--stack', 'Shop', '--min-remaining'], 'error: flag --min-remaining needs a value: --min-remaining <percent>'],
    [['--stack', 'Shop', '--json=yes'], 'error: flag --json takes no value (it is on when given)'],
    [['--stack', 'Shop', '--windows', '1h'], 'error: unknown flag --windows for \'budget\'; allowed: --stack, --service, --slo, --min-remaining, --fail-on-missing-data, --allow-undeployed, --json, --region, --profile and --help'],
    [['cdk.out', 'more', '--stack', 'Shop'], 'error: unexpected argument \'more\': \'budget\' takes at most 1 argument ([assembly]) and flags'],
    [['--stack', ''], 'error: flag --stack needs a non-empty value: --stack <name>'],
  ])('%j exits 64 with the usage', async (argv, message) => {
    const h = world();
    expect(await h.run('budget', ...argv)).toBe(64);
    expect(h.stderr().split('\n')[0]).toContain(message);
    expect(h.stderr()).toContain(`${USAGE}\n`);
    expect(h.cloudWatch.calls()).toHaveLength(0);
    expect(h.stdout()).toBe('');
  });

  test.each([
    [['--stack', 'Shopp'], 'error: no stack \'Shopp\' with a ReliableService in '
      + `${SHOP_ASSEMBLY} (did you mean Shop?); stacks with one: Shop, Prod/Shop (stack name Prod-Shop)`],
    [['--stack', 'Shop', '--service', 'chekout'], 'error: no service \'chekout\' in stack Shop (did you mean checkout?); services there: checkout, search, fulfilment'],
    [['--stack', 'Shop', '--service', 'search', '--slo', 'latncy'], 'error: no SLO \'latncy\' in service search (did you mean latency?); SLOs there: availability, latency'],
    [['--stack', 'Prod/Shop'], 'error: test/cli/fixtures/manifests/shop/assembly-Prod/ProdShop1A2B3C4D.reliability.json: SLO checkout/availability has '
      + 'no sli.badEvents and sli.totalEvents: the manifest was written by an older cdk-reliability. Run `cdk synth` again with this version, '
      + 'then run budget on the new cloud assembly'],
  ])('%j exits 1 before any AWS call', async (argv, message) => {
    const h = world();
    expect(await h.run('budget', SHOP_ASSEMBLY, ...argv)).toBe(1);
    expect(h.stderr()).toBe(`${message}\n`);
    expect(h.cloudWatch.calls()).toHaveLength(0);
  });

  test('no cloud assembly: exit 1, saying to synthesize', async () => {
    const h = world();
    expect(await h.run('budget', 'no-such-dir', '--stack', 'Shop')).toBe(1);
    expect(h.stderr()).toContain('error: no cloud assembly at no-such-dir: run `cdk synth` first');
  });

  test('a manifest file works as the assembly argument', async () => {
    const h = world();
    const file = prodFile();
    expect(await h.run('budget', file, '--stack', 'Nope')).toBe(1);
    expect(h.stderr()).toBe(`error: no stack 'Nope' with a ReliableService in ${file}; stacks with one: Prod/Shop (stack name Prod-Shop)\n`);
  });

  test('--help shows the flags, the exit codes and examples', async () => {
    const h = world();
    expect(await h.run('budget', '--help')).toBe(0);
    const out = h.stdout();
    expect(out.startsWith(`${USAGE}\n`)).toBe(true);
    expect(out).toContain('  --min-remaining <percent>  fail when an SLO has this much of its error budget left, or less (default: 0%)\n');
    expect(out).toContain('Exit codes: 0 every budget is above --min-remaining, 2 a budget is at or below it (freeze feature deploys) or\n');
    expect(out).toContain('  cdk-reliability budget cdk.out --stack Prod/Shop --service checkout --min-remaining 25%\n');
  });

  test('is listed by --help', async () => {
    const h = world();
    expect(await h.run('--help')).toBe(0);
    expect(h.stdout()).toContain('  budget    Read the error budget left and the burn rates of a stack\'s SLOs from CloudWatch; fail when a budget is spent\n');
  });
});
