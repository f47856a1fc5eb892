import { AlarmStateName, evaluateAlarmRule, parseAlarmRule, ruleAlarms } from '../../lib/simulation/alarm-rule';

describe('composite alarm rules', () => {
  const rule = parseAlarmRule('((ALARM("l1") AND ALARM("s1")) OR (ALARM("l2") AND ALARM("s2")))');
  const states = (alarming: string[]) => (id: string): AlarmStateName => (alarming.includes(id) ? 'ALARM' : 'OK');

  test('fires only when both windows of a tier are in ALARM', () => {
    expect(evaluateAlarmRule(rule, states(['l1']))).toBe(false);
    expect(evaluateAlarmRule(rule, states(['l1', 's2']))).toBe(false);
    expect(evaluateAlarmRule(rule, states(['l2', 's2']))).toBe(true);
  });

  test('supports NOT, OK(), TRUE and FALSE, with AND binding tighter than OR', () => {
    expect(evaluateAlarmRule(parseAlarmRule('NOT ALARM("a") AND OK("b")'), states([]))).toBe(true);
    expect(evaluateAlarmRule(parseAlarmRule('TRUE OR FALSE AND FALSE'), states([]))).toBe(true);
  });

  test('lists the alarms it reads', () => {
    expect([...ruleAlarms(rule)].sort()).toEqual(['l1', 'l2', 's1', 's2']);
  });

  test('refuses malformed rules', () => {
    expect(() => parseAlarmRule('ALARM("a") AND')).toThrow(/unexpected end/);
    expect(() => parseAlarmRule('ALARM(a)')).toThrow(/unexpected text/);
    // the text shown is cut on whole characters: never half of a surrogate pair
    expect(() => parseAlarmRule(`ALARM("a") AND x${'🚀'.repeat(30)}`)).toThrow(new RegExp(`^alarm rule: unexpected text at 14: " x${'🚀'.repeat(17)}…"$`, 'u'));
  });
});
