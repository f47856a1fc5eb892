/**
 * A time-slice SLO in the manifest, the report, the compact policy and the diff: the slice, the
 * condition, the missing-slice rule and each tier's M of N slices, and how a reviewer should read
 * a change of each.
 */
import { Duration } from 'aws-cdk-lib';
import { SliceComparison, SliceMissingData } from '../../lib';
import { compactPolicy } from '../../lib/manifest/compact';
import { diffManifests, PolicyChange } from '../../lib/review/diff';
import { renderReport } from '../../lib/review/report';
import { shop } from './support/manifests';
import { freshnessManifest, FreshnessOptions } from './support/time-slice';

function changes(before: FreshnessOptions, after: FreshnessOptions): PolicyChange[] {
  return diffManifests([freshnessManifest(before)], [freshnessManifest(after)]);
}

function only(found: PolicyChange[], aspect: string): PolicyChange {
  const matching = found.filter((c) => c.aspect === aspect);
  expect(matching).toHaveLength(1);
  return matching[0];
}

describe('the manifest of a time-slice SLO', () => {
  const slo = freshnessManifest().services[0].slos[0];

  test('records the slice, the judged metric, the condition and the missing-slice rule', () => {
    expect(slo.sli.kind).toBe('time-slice');
    expect(slo.sli.timeSlice).toEqual({ sliceSeconds: 60, slice: '1m', metricId: 'slice0', comparison: '<', threshold: 300, missingSlice: 'bad' });
    expect(slo.sli.metrics.map((m) => m.id)).toContain(slo.sli.timeSlice!.metricId);
  });

  test('records per tier the M of N slices of each window alarm, and no low-traffic guard', () => {
    expect(slo.tiers.map((t) => [t.id, t.slices, t.guardEvents])).toEqual([
      ['page-1h-5m', { long: { slices: 60, slicesToAlarm: 5 }, short: { slices: 5, slicesToAlarm: 1 } }, undefined],
      ['page-6h-30m', { long: { slices: 360, slicesToAlarm: 11 }, short: { slices: 30, slicesToAlarm: 1 } }, undefined],
      ['ticket-1d-2h', { long: { slices: 1440, slicesToAlarm: 22 }, short: { slices: 120, slicesToAlarm: 2 } }, undefined],
    ]);
  });

  test('a 5-minute slice and missing slices counted good are recorded as such', () => {
    const five = freshnessManifest({ slice: Duration.minutes(5), missingData: SliceMissingData.GOOD }).services[0].slos[0];
    expect(five.sli.timeSlice).toMatchObject({ sliceSeconds: 300, slice: '5m', missingSlice: 'good' });
    expect(five.tiers[0].slices).toEqual({ long: { slices: 12, slicesToAlarm: 1 }, short: { slices: 1, slicesToAlarm: 1 } });
  });

  test('ratio SLOs carry neither field', () => {
    const ratio = shop().services.flatMap((s) => s.slos);
    expect(ratio.some((s) => 'timeSlice' in s.sli || s.tiers.some((t) => 'slices' in t))).toBe(false);
  });
});

describe('the report of a time-slice SLO', () => {
  const text = renderReport([freshnessManifest()]).join('\n');

  test('states the condition and the bad slices the budget allows', () => {
    expect(text).toContain('Time slices: a 1-minute slice is good when slice0 < 300; a slice without data is bad. '
      + 'The budget allows 216 bad 1-minute slices of 43200 over 30 d');
    expect(text).toContain('| 99.5 % | 30 d | 0.5 % | 3 h 36 min/30 d | time-slice | none (counts slices) | $1.60 |');
  });

  test('each tier says how many bad slices of each window fire it, and when all-bad slices do', () => {
    expect(text).toContain('| tier | severity | windows (long / short) | fires when | bad slices above | budget spent | all slices bad fires it after | alarms |');
    expect(text).toContain('| `page-1h-5m` | page | 1 h / 5 min | ≥ 5 of 60 and ≥ 1 of 5 1-minute slices are bad | 7.2 % | 2 % | 5 min |');
    expect(text).toContain('| `ticket-1d-2h` | ticket | 1 d / 2 h | ≥ 22 of 1440 and ≥ 2 of 120 1-minute slices are bad | 1.5 % | 10 % | 22 min |');
    expect(text).toContain('A time-slice SLO counts slices instead of events');
  });

  test('a ratio-only report does not explain time slices', () => {
    expect(renderReport([shop()]).join('\n')).not.toContain('time-slice');
  });
});

describe('the compact policy of a time-slice SLO', () => {
  test('one line for the condition, one per tier with its M of N', () => {
    const lines = compactPolicy(freshnessManifest()).split('\n');
    expect(lines).toContain('    slice  1m: good when slice0 < 300, missing bad');
    expect(lines).toContain('    page   1h/5m   bad >= 5/60 and >= 1/5 slices (error ratio 7.2 %), 2 % of the budget');
  });
});

describe('diff of time-slice SLOs, as a reviewer judges it', () => {
  test('nothing changed, nothing reported', () => {
    expect(changes({}, {})).toEqual([]);
  });

  test('a higher age threshold is a looser condition and weakens; a lower one strengthens', () => {
    const looser = only(changes({ threshold: 300 }, { threshold: 600 }), 'slice condition');
    expect(looser).toMatchObject({ effect: 'weakening', before: '< 300', after: '< 600' });
    expect(looser.reason).toMatch(/looser condition: a slice is good when slice0 < 600 \(was slice0 < 300\)/);
    expect(only(changes({ threshold: 600 }, { threshold: 300 }), 'slice condition').effect).toBe('strengthening');
  });

  test('for a condition that must stay above its threshold, lowering it weakens', () => {
    const above = { comparison: SliceComparison.GREATER_THAN_OR_EQUAL };
    expect(only(changes({ ...above, threshold: 100 }, { ...above, threshold: 90 }), 'slice condition').effect).toBe('weakening');
    expect(only(changes({ ...above, threshold: 90 }, { ...above, threshold: 100 }), 'slice condition').effect).toBe('strengthening');
  });

  test('< to <= at the same threshold admits the threshold itself: weakens; the reverse strengthens', () => {
    expect(only(changes({}, { comparison: SliceComparison.LESS_THAN_OR_EQUAL }), 'slice condition').effect).toBe('weakening');
    expect(only(changes({ comparison: SliceComparison.LESS_THAN_OR_EQUAL }, {}), 'slice condition').effect).toBe('strengthening');
  });

  test('a condition turned the other way judges something else: neutral, with a warning to check it', () => {
    const turned = only(changes({}, { comparison: SliceComparison.GREATER_THAN }), 'slice condition');
    expect(turned.effect).toBe('neutral');
    expect(turned.reason).toMatch(/other side of the threshold/);
  });

  test('missing slices counted good instead of bad weakens: a silent metric no longer pages', () => {
    const good = only(changes({}, { missingData: SliceMissingData.GOOD }), 'missing slices');
    expect(good).toMatchObject({ effect: 'weakening', before: 'bad', after: 'good' });
    expect(only(changes({ missingData: SliceMissingData.GOOD }, {}), 'missing slices').effect).toBe('strengthening');
  });

  test('a longer slice weakens, a shorter one strengthens, and the tiers\' M of N that follow it are not reported again', () => {
    const coarser = changes({}, { slice: Duration.minutes(5) });
    expect(coarser.map((c) => c.aspect)).toEqual(['slice']);
    expect(coarser[0]).toMatchObject({ effect: 'weakening', before: '1m', after: '5m' });
    expect(only(changes({ slice: Duration.minutes(5) }, {}), 'slice').effect).toBe('strengthening');
  });

  test('a lower objective is reported once, as the larger budget, not again as every tier\'s M', () => {
    const found = changes({}, { objective: 99 });
    expect(found.map((c) => c.aspect)).toEqual(['objective']);
    expect(found[0].effect).toBe('weakening');
  });

  test('a tier needing more bad slices with nothing else changed weakens; fewer strengthens', () => {
    const before = freshnessManifest();
    const after = freshnessManifest();
    (after.services[0].slos[0].tiers[0].slices!.long as { slicesToAlarm: number }).slicesToAlarm = 6;
    const more = diffManifests([before], [after]);
    expect(more).toHaveLength(1);
    expect(more[0]).toMatchObject({ subject: 'SLO freshness, tier page-1h-5m', aspect: 'bad slices', effect: 'weakening' });
    expect(more[0].reason).toMatch(/fires when ≥ 6 of 60 \/ ≥ 1 of 5 slices are bad \(was ≥ 5 of 60 \/ ≥ 1 of 5\)/);
    expect(diffManifests([after], [before])[0].effect).toBe('strengthening');
  });
});
