import {
  atExpression, ChainShape, compareSteps, delayBefore, isTerminal, nextStep, previousStep, scheduleName,
} from '../../../../lambdas/escalation/chain/steps';

const shape: ChainShape = { levelDelays: [0, 300, 900], repeat: 1, repeatAfterSeconds: 1800 };

describe('the chain', () => {
  test('walks the levels, repeats, then ends in one terminal step', () => {
    const steps = [{ level: 0, cycle: 0 }];
    for (let s = nextStep(steps[0], shape); s; s = nextStep(s, shape)) {
      steps.push(s);
    }
    expect(steps).toEqual([
      { level: 0, cycle: 0 }, { level: 1, cycle: 0 }, { level: 2, cycle: 0 },
      { level: 0, cycle: 1 }, { level: 1, cycle: 1 }, { level: 2, cycle: 1 },
      { level: 3, cycle: 1 },
    ]);
    expect(isTerminal(steps[6], shape)).toBe(true);
    for (let i = 1; i < steps.length; i++) {
      expect(previousStep(steps[i], shape)).toEqual(steps[i - 1]);
      expect(compareSteps(steps[i - 1], steps[i])).toBeLessThan(0);
    }
    expect(previousStep(steps[0], shape)).toBeUndefined();
  });

  test('waits each level\'s afterSeconds, and repeatAfterSeconds before a new pass and before giving up', () => {
    expect(delayBefore({ level: 1, cycle: 0 }, shape)).toBe(300);
    expect(delayBefore({ level: 2, cycle: 0 }, shape)).toBe(900);
    expect(delayBefore({ level: 0, cycle: 1 }, shape)).toBe(1800);
    expect(delayBefore({ level: 3, cycle: 1 }, shape)).toBe(1800);
  });

  test('never waits less than a minute (Scheduler\'s granularity)', () => {
    expect(delayBefore({ level: 1, cycle: 0 }, { ...shape, levelDelays: [0, 5] })).toBe(60);
  });
});

describe('timer names and times', () => {
  test('names are short, Scheduler-safe and distinct per incident and step', () => {
    const name = scheduleName('a'.repeat(255), '2024-05-01T10:00:00.000Z', { level: 12, cycle: 3 });
    expect(name).toMatch(/^[0-9a-f]{16}-1714557600000-3-12$/);
    expect(name.length).toBeLessThanOrEqual(64);
    expect(scheduleName('x', '2024-05-01T10:00:00.000Z', { level: 1, cycle: 0 }))
      .not.toBe(scheduleName('x', '2024-05-01T10:00:01.000Z', { level: 1, cycle: 0 }));
  });

  test('at() is UTC without milliseconds, rounded up', () => {
    expect(atExpression(new Date('2024-05-01T10:15:00.000Z'))).toBe('at(2024-05-01T10:15:00)');
    expect(atExpression(new Date('2024-05-01T10:15:00.001Z'))).toBe('at(2024-05-01T10:15:01)');
  });
});
