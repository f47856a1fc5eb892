import { GameDay, WeekDay } from '../../lib';

describe('GameDay.weekly', () => {
  test('every Tuesday at 10:00 is cron(0 10 ? * TUE *), in its time zone, enabled', () => {
    const gameDay = GameDay.weekly({ weekDay: WeekDay.TUESDAY, hour: 10, timeZone: 'Europe/Berlin' });
    expect(gameDay.expression).toBe('cron(0 10 ? * TUE *)');
    expect(gameDay.summary).toBe('every TUE at 10:00 Europe/Berlin');
    expect(gameDay.timeZone).toBe('Europe/Berlin');
    expect(gameDay.enabled).toBe(true);
    expect(gameDay._problems()).toEqual([]);
  });

  test('takes minutes and can be declared disabled', () => {
    const gameDay = GameDay.weekly({ weekDay: WeekDay.THURSDAY, hour: 14, minute: 30, timeZone: 'UTC', enabled: false });
    expect(gameDay.expression).toBe('cron(30 14 ? * THU *)');
    expect(gameDay.enabled).toBe(false);
    expect(gameDay._problems()).toEqual([]);
  });

  test('refuses a week day, hour or minute out of range', () => {
    const gameDay = GameDay.weekly({ weekDay: 'TUESDAY' as WeekDay, hour: 24, minute: 60, timeZone: 'UTC' });
    expect(gameDay._problems()).toEqual([
      { prop: 'gameDay.weekDay', message: 'must be one of MON, TUE, WED, THU, FRI, SAT, SUN, got "TUESDAY"' },
      { prop: 'gameDay.hour', message: 'must be a whole hour from 0 to 23, got 24' },
      { prop: 'gameDay.minute', message: 'must be a whole minute from 0 to 59, got 60' },
    ]);
  });

  test('refuses a fractional hour', () => {
    expect(GameDay.weekly({ weekDay: WeekDay.MONDAY, hour: 9.5, timeZone: 'UTC' })._problems()).toEqual([
      { prop: 'gameDay.hour', message: 'must be a whole hour from 0 to 23, got 9.5' },
    ]);
  });
});

describe('GameDay.cron', () => {
  test('accepts the first Tuesday of the month', () => {
    const gameDay = GameDay.cron({ expression: 'cron(0 10 ? * TUE#1 *)', timeZone: 'Europe/Berlin' });
    expect(gameDay.expression).toBe('cron(0 10 ? * TUE#1 *)');
    expect(gameDay._problems()).toEqual([]);
  });

  test.each(['cron(0 10 ? * TUE)', 'rate(7 days)', '0 10 ? * TUE *'])('refuses %p, which is not six cron fields', (expression) => {
    expect(GameDay.cron({ expression, timeZone: 'UTC' })._problems()).toEqual([{
      prop: 'gameDay.expression',
      message: `must be cron(minutes hours day-of-month month day-of-week year), six fields, e.g. 'cron(0 10 ? * TUE#1 *)', got ${JSON.stringify(expression)}`,
    }]);
  });

  test('refuses both a day of the month and a day of the week', () => {
    expect(GameDay.cron({ expression: 'cron(0 10 1 * TUE *)', timeZone: 'UTC' })._problems()).toEqual([{
      prop: 'gameDay.expression',
      message: 'must leave day-of-month or day-of-week as \'?\' (EventBridge cron rule), got "cron(0 10 1 * TUE *)"',
    }]);
  });

  test.each(['cron(* 10 ? * TUE *)', 'cron(0/15 10 ? * TUE *)', 'cron(0 * ? * TUE *)'])('refuses %p, which starts more than once an hour', (expression) => {
    expect(GameDay.cron({ expression, timeZone: 'UTC' })._problems()).toEqual([{
      prop: 'gameDay.expression',
      message: `starts an experiment more than once an hour; a game day is a planned event, pick fixed minutes and hours, got ${JSON.stringify(expression)}`,
    }]);
  });
});

describe('GameDay.once', () => {
  test('at a local date and time: at(2026-12-01T10:00:00)', () => {
    const gameDay = GameDay.once({ at: '2026-12-01T10:00', timeZone: 'America/New_York' });
    expect(gameDay.expression).toBe('at(2026-12-01T10:00:00)');
    expect(gameDay.summary).toBe('once at 2026-12-01T10:00:00 America/New_York');
    expect(gameDay._problems()).toEqual([]);
  });

  test('keeps given seconds', () => {
    expect(GameDay.once({ at: '2026-12-01T10:00:30', timeZone: 'UTC' }).expression).toBe('at(2026-12-01T10:00:30)');
  });

  test.each(['2026-12-01 10:00', '2026-13-01T10:00', '2026-12-01T10:00Z', '2026-12-01'])('refuses %p', (at) => {
    expect(GameDay.once({ at, timeZone: 'UTC' })._problems()).toEqual([{
      prop: 'gameDay.at',
      message: `must be a local date and time YYYY-MM-DDThh:mm[:ss], e.g. '2026-12-01T10:00', got ${JSON.stringify(at)}`,
    }]);
  });
});

describe('time zone and enabled flag', () => {
  test.each(['Mars/Olympus_Mons', 'CEST', '', 'Berlin'])('refuses the time zone %p', (timeZone) => {
    expect(GameDay.weekly({ weekDay: WeekDay.TUESDAY, hour: 10, timeZone })._problems()).toEqual([{
      prop: 'gameDay.timeZone',
      message: `must be an IANA time zone such as 'Europe/Berlin' or 'UTC', got ${JSON.stringify(timeZone)}`,
    }]);
  });

  test.each(['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Asia/Kolkata'])('accepts the time zone %p', (timeZone) => {
    expect(GameDay.weekly({ weekDay: WeekDay.TUESDAY, hour: 10, timeZone })._problems()).toEqual([]);
  });

  test('refuses an enabled flag that is not a boolean', () => {
    expect(GameDay.weekly({ weekDay: WeekDay.TUESDAY, hour: 10, timeZone: 'UTC', enabled: 'yes' as unknown as boolean })._problems()).toEqual([
      { prop: 'gameDay.enabled', message: 'must be true or false, got "yes"' },
    ]);
  });
});
