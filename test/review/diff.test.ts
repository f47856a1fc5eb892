import { diffManifests, groupChanges, matchTiers, PolicyChange } from '../../lib/review/diff';
import {
  escalation,
  experiment,
  MutableManifest,
  prod,
  retune,
  service,
  setMinimumEvents,
  shop,
  slo,
  tier,
} from './support/manifests';

/** The changes from the sample app's Shop to Shop with `edit` applied. */
function changesOf(edit: (m: MutableManifest) => void): PolicyChange[] {
  return diffManifests([shop()], [shop(edit)]);
}

/** The one change `edit` makes. */
function onlyChange(edit: (m: MutableManifest) => void): PolicyChange {
  const changes = changesOf(edit);
  expect(changes).toHaveLength(1);
  return changes[0];
}

describe('diff: identity and keys', () => {
  test('the same policy has no changes', () => {
    expect(diffManifests([shop(), prod()], [shop(), prod()])).toEqual([]);
  });

  test('stacks are matched by name: a stack that is gone removes its services', () => {
    const changes = diffManifests([shop(), prod()], [shop()]);
    expect(changes).toEqual([expect.objectContaining({
      stack: 'Prod-Shop', service: 'checkout', subject: 'service', aspect: 'removed', effect: 'weakening',
    })]);
  });

  test('two single stacks are compared whatever their names', () => {
    const changes = diffManifests([shop()], [prod()]);
    expect(changes.every((c) => c.stack === 'Shop → Prod-Shop')).toBe(true);
    expect(changes).toContainEqual(expect.objectContaining({ service: 'search', aspect: 'removed', effect: 'weakening' }));
    expect(changes).toContainEqual(expect.objectContaining({ service: '', subject: 'stack', aspect: 'environment', effect: 'neutral' }));
  });

  test('a change in one service is reported under that stack and service only', () => {
    const change = onlyChange((m) => { slo(m, 'search', 'latency').objective = 97; });
    expect(change).toMatchObject({ stack: 'Shop', service: 'search', subject: 'SLO latency', aspect: 'objective', before: '95 %', after: '97 %' });
  });
});

describe('diff: services', () => {
  test('a removed service weakens: nothing alerts on it any more', () => {
    const change = onlyChange((m) => { m.services.splice(2, 1); });
    expect(change).toMatchObject({ service: 'fulfilment', subject: 'service', aspect: 'removed', effect: 'weakening' });
    expect(change.reason).toBe('nothing alerts on it any more: its 1 SLO (availability) and 0 experiments are gone');
  });

  test('an added service strengthens', () => {
    const changes = diffManifests([shop((m) => { m.services.splice(0, 1); })], [shop()]);
    expect(changes).toEqual([expect.objectContaining({
      service: 'checkout', aspect: 'added', effect: 'strengthening', reason: 'new service with 2 SLOs and 1 experiment',
    })]);
  });

  test.each<[string, (m: MutableManifest) => void, string]>([
    ['owner', (m) => { service(m, 'checkout').owner = 'checkout-team'; }, 'owner changed: who is responsible'],
    ['runbook', (m) => { delete service(m, 'checkout').runbookUrl; }, 'runbook removed: the runbook its alarms link'],
    ['dashboard', (m) => { delete service(m, 'checkout').dashboard; }, 'dashboard removed: the dashboard its pages link'],
  ])('a changed %s is neutral', (aspect, edit, reason) => {
    expect(onlyChange(edit)).toMatchObject({ subject: 'service', aspect, effect: 'neutral', reason });
  });
});

describe('diff: SLOs', () => {
  test('a lower objective weakens: the budget and the full outage it allows grow', () => {
    const change = onlyChange((m) => {
      const s = slo(m, 'checkout', 'availability');
      s.objective = 99.5;
      s.errorBudget = 0.005;
      s.tiers.forEach((t) => { t.errorRatio = Number((t.burnRate * 0.005).toPrecision(12)); });
    });
    expect(change).toMatchObject({ subject: 'SLO availability', aspect: 'objective', before: '99.9 %', after: '99.5 %', effect: 'weakening' });
    expect(change.reason).toBe('budget 5x larger: 43 min → 3 h 36 min of full outage per 30 d; every tier fires 5x later');
  });

  test('a higher objective strengthens', () => {
    const change = onlyChange((m) => {
      const s = slo(m, 'checkout', 'availability');
      s.objective = 99.95;
      s.errorBudget = 0.0005;
    });
    expect(change).toMatchObject({ aspect: 'objective', effect: 'strengthening' });
    expect(change.reason).toBe('budget 2x smaller: 43 min → 22 min of full outage per 30 d; every tier fires 2x sooner');
  });

  test('a lower objective over another window compares the outage each allows', () => {
    const changes = changesOf((m) => {
      const s = slo(m, 'checkout', 'availability');
      s.objective = 99.5;
      s.errorBudget = 0.005;
      s.windowSeconds = 28 * 86400;
      s.window = '28d';
      s.tiers.forEach((t) => retune(t, s, {}));
    });
    expect(changes.map((c) => [c.aspect, c.effect])).toEqual([['objective', 'weakening'], ['window', 'neutral']]);
    expect(changes[0].reason).toBe('budget 5x larger: 43 min/30 d → 3 h 22 min/28 d of full outage');
  });

  test('a removed SLO weakens', () => {
    const change = onlyChange((m) => { service(m, 'checkout').slos.splice(1, 1); });
    expect(change).toMatchObject({ subject: 'SLO latency', aspect: 'removed', effect: 'weakening', before: '99 % over 30 d' });
    expect(change.reason).toBe('nothing alerts on it any more (it pages and tickets at 99 % over 30 d)');
  });

  test('an added SLO strengthens', () => {
    const changes = diffManifests([shop((m) => { service(m, 'search').slos.splice(0, 1); })], [shop()]);
    expect(changes).toEqual([expect.objectContaining({
      subject: 'SLO availability', aspect: 'added', effect: 'strengthening', reason: 'new SLO: 99.5 % over 30 d, pages only',
    })]);
  });

  test('a new SLO window is neutral, and the burn rates that follow it are not reported tier by tier', () => {
    const change = onlyChange((m) => {
      const s = slo(m, 'checkout', 'availability');
      s.windowSeconds = 28 * 86400;
      s.window = '28d';
      s.tiers.forEach((t) => retune(t, s, {}));
    });
    expect(change).toMatchObject({ aspect: 'window', before: '30 d', after: '28 d', effect: 'neutral' });
    expect(change.reason).toBe('budget counted over 28 d instead of 30 d: 40 min of full outage (was 43 min); '
      + 'burn-rate thresholds follow (page-1h-5m 14.4x → 13.44x)');
  });

  // fulfilment: 99.5 % over 28 d, minimumEvents 20; the tiers' single-failure floors are 15/36/72/215 events
  test.each<[string, number | undefined, number | undefined, string, string, string]>([
    ['a minimum above a tier\'s floor weakens that tier', undefined, 20, 'weakening', 'none, guards 15/36/72/215 events',
      'long windows need more events before a tier fires at low traffic, so incidents there alert later or not at all: page-1h-5m 15 → 20 events'],
    ['a raised minimum weakens', 20, 50, 'weakening', '20, guards 20/36/72/215 events',
      'long windows need more events before a tier fires at low traffic, so incidents there alert later or not at all: '
      + 'page-1h-5m 20 → 50 events (4 failed events fire it below that, was 2) and page-6h-30m 36 → 50 events'],
    ['a lowered minimum strengthens', 20, 5, 'strengthening', '20, guards 20/36/72/215 events',
      'long windows need fewer events before a tier fires at low traffic: page-1h-5m 20 → 15 events'],
    ['a removed minimum strengthens the tier it raised over its floor', 20, undefined, 'strengthening', '20, guards 20/36/72/215 events',
      'long windows need fewer events before a tier fires at low traffic: page-1h-5m 20 → 15 events'],
    ['a minimum under every floor changes no alarm: neutral', 10, 12, 'neutral', '10, guards 15/36/72/215 events',
      'no tier\'s low-traffic guard changes (15/36/72/215 events): each tier\'s single-failure floor is larger'],
  ])('minimum events: %s', (_, before, after, effect, shownBefore, reason) => {
    const set = (value: number | undefined) => (m: MutableManifest) => setMinimumEvents(slo(m, 'fulfilment', 'availability'), value);
    const changes = diffManifests([shop(set(before))], [shop(set(after))]);
    expect(changes).toEqual([expect.objectContaining({ aspect: 'minimum events', before: shownBefore, effect, reason })]);
  });

  test('a manifest from before the per-tier floor (no guardEvents) compared with one that has it: every tier fires later at low traffic', () => {
    const old = shop((m) => slo(m, 'checkout', 'availability').tiers.forEach((t) => { delete t.guardEvents; }));
    const changes = diffManifests([old], [shop()]);
    expect(changes).toEqual([expect.objectContaining({
      subject: 'SLO availability', aspect: 'low-traffic guard', before: 'none', after: '70/167/334/1001 events', effect: 'weakening',
      reason: 'long windows need more events before a tier fires at low traffic, so incidents there alert later or not at all: '
        + 'page-1h-5m 1 → 70 events (2 failed events fire it below that, was 1), page-6h-30m 1 → 167 events (2 failed events fire it below that, was 1), '
        + 'ticket-1d-2h 1 → 334 events (2 failed events fire it below that, was 1) and ticket-3d-6h 1 → 1001 events (2 failed events fire it below that, was 1)',
    })]);
  });

  test('guards that follow a new objective are not reported on their own', () => {
    const changes = changesOf((m) => {
      const s = slo(m, 'checkout', 'availability');
      s.objective = 99.5;
      s.errorBudget = 0.005;
      s.tiers.forEach((t) => retune(t, s, {}));
    });
    expect(changes.map((c) => c.aspect)).toEqual(['objective']);
  });

  test('an SLI reading other metrics is neutral and names them', () => {
    const change = onlyChange((m) => {
      slo(m, 'search', 'availability').sli.metrics.splice(1, 1); // Throttles no longer counted
    });
    expect(change).toMatchObject({ aspect: 'SLI metrics', effect: 'neutral' });
    expect(change.reason).toBe('no longer reads AWS/Lambda Throttles (FunctionName=${SearchHandler00CE2B50}), Sum: events are counted differently');
  });

  test('an SLI of another kind is neutral', () => {
    const changes = changesOf((m) => { slo(m, 'checkout', 'latency').sli.kind = 'ratio'; });
    expect(changes).toEqual([expect.objectContaining({ aspect: 'SLI kind', before: 'latency', after: 'ratio', effect: 'neutral' })]);
  });
});

describe('diff: alert tiers', () => {
  test('a removed page tier weakens', () => {
    const change = onlyChange((m) => { slo(m, 'checkout', 'availability').tiers.splice(1, 1); });
    expect(change).toMatchObject({ subject: 'SLO availability, tier page-6h-30m', aspect: 'removed', effect: 'weakening' });
    expect(change.reason).toBe('burns above 0.6 % errors over 6 h no longer page');
  });

  test('removing the last page tier says the SLO no longer pages at all', () => {
    const changes = changesOf((m) => { slo(m, 'search', 'availability').tiers.splice(0, 2); });
    expect(changes.map((c) => c.effect)).toEqual(['weakening', 'weakening']);
    expect(changes[1].reason).toBe('burns above 3 % errors over 6 h no longer page; the SLO no longer pages at all');
  });

  test('an added ticket tier strengthens', () => {
    const changes = diffManifests([shop((m) => { slo(m, 'checkout', 'availability').tiers.splice(3, 1); })], [shop()]);
    expect(changes).toEqual([expect.objectContaining({
      subject: 'SLO availability, tier ticket-3d-6h', aspect: 'added', effect: 'strengthening',
      reason: 'new ticket tier: fires above 0.1 % errors, a full outage after 4 min 19 s',
    })]);
  });

  test('a page tier turned into a ticket weakens', () => {
    const change = onlyChange((m) => {
      const s = slo(m, 'checkout', 'availability');
      retune(s.tiers[0], s, { severity: 'ticket' });
    });
    expect(change).toMatchObject({
      subject: 'SLO availability, tier page-1h-5m → ticket-1h-5m', aspect: 'changed', effect: 'weakening',
      before: 'page 1 h / 5 min at 14.4x (2 % of budget)', after: 'ticket 1 h / 5 min at 14.4x (2 % of budget)',
      reason: 'turned from a page into a ticket: these burns no longer wake anyone',
    });
  });

  test('a ticket tier turned into a page strengthens', () => {
    const change = onlyChange((m) => {
      const s = slo(m, 'checkout', 'availability');
      retune(s.tiers[2], s, { severity: 'page' });
    });
    expect(change).toMatchObject({ subject: 'SLO availability, tier ticket-1d-2h → page-1d-2h', effect: 'strengthening' });
  });

  test('a raised burn-rate threshold weakens: the tier fires later and on fewer incidents', () => {
    const change = onlyChange((m) => {
      const s = slo(m, 'checkout', 'availability');
      retune(tier(m, 'checkout', 'availability', 'page-1h-5m'), s, { budgetPercent: 4 });
    });
    expect(change).toMatchObject({ subject: 'SLO availability, tier page-1h-5m', effect: 'weakening', after: 'page 1 h / 5 min at 28.8x (4 % of budget)' });
    expect(change.reason).toBe('fires later and on fewer incidents: above 2.88 % errors (was 1.44 %); a full outage after 1 min 44 s (was 52 s)');
  });

  test('a lowered burn-rate threshold strengthens', () => {
    const change = onlyChange((m) => {
      const s = slo(m, 'checkout', 'availability');
      retune(tier(m, 'checkout', 'availability', 'page-1h-5m'), s, { budgetPercent: 1 });
    });
    expect(change.effect).toBe('strengthening');
    expect(change.reason).toBe('fires sooner and on more incidents: above 0.72 % errors (was 1.44 %); a full outage after 26 s (was 52 s)');
  });

  test('a longer long window at the same burn rate weakens: slower detection', () => {
    const change = onlyChange((m) => {
      const s = slo(m, 'checkout', 'availability');
      retune(tier(m, 'checkout', 'availability', 'page-1h-5m'), s, { budgetPercent: 4, longWindowSeconds: 7200, shortWindowSeconds: 600 });
    });
    expect(change).toMatchObject({
      subject: 'SLO availability, tier page-1h-5m → page-2h-10m', effect: 'weakening',
      before: 'page 1 h / 5 min at 14.4x (2 % of budget)', after: 'page 2 h / 10 min at 14.4x (4 % of budget)',
    });
    expect(change.reason).toBe('slower detection at the same threshold: a full outage after 1 min 44 s (was 52 s); '
      + 'detection time = error-ratio threshold / error ratio × long window');
  });

  test('a shorter long window at the same burn rate strengthens', () => {
    const change = onlyChange((m) => {
      const s = slo(m, 'checkout', 'availability');
      retune(tier(m, 'checkout', 'availability', 'page-6h-30m'), s, { budgetPercent: 2.5, longWindowSeconds: 3 * 3600, shortWindowSeconds: 15 * 60 });
    });
    expect(change).toMatchObject({ subject: 'SLO availability, tier page-6h-30m → page-3h-15m', effect: 'strengthening' });
    expect(change.reason).toMatch(/^faster detection at the same threshold: a full outage after 1 min 5 s \(was 2 min 10 s\)/);
  });

  test('a lower threshold over a much longer window is a trade-off, and weakens', () => {
    const change = onlyChange((m) => {
      const s = slo(m, 'checkout', 'availability');
      retune(tier(m, 'checkout', 'availability', 'page-1h-5m'), s, { longWindowSeconds: 4 * 3600, shortWindowSeconds: 20 * 60, budgetPercent: 4 });
    });
    expect(change).toMatchObject({ subject: 'SLO availability, tier page-1h-5m → page-4h-20m', effect: 'weakening' });
    expect(change.reason).toBe('trade-off: fires on smaller burns (above 0.72 % errors, was 1.44 %) but a full outage after 1 min 44 s (was 52 s)');
  });

  test('a higher threshold over a shorter window is a trade-off, and weakens', () => {
    const change = onlyChange((m) => {
      const s = slo(m, 'checkout', 'availability');
      retune(tier(m, 'checkout', 'availability', 'page-6h-30m'), s, { longWindowSeconds: 2 * 3600, shortWindowSeconds: 10 * 60, budgetPercent: 3 });
    });
    expect(change.effect).toBe('weakening');
    expect(change.reason).toBe('trade-off: detects sooner (a full outage after 1 min 18 s (was 2 min 10 s)) but only above 1.08 % errors (was 0.6 %)');
  });

  test('a new short window alone is neutral: the tier clears sooner or later, it fires the same', () => {
    const change = onlyChange((m) => {
      const s = slo(m, 'checkout', 'availability');
      retune(tier(m, 'checkout', 'availability', 'page-1h-5m'), s, { shortWindowSeconds: 600 });
    });
    expect(change).toMatchObject({ subject: 'SLO availability, tier page-1h-5m → page-1h-10m', effect: 'neutral' });
    expect(change.reason).toBe('same threshold; clears about 10 min after the errors stop (was 5 min)');
  });

  test('thresholds that follow a new objective are reported with the objective, not per tier', () => {
    const changes = changesOf((m) => {
      const s = slo(m, 'checkout', 'availability');
      s.objective = 99;
      s.errorBudget = 0.01;
      s.tiers.forEach((t) => retune(t, s, {}));
    });
    expect(changes.map((c) => c.aspect)).toEqual(['objective']);
  });

  test('tiers are paired by id, then by windows (severity changed), then by severity (windows changed)', () => {
    const s = shop().services[0].slos[0];
    const page2h = { ...s.tiers[0], id: 'page-2h-10m', longWindowSeconds: 7200, shortWindowSeconds: 600 };
    const ticket1h = { ...s.tiers[1], id: 'ticket-6h-30m', severity: 'ticket' };
    const matched = matchTiers(s.tiers, [page2h, ticket1h, s.tiers[2]]);
    expect(matched.both.map(([b, a]) => `${b.id}>${a.id}`)).toEqual(['page-1h-5m>page-2h-10m', 'page-6h-30m>ticket-6h-30m', 'ticket-1d-2h>ticket-1d-2h']);
    expect(matched.removed.map((t) => t.id)).toEqual(['ticket-3d-6h']);
    expect(matched.added).toEqual([]);
  });
});

describe('diff: escalation', () => {
  test('a removed escalation weakens: alarms notify nobody', () => {
    const change = onlyChange((m) => { delete service(m, 'fulfilment').escalation; });
    expect(change).toMatchObject({ subject: 'escalation', aspect: 'removed', before: 'ShopOnCall', effect: 'weakening' });
    expect(change.reason).toBe('its page and ticket alarms notify nobody (was ShopOnCall: email, sms at once, then pagerduty after 15 min, then topic after 30 min)');
  });

  test('an added escalation strengthens', () => {
    const changes = diffManifests([shop((m) => { delete service(m, 'fulfilment').escalation; })], [shop()]);
    expect(changes).toEqual([expect.objectContaining({ subject: 'escalation', aspect: 'added', effect: 'strengthening' })]);
  });

  test('a longer delay before a level weakens', () => {
    const change = onlyChange((m) => { escalation(m, 'checkout').levels[1].afterSeconds = 30 * 60; });
    expect(change).toMatchObject({ subject: 'escalation level 2', aspect: 'delay', before: '15 min', after: '30 min', effect: 'weakening' });
    expect(change.reason).toBe('later escalation: level 2 is notified 30 min after level 1 (was 15 min), 30 min after the page');
  });

  test('a shorter delay before a level strengthens', () => {
    const change = onlyChange((m) => { escalation(m, 'checkout').levels[2].afterSeconds = 10 * 60; });
    expect(change).toMatchObject({ subject: 'escalation level 3', effect: 'strengthening' });
    expect(change.reason).toBe('sooner escalation: level 3 is notified 10 min after level 2 (was 30 min), 25 min after the page');
  });

  test('a removed level weakens', () => {
    const change = onlyChange((m) => { escalation(m, 'checkout').levels.pop(); });
    expect(change).toMatchObject({ subject: 'escalation level 3', aspect: 'removed', effect: 'weakening',
      reason: 'level 3 (topic, 45 min after the page) is no longer notified' });
  });

  test('an added level strengthens', () => {
    const change = onlyChange((m) => { escalation(m, 'checkout').levels.push({ afterSeconds: 3600, targets: ['sms'] }); });
    expect(change).toMatchObject({ subject: 'escalation level 4', aspect: 'added', effect: 'strengthening',
      reason: 'level 4 notifies sms 1 h 45 min after the page if nobody acknowledged' });
  });

  test('fewer passes through the chain weaken, more strengthen', () => {
    expect(onlyChange((m) => { escalation(m, 'checkout').repeat = 0; })).toMatchObject({
      aspect: 'repeat', effect: 'weakening', reason: 'the chain runs 1 time before it gives up (was 2): fewer re-notifications when nobody answers',
    });
    expect(onlyChange((m) => { escalation(m, 'checkout').repeat = 3; })).toMatchObject({ aspect: 'repeat', effect: 'strengthening' });
  });

  test('other target kinds at a level are neutral', () => {
    const change = onlyChange((m) => { escalation(m, 'checkout').levels[0].targets = ['email', 'slack']; });
    expect(change).toMatchObject({ subject: 'escalation level 1', aspect: 'targets', effect: 'neutral',
      reason: 'level 1 notifies email, slack (was email, sms)' });
  });

  test('the same target kinds in another order are no change', () => {
    expect(changesOf((m) => { escalation(m, 'checkout').levels[0].targets = ['sms', 'email']; })).toEqual([]);
  });

  test('a level that lost all its targets weakens', () => {
    const change = onlyChange((m) => { escalation(m, 'checkout').levels[1].targets = []; });
    expect(change).toMatchObject({ effect: 'weakening', reason: 'level 2 notifies nobody (was pagerduty)' });
  });

  test('tickets that go nowhere weaken; tickets that go elsewhere are neutral', () => {
    expect(onlyChange((m) => { escalation(m, 'checkout').tickets = []; })).toMatchObject({
      aspect: 'tickets', effect: 'weakening', reason: 'ticket alarms notify nobody (was webhook)',
    });
    expect(onlyChange((m) => { escalation(m, 'checkout').tickets = ['email']; })).toMatchObject({ aspect: 'tickets', effect: 'neutral' });
  });

  test('another escalation policy with the same levels is neutral', () => {
    const change = onlyChange((m) => {
      const e = escalation(m, 'checkout');
      e.name = 'PaymentsOnCall';
      e.path = 'Shop/PaymentsOnCall';
    });
    expect(change).toMatchObject({ subject: 'escalation', aspect: 'policy', before: 'ShopOnCall', after: 'PaymentsOnCall', effect: 'neutral' });
  });
});

describe('diff: experiments', () => {
  test('a removed experiment weakens', () => {
    const change = onlyChange((m) => { service(m, 'checkout').experiments = []; });
    expect(change).toMatchObject({ subject: 'experiment slow-handler', aspect: 'removed', effect: 'weakening',
      reason: 'no longer exercised: aws:lambda:invocation-add-delay (it ran as a game day)' });
  });

  test('an added experiment strengthens', () => {
    const changes = diffManifests([shop((m) => { service(m, 'checkout').experiments = []; })], [shop()]);
    expect(changes).toEqual([expect.objectContaining({
      aspect: 'added', effect: 'strengthening',
      reason: 'new experiment: aws:lambda:invocation-add-delay, game day cron(0 10 ? * TUE *) in Europe/Berlin, enabled',
    })]);
  });

  test('a removed stop condition weakens; an added one strengthens', () => {
    expect(onlyChange((m) => { experiment(m, 'checkout', 'slow-handler').stopConditions.pop(); })).toMatchObject({
      aspect: 'stop condition', before: 'checkout-latency-page', effect: 'weakening',
      reason: 'FIS no longer stops the experiment when checkout-latency-page is in ALARM',
    });
    expect(onlyChange((m) => { experiment(m, 'checkout', 'slow-handler').stopConditions.push('checkout-errors'); })).toMatchObject({
      aspect: 'stop condition', after: 'checkout-errors', effect: 'strengthening',
    });
  });

  test('turning the steady-state check off weakens', () => {
    const change = onlyChange((m) => {
      const e = experiment(m, 'checkout', 'slow-handler');
      e.steadyStateCheck = false;
      e.actions.splice(0, 1);
      e.actions[0].startAfter = [];
    });
    expect(change).toMatchObject({ aspect: 'steady-state check', before: 'on', after: 'off', effect: 'weakening' });
  });

  test('turning the recovery check off weakens; on strengthens', () => {
    const off = (m: MutableManifest) => {
      const e = experiment(m, 'checkout', 'slow-handler');
      e.recoveryCheck = false;
      e.actions.splice(2, 2);
    };
    expect(onlyChange(off)).toMatchObject({ aspect: 'recovery check', effect: 'weakening',
      reason: 'no longer checks that the service recovered by itself after the faults' });
    expect(diffManifests([shop(off)], [shop()])).toEqual([expect.objectContaining({ aspect: 'recovery check', effect: 'strengthening' })]);
  });

  test('a shorter settle time before the recovery check is neutral', () => {
    const change = onlyChange((m) => {
      experiment(m, 'checkout', 'slow-handler').actions.find((a) => a.name === 'settle')!.parameters.duration = 'PT2M';
    });
    expect(change).toMatchObject({ aspect: 'settle time', before: '5 min', after: '2 min', effect: 'neutral' });
  });

  test.each<[string, (m: MutableManifest) => void, string, string]>([
    ['disabling the game day weakens', (m) => { experiment(m, 'checkout', 'slow-handler').gameDay!.enabled = false; }, 'weakening',
      'the game day (cron(0 10 ? * TUE *) in Europe/Berlin) is disabled: the experiment runs only by hand'],
    ['removing an enabled game day weakens', (m) => { delete experiment(m, 'checkout', 'slow-handler').gameDay; }, 'weakening',
      'no game day any more (was cron(0 10 ? * TUE *) in Europe/Berlin, enabled): it runs only by hand'],
    ['enabling a disabled game day strengthens', (m) => { experiment(m, 'search', 'handler-errors').gameDay!.enabled = true; }, 'strengthening',
      'the game day runs: cron(30 14 ? * THU#1 *) in Europe/London'],
    ['removing a disabled game day is neutral', (m) => { delete experiment(m, 'search', 'handler-errors').gameDay; }, 'neutral',
      'the disabled game day was removed (cron(30 14 ? * THU#1 *) in Europe/London, disabled)'],
    ['rescheduling is neutral', (m) => { experiment(m, 'checkout', 'slow-handler').gameDay!.expression = 'cron(0 14 ? * WED *)'; }, 'neutral',
      'game day rescheduled: cron(0 14 ? * WED *) in Europe/Berlin, enabled (was cron(0 10 ? * TUE *) in Europe/Berlin, enabled)'],
  ])('%s', (_, edit, effect, reason) => {
    expect(onlyChange(edit)).toMatchObject({ aspect: 'game day', effect, reason });
  });

  test('a game day only switched off or on shows just that as the change', () => {
    expect(onlyChange((m) => { experiment(m, 'checkout', 'slow-handler').gameDay!.enabled = false; }))
      .toMatchObject({ before: 'enabled', after: 'disabled' });
  });

  test('a fault with other parameters is neutral and names them', () => {
    const change = onlyChange((m) => {
      const fault = experiment(m, 'checkout', 'slow-handler').actions.find((a) => a.name === 'invocation-add-delay')!;
      fault.parameters.invocationPercentage = '10';
      fault.parameters.startupDelayMilliseconds = '2000';
    });
    expect(change).toMatchObject({ subject: 'experiment slow-handler, fault invocation-add-delay', aspect: 'changed', effect: 'neutral' });
    expect(change.reason).toBe('invocationPercentage 5 → 10; startupDelayMilliseconds 800 → 2000: the experiment tests another hypothesis');
  });

  test('an added or removed fault is neutral', () => {
    const change = onlyChange((m) => {
      const e = experiment(m, 'search', 'handler-errors');
      e.actions = e.actions.filter((a) => a.name !== 'wait');
    });
    expect(change).toMatchObject({ subject: 'experiment handler-errors, fault wait', aspect: 'removed', effect: 'neutral' });
  });

  test('a target selecting other resources is neutral', () => {
    const change = onlyChange((m) => { experiment(m, 'checkout', 'slow-handler').targets[0].selectionMode = 'PERCENT(50)'; });
    expect(change).toMatchObject({ subject: 'experiment slow-handler, target functions-1', effect: 'neutral',
      reason: 'selection ALL → PERCENT(50): the faults hit other resources' });
  });

  test('the assert-alarm-state checks are not reported as faults when the stop conditions change', () => {
    const changes = changesOf((m) => {
      const e = experiment(m, 'checkout', 'slow-handler');
      e.stopConditions = ['checkout-availability-page'];
      for (const a of e.actions.filter((x) => x.actionId === 'aws:cloudwatch:assert-alarm-state')) {
        a.parameters.alarmArns = '${CheckoutavailabilitypageFF39C443.Arn}';
      }
    });
    expect(changes.map((c) => `${c.subject}: ${c.aspect}`)).toEqual(['experiment slow-handler: stop condition']);
  });
});

describe('grouping for review', () => {
  test('groups per service: those with a weakening change first; within one, weakening, strengthening, neutral', () => {
    const changes = diffManifests([shop()], [shop((m) => {
      service(m, 'checkout').owner = 'checkout-team'; // neutral
      escalation(m, 'search').repeat = 2; // strengthening
      escalation(m, 'search').levels[1].afterSeconds = 1800; // weakening
    })]);
    const groups = groupChanges(changes);
    expect(groups.map((g) => g.service)).toEqual(['search', 'checkout']);
    expect(groups[0].changes.map((c) => c.effect)).toEqual(['weakening', 'strengthening']);
  });
});
