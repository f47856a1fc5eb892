import { renderReport, selectService } from '../../lib/review/report';
import { escalation, experiment, prod, service, shop } from './support/manifests';

function reportOf(...manifests: Parameters<typeof renderReport>[0]): string {
  return renderReport(manifests, { source: 'cdk.out' }).join('\n');
}

describe('report: the whole policy', () => {
  const text = reportOf(shop(), prod());

  test('opens with the source, a summary line and an overview row per service', () => {
    expect(text.startsWith('# Reliability policy\n\nRead from `cdk.out`.\n\n'
      + '4 services in 2 stacks: 7 SLOs, 2 experiments; alarms about $18.90/month (estimated, us-east-1 list prices).')).toBe(true);
    expect(text).toContain('| stack | service | owner | SLOs | escalation | experiments | alarms/month |');
    expect(text).toContain('| Shop | `checkout` | payments-team | availability 99.9 %, latency 99 % | `ShopOnCall` | 1 | $5.20 |');
    expect(text).toContain('| Prod-Shop | `checkout` | payments-team | availability 99.9 %, latency 99 % | `ShopOnCall` | 0 | $5.20 |');
  });

  test('names each stack with its path and environment', () => {
    expect(text).toContain('## Stack `Shop`\n\nConstruct path `Shop` · environment-agnostic (account and region chosen at deploy)');
    expect(text).toContain('## Stack `Prod-Shop`\n\nConstruct path `Prod/Shop` · stack name `Prod-Shop` · account 111122223333 · region eu-west-1');
  });

  test('lists a service\'s owner, runbook, dashboard, cost and escalation levels with their delays', () => {
    expect(text).toContain([
      '### Service `checkout`',
      '',
      '- **Owner:** payments-team',
      '- **Runbook:** <https://runbooks.example.com/checkout>',
      '- **Dashboard:** `checkout-reliability`',
      '- **Escalation:** `ShopOnCall` (`Shop/ShopOnCall`), pages go to',
      '  1. at once: email, sms',
      '  2. after 15 min: pagerduty',
      '  3. after 30 min (45 min after the page): topic',
      '  - repeat: the chain runs 1 more time until acknowledged (2 passes)',
      '  - tickets: webhook',
      '  - acknowledge links valid for 1 d',
      '- **Alarm cost:** $5.20/month (estimated, us-east-1 list prices)',
    ].join('\n'));
  });

  test('an escalation policy already shown in the stack is referred to, not repeated', () => {
    expect(text).toContain('- **Escalation:** `ShopOnCall` (`Shop/ShopOnCall`), as for `checkout` above');
    expect(text.match(/1\. at once: email, sms/g)).toHaveLength(2); // Shop/ShopOnCall and Prod/Shop/ShopOnCall
  });

  test('an SLO shows its objective, window, budget as percent and as full outage, SLI and guard', () => {
    expect(text).toContain('#### SLO `availability`: 99.9 % over 30 d');
    // each tier's low-traffic guard, max(minimumEvents, floor(1 / error ratio) + 1), in tier order
    expect(text).toContain('| 99.9 % | 30 d | 0.1 % | 43 min/30 d | ratio | 70/167/334/1001 events | $2.60 |');
    expect(text).toContain('| 99.5 % | 28 d | 0.5 % | 3 h 22 min/28 d | ratio | 20/36/72/215 events (minimumEvents 20) | $4.20 |');
    expect(text).toContain('| `bad0` | AWS/ApiGateway 5XXError (ApiName=checkout, Stage=prod), Sum |');
    expect(text).toContain('| `good0` | AWS/ApiGateway Latency (ApiName=checkout, Stage=prod), TC(:300) |');
    expect(text).toContain('Alerts: pages and tickets, through page `checkout-availability-page` and ticket `checkout-availability-ticket`.');
    expect(text).toContain('Alerts: pages only, through page `search-availability-page`.');
  });

  test('the tiers\' low-traffic guards are explained under their table, with the failed events it takes below them', () => {
    expect(text).toContain('Low traffic: a long window holding fewer events than its tier\'s guard (70/167/334/1001 for `page-1h-5m`, `page-6h-30m`, '
      + '`ticket-1d-2h`, `ticket-3d-6h`) is judged as if it held that many, the rest good: one failed event never fires a tier; '
      + 'below the guard it takes 2/2/2/2 failed events.');
  });

  test('a manifest written before the per-tier floor (no guardEvents) reads as guarded by minimumEvents alone, or not at all', () => {
    const old = reportOf(shop((m) => m.services.forEach((sv) => sv.slos.forEach((sl) => sl.tiers.forEach((t) => { delete t.guardEvents; })))));
    expect(old).toContain('| 99.9 % | 30 d | 0.1 % | 43 min/30 d | ratio | none | $2.60 |');
    expect(old).toContain('| 99.5 % | 28 d | 0.5 % | 3 h 22 min/28 d | ratio | 20/20/20/20 events (minimumEvents 20) | $4.20 |');
  });

  test('each tier shows severity, windows, burn rate, error ratio, budget share, detection time and alarm names', () => {
    expect(text).toContain('| `page-1h-5m` | page | 1 h / 5 min | 14.4x | 1.44 % | 2 % | 52 s | '
      + '`checkout-availability-page-1h-5m-long`, `checkout-availability-page-1h-5m-short` |');
    expect(text).toContain('| `page-6h-30m` | page | 6 h / 30 min | 6x | 0.6 % | 5 % | 2 min 10 s |');
    expect(text).toContain('| `ticket-1d-2h` | ticket | 1 d / 2 h | 3x | 0.3 % | 10 % | 4 min 19 s |');
    expect(text).toContain('| `ticket-3d-6h` | ticket | 3 d / 6 h | 1x | 0.1 % | 10 % | 4 min 19 s |');
    expect(text).toContain('| `ticket-3d-6h` | ticket | 3 d / 6 h | 0.9333x | 0.4667 % | 10 % | 20 min |');
  });

  test('an experiment shows its game day, duration, checks, stop conditions, faults and targets', () => {
    expect(text).toContain([
      '#### Experiment `slow-handler`',
      '',
      'checkout pages nobody when 5 % of handler invocations are 800 ms slower',
      '',
      '- **Game day:** `cron(0 10 ? * TUE *)` in Europe/Berlin, enabled',
      '- **Expected duration:** 15 min',
      '- **Checks:** the stop-condition alarms must be OK before the faults; OK again 5 min after the faults',
      '- **Stop conditions:** `checkout-availability-page`, `checkout-latency-page`',
    ].join('\n'));
    expect(text).toContain('| `invocation-add-delay` | `aws:lambda:invocation-add-delay` | '
      + 'duration PT10M, invocationPercentage 5, startupDelayMilliseconds 800 | Functions: functions-1 | the steady-state check |');
    expect(text).toContain('| `functions-1` | aws:lambda:function | ALL | ${CheckoutHandler99A4E0DF.Arn} |');
    expect(text).toContain('- **Game day:** `cron(30 14 ? * THU#1 *)` in Europe/London, declared disabled (runs only by hand)');
    expect(text).toContain('| `wait` | `aws:fis:wait` | duration PT2M | – | invocation-error |');
  });

  test('the checks around the faults are not listed as faults', () => {
    expect(text).not.toMatch(/\| `steady-state` \|/);
    expect(text).not.toMatch(/\| `settle` \|/);
    expect(text).not.toMatch(/\| `recovered` \|/);
  });

  test('is deterministic', () => {
    expect(reportOf(shop(), prod())).toBe(text);
  });
});

describe('report: what is missing is said', () => {
  test('a service without escalation notifies nobody; without owner, runbook or dashboard it says so', () => {
    const text = reportOf(shop((m) => {
      const s = service(m, 'search');
      delete s.escalation;
      delete s.owner;
      delete s.dashboard;
    }));
    expect(text).toContain('- **Escalation:** none: its page and ticket alarms notify nobody');
    expect(text).toContain('- **Owner:** not recorded');
    expect(text).toContain('- **Runbook:** none');
    expect(text).toContain('- **Dashboard:** none');
  });

  test('an SLO\'s runbook is shown where it differs from the service\'s, and the experiment description without its tag prefix', () => {
    const text = reportOf(shop((m) => { service(m, 'checkout').slos[1].runbookUrl = 'https://runbooks.example.com/checkout-latency'; }));
    expect(text).toContain('ticket `checkout-latency-ticket`. Runbook: <https://runbooks.example.com/checkout-latency>');
    expect(text).not.toContain('ticket `checkout-availability-ticket`. Runbook:');
    expect(text).toContain('\nFails invocations without running the code on 5 % of invocations for 5 min; then Waits 2 min;');
    expect(text).not.toContain('search/handler-errors:');
  });

  test('no repeat and no ticket targets are spelled out', () => {
    const text = reportOf(shop((m) => {
      escalation(m, 'checkout').repeat = 0;
      escalation(m, 'checkout').tickets = [];
    }));
    expect(text).toContain('  - repeat: none (one pass through the chain)');
    expect(text).toContain('  - tickets: nobody (ticket alarms notify nobody)');
  });

  test('an experiment without game day, checks or stop conditions says so', () => {
    const text = reportOf(shop((m) => {
      const e = experiment(m, 'checkout', 'slow-handler');
      delete e.gameDay;
      e.steadyStateCheck = false;
      e.recoveryCheck = false;
      e.stopConditions = [];
      e.actions = e.actions.filter((a) => a.name === 'invocation-add-delay');
      e.actions[0].startAfter = [];
    }));
    expect(text).toContain('- **Game day:** none (runs only by hand)');
    expect(text).toContain('- **Checks:** no steady-state check before the faults; no recovery check after them');
    expect(text).toContain('- **Stop conditions:** none: nothing stops it early if customers are hurt');
    expect(text).toMatch(/\| Functions: functions-1 \| the start \|/);
  });
});

describe('selectService', () => {
  test('keeps the service of that name in every stack, and only the stacks that have one', () => {
    const selected = selectService([shop(), prod()], 'search');
    expect(selected.map((m) => [m.stack.name, m.services.map((s) => s.name)])).toEqual([['Shop', ['search']]]);
  });
});
