/**
 * The blind alert in review: the manifest records it, the compact policy and the report show it,
 * and the diff judges its changes (added or more sensitive strengthens; removed, later, quieter
 * or demoted to a ticket weakens; a mix is a trade-off and weakens). Manifests without it (all
 * manifests written before it existed) read as "off".
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { ReliableService, Severity, Sli } from '../../lib';
import { buildManifest } from '../../lib/manifest/build';
import { compactPolicy } from '../../lib/manifest/compact';
import type { BlindAlertEntry } from '../../lib/manifest/schema';
import { diffManifests, PolicyChange } from '../../lib/review/diff';
import { renderReport } from '../../lib/review/report';
import { MutableManifest, shop, slo } from './support/manifests';

const BLIND: BlindAlertEntry = { severity: 'page', afterSeconds: 900, after: '15m', expectedEvents: 1, alarmName: 'checkout-availability-blind' };

function withBlind(blind: Partial<BlindAlertEntry> | undefined) {
  return (m: MutableManifest) => {
    const entry = slo(m, 'checkout', 'availability');
    if (blind === undefined) {
      delete entry.blindAlert;
    } else {
      entry.blindAlert = { ...BLIND, ...blind };
    }
  };
}

function change(before: Partial<BlindAlertEntry> | undefined, after: Partial<BlindAlertEntry> | undefined): PolicyChange {
  const changes = diffManifests([shop(withBlind(before))], [shop(withBlind(after))]);
  expect(changes).toHaveLength(1);
  return changes[0];
}

describe('the manifest', () => {
  function manifestOf(blindAlert?: object) {
    const stack = new Stack(new App(), 'Shop');
    const metric = (metricName: string) => new Metric({ namespace: 'Shop', metricName });
    const svc = new ReliableService(stack, 'Checkout', {
      serviceName: 'checkout',
      slos: [{ name: 'availability', objective: 99.9, sli: Sli.ratio({ bad: metric('Errors'), total: metric('Requests') }), blindAlert }],
    });
    return buildManifest(stack, [svc]);
  }

  test('records the blind alert with its defaults filled in, and its cost', () => {
    const off = manifestOf();
    const on = manifestOf({});
    expect(off.services[0].slos[0].blindAlert).toBeUndefined();
    expect(on.services[0].slos[0].blindAlert).toEqual(BLIND);
    expect(on.services[0].slos[0].estimatedMonthlyCostUsd).toBeCloseTo(off.services[0].slos[0].estimatedMonthlyCostUsd + 0.1, 10);
    expect(manifestOf({ severity: Severity.TICKET, after: Duration.hours(1), expectedEvents: 30 }).services[0].slos[0].blindAlert)
      .toEqual({ severity: 'ticket', afterSeconds: 3_600, after: '1h', expectedEvents: 30, alarmName: 'checkout-availability-blind' });
  });

  test('the compact policy shows it under the tiers, and nothing when it is off', () => {
    expect(compactPolicy(manifestOf({ expectedEvents: 5 })).split('\n')).toContain('    page   blind   fewer than 5 events in 15m');
    expect(compactPolicy(manifestOf())).not.toContain('blind');
  });
});

describe('the report', () => {
  test('says what the blind alert does and through which composite', () => {
    const text = renderReport([shop(withBlind({ severity: 'ticket', afterSeconds: 1_800, after: '30m', expectedEvents: 10 }))]).join('\n');
    expect(text).toContain('SLI-blind alert: opens a ticket when the SLI counts fewer than 10 events in 30 min (`checkout-availability-blind`, in the ticket composite): '
      + 'the burn-rate tiers read a window without events as healthy.');
  });

  test('shows nothing for SLOs without it (older manifests included)', () => {
    expect(renderReport([shop()]).join('\n')).not.toContain('SLI-blind');
  });
});

describe('the diff', () => {
  test('turning it on strengthens', () => {
    expect(change(undefined, {})).toMatchObject({
      subject: 'SLO availability', aspect: 'blind alert', effect: 'strengthening', after: 'page when fewer than 1 event in 15 min',
      reason: 'pages when the SLI counts fewer than 1 event in 15 min: an outage that stops its metrics (no healthy target, a renamed stage or function) '
        + 'no longer goes unnoticed by the burn-rate tiers, which read that silence as healthy',
    });
  });

  test('turning it off weakens', () => {
    expect(change({}, undefined)).toMatchObject({
      aspect: 'blind alert', effect: 'weakening', before: 'page when fewer than 1 event in 15 min',
      reason: 'nobody is told any more when the SLI stops counting events (it pages after 15 min with fewer than 1 event): the burn-rate tiers read that silence as healthy',
    });
  });

  test.each([
    [{ severity: 'ticket' }, 'weakening', 'a blind SLI now opens a ticket instead of paging: nobody is woken while the burn-rate tiers cannot see'],
    [{ afterSeconds: 1_800 }, 'weakening', 'later: fires after 30 min of silence (was 15 min)'],
    [{ expectedEvents: 20 }, 'strengthening', 'fires below 20 events per window (was 1): also sees traffic that drops without stopping'],
  ])('%p changes the policy: %s', (after, effect, reason) => {
    expect(change({}, after as Partial<BlindAlertEntry>)).toMatchObject({ aspect: 'blind alert', effect, reason });
  });

  test('the reverse moves strengthen or weaken the other way', () => {
    expect(change({ severity: 'ticket' }, {})).toMatchObject({ effect: 'strengthening', reason: 'a blind SLI now pages (was a ticket)' });
    expect(change({ afterSeconds: 1_800 }, {})).toMatchObject({ effect: 'strengthening', reason: 'sooner: fires after 15 min of silence (was 30 min)' });
    expect(change({ expectedEvents: 20 }, {})).toMatchObject({ effect: 'weakening', reason: 'fires below 1 event per window (was 20): a deeper drop is needed' });
  });

  test('a mix is a trade-off, and weakens', () => {
    expect(change({}, { afterSeconds: 600, severity: 'ticket' })).toMatchObject({
      effect: 'weakening',
      reason: 'trade-off: a blind SLI now opens a ticket instead of paging: nobody is woken while the burn-rate tiers cannot see; sooner: fires after 10 min of silence (was 15 min)',
    });
  });

  test('the same blind alert is no change', () => {
    expect(diffManifests([shop(withBlind({}))], [shop(withBlind({}))])).toEqual([]);
  });
});
