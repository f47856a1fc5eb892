import { Duration, Token } from 'aws-cdk-lib';
import { availability, counts, newStack } from './helpers';
import { AlertPolicy, ReliableService, Severity, Sli } from '../../lib';

/** A ReliableService with one SLO carrying `overrides`, as a JavaScript or Python user may write it. */
function build(overrides: Record<string, unknown>) {
  return () => new ReliableService(newStack(), 'Checkout', { serviceName: 'checkout', slos: [availability(overrides)] });
}

describe('a number where a Duration is expected is named as such, with the value', () => {
  test('an SLO window of 30 (days meant) says it must be a Duration and shows 30 (a number)', () => {
    expect(build({ window: 30 })).toThrow(
      'Shop/Checkout/availability: window: must be a Duration (e.g. Duration.days(30)), got 30 (a number)');
  });

  test('an SLO window as a string shows it quoted, as a string', () => {
    expect(build({ window: '30d' })).toThrow(
      'Shop/Checkout/availability: window: must be a Duration (e.g. Duration.days(30)), got "30d" (a string)');
  });

  test('a Duration token keeps the token message', () => {
    expect(build({ window: Duration.days(Token.asNumber({ Ref: 'Days' })) })).toThrow(
      'Shop/Checkout/availability: window: must be a concrete Duration such as Duration.days(30), not a token: burn-rate thresholds are computed at synth time');
  });

  test('a tier long window of 3600 is reported once, on longWindow, not on the short window derived from it', () => {
    const alerting = AlertPolicy.fromTiers([{ severity: Severity.PAGE, budgetSpentPercent: 2, longWindow: 3600 as never }]);
    expect(build({ alerting })).toThrow(
      'Shop/Checkout/availability: alerting.tiers[0].longWindow: must be a Duration (e.g. Duration.hours(1)), got 3600 (a number)');
  });

  test('a tier short window of 300 is reported on shortWindow', () => {
    const alerting = AlertPolicy.fromTiers([{ severity: Severity.PAGE, budgetSpentPercent: 2, longWindow: Duration.hours(1), shortWindow: 300 as never }]);
    expect(build({ alerting })).toThrow(
      'Shop/Checkout/availability: alerting.tiers[0].shortWindow: must be a Duration (e.g. Duration.minutes(5)), got 300 (a number)');
  });

  test('a tier long window token keeps the token message', () => {
    const alerting = AlertPolicy.fromTiers([{ severity: Severity.PAGE, budgetSpentPercent: 2, longWindow: Duration.hours(Token.asNumber({ Ref: 'H' })) }]);
    expect(build({ alerting })).toThrow(
      'Shop/Checkout/availability: alerting.tiers[0].longWindow: must be a concrete Duration such as Duration.hours(1), not a token: alarm periods are fixed at synth time');
  });

  test('a latency threshold of 300 (milliseconds meant) shows 300 (a number)', () => {
    const sli = Sli.latency({ metric: counts().requests, threshold: 300 as never });
    expect(build({ sli })).toThrow(
      'Shop/Checkout/availability: sli: Sli.latency `threshold` must be a Duration (e.g. Duration.millis(300)), got 300 (a number)');
  });

  test('a blind alert after 15 (minutes meant) shows 15 (a number)', () => {
    expect(build({ blindAlert: { after: 15 } })).toThrow(
      'Shop/Checkout/availability: blindAlert.after: must be a Duration (e.g. Duration.minutes(15)), got 15 (a number)');
  });

  test('burnRateMetric(3600) says the window must be a Duration', () => {
    const service = new ReliableService(newStack(), 'Checkout', { serviceName: 'checkout', slos: [availability()] });
    expect(() => service.slo('availability').burnRateMetric(3600 as never)).toThrow(
      'Shop/Checkout/availability: burnRateMetric(window): window must be a Duration (e.g. Duration.hours(1)), got 3600 (a number)');
  });
});
