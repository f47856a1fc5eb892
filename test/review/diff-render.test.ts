import { diffManifests } from '../../lib/review/diff';
import { renderDiffJson, renderDiffMarkdown } from '../../lib/review/diff-render';
import { escalation, service, shop, slo } from './support/manifests';

const SOURCES = { before: 'main/cdk.out', after: 'cdk.out' };

function weakenedShop() {
  return shop((m) => {
    const s = slo(m, 'checkout', 'availability');
    s.objective = 99.5;
    s.errorBudget = 0.005;
    escalation(m, 'search').repeat = 2;
    service(m, 'fulfilment').owner = 'fulfilment-team';
  });
}

describe('diff as Markdown', () => {
  test('a summary line, the weakening changes first, one table per service', () => {
    const lines = renderDiffMarkdown(diffManifests([shop()], [weakenedShop()]), SOURCES);
    expect(lines.slice(0, 7)).toEqual([
      '## Reliability policy changes',
      '',
      'Compared `main/cdk.out` (before) with `cdk.out` (after).',
      '',
      '**3 changes: 1 weaken, 1 strengthen, 1 neutral**',
      '',
      '1 change weakens the reliability policy: customers can be hurt longer or more before someone is told. They are listed first.',
    ]);
    const text = lines.join('\n');
    expect(text).toContain([
      '### `Shop` / `checkout`',
      '',
      '| effect | what | change | why |',
      '|---|---|---|---|',
      '| **weakens** | SLO availability | objective: 99.9 % → 99.5 % | '
        + 'budget 5x larger: 43 min → 3 h 36 min of full outage per 30 d; every tier fires 5x later |',
    ].join('\n'));
    expect(text.indexOf('`checkout`')).toBeLessThan(text.indexOf('`search`'));
    expect(text).toContain('| strengthens | escalation | repeat: 1 → 2 |');
    expect(text).toContain('| neutral | service | owner: logistics-team → fulfilment-team | owner changed: who is responsible |');
  });

  test('no changes says the policy is unchanged', () => {
    expect(renderDiffMarkdown([], SOURCES).slice(-3)).toEqual(['**0 changes: 0 weaken, 0 strengthen, 0 neutral**', '', 'The reliability policy is unchanged.']);
  });

  test('a long value is cut without splitting a surrogate pair', () => {
    const owner = `${'x'.repeat(78)}🚀🚀`; // the 79th UTF-16 unit, where the cut falls, is the first half of a 🚀
    const text = renderDiffMarkdown(diffManifests([shop()], [shop((m) => { service(m, 'fulfilment').owner = owner; })])).join('\n');
    expect(text).toContain(`owner: logistics-team → ${'x'.repeat(78)}… |`);
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)).toBe(false);
  });

  test('added and removed things show their value', () => {
    const text = renderDiffMarkdown(diffManifests([shop()], [shop((m) => { slo(m, 'checkout', 'availability').tiers.splice(0, 1); })])).join('\n');
    expect(text).toContain('| **weakens** | SLO availability, tier page-1h-5m | removed: page 1 h / 5 min at 14.4x (2 % of budget) |');
  });
});

describe('diff as JSON', () => {
  test('has the sources, a summary and every change with its effect and reason, weakening first', () => {
    const json = JSON.parse(renderDiffJson(diffManifests([shop()], [weakenedShop()]), SOURCES));
    expect(json.before).toBe('main/cdk.out');
    expect(json.summary).toEqual({ total: 3, weakening: 1, strengthening: 1, neutral: 1 });
    expect(json.changes[0]).toEqual({
      stack: 'Shop',
      service: 'checkout',
      subject: 'SLO availability',
      aspect: 'objective',
      before: '99.9 %',
      after: '99.5 %',
      effect: 'weakening',
      reason: 'budget 5x larger: 43 min → 3 h 36 min of full outage per 30 d; every tier fires 5x later',
    });
    expect(json.changes.map((c: { effect: string }) => c.effect)).toEqual(['weakening', 'strengthening', 'neutral']);
  });
});
