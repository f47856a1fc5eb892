import { executionStages, expectedDuration, parseIsoDuration, predecessors } from '../../../lib/cli/experiments/schedule';

const action = (name: string, startAfter: string[] = [], duration?: string) => ({ name, startAfter, duration });

describe('parseIsoDuration', () => {
  test.each<[string, number]>([['PT10M', 600], ['PT1H30M', 5400], ['PT30S', 30], ['PT0.5S', 0.5], ['P1D', 86400], ['P1DT2H', 93600], ['pt5m', 300], ['PT0S', 0]])(
    '%s is %d seconds', (text, seconds) => {
      expect(parseIsoDuration(text)).toBe(seconds);
    });

  test.each([['P'], ['PT'], ['10m'], ['P1Y'], ['PT5'], ['']])('%j is not a duration', (text) => {
    expect(parseIsoDuration(text)).toBeUndefined();
  });
});

describe('execution order from startAfter', () => {
  test('actions without startAfter start together; the others after all they name, whatever the template order', () => {
    const actions = [
      action('recovered', ['settle']),
      action('settle', ['errors', 'latency'], 'PT2M'),
      action('latency', ['steadyState'], 'PT8M'),
      action('steadyState'),
      action('errors', ['steadyState'], 'PT5M'),
      action('baseline'),
    ];
    expect(executionStages(actions).map((stage) => stage.map((a) => a.name))).toEqual([
      ['steadyState', 'baseline'],
      ['latency', 'errors'],
      ['settle'],
      ['recovered'],
    ]);
  });

  test('the expected duration is the longest path, ending with the last instant check', () => {
    const actions = [
      action('steadyState'),
      action('errors', ['steadyState'], 'PT5M'),
      action('latency', ['steadyState'], 'PT8M'),
      action('settle', ['errors', 'latency'], 'PT2M'),
      action('recovered', ['settle']),
    ];
    expect(expectedDuration(actions)).toEqual({ seconds: 600, path: ['steadyState', 'latency', 'settle', 'recovered'], unreadable: [] });
  });

  test('a duration that is not ISO 8601 counts as 0 and is reported', () => {
    expect(expectedDuration([action('wait', [], '5 minutes')])).toEqual({ seconds: 0, path: ['wait'], unreadable: ['wait'] });
  });

  test('throws naming the action when startAfter names an unknown action', () => {
    expect(() => executionStages([action('delay', ['steadystate'])])).toThrow(/action 'delay' starts after 'steadystate', which is not an action/);
  });

  test('throws showing the cycle when startAfter lists loop', () => {
    expect(() => executionStages([action('a', ['b']), action('b', ['a'])])).toThrow(/cycle: a → b → a/);
  });

  test('predecessors are transitive', () => {
    const actions = [action('a'), action('b', ['a']), action('c', ['b'])];
    expect([...predecessors(actions, 'c')].sort()).toEqual(['a', 'b']);
  });
});
