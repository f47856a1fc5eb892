import { Severity } from '../../lib';
import { escalationAlarmTags, isTagValue } from '../../lib/escalation/alarm-tags';

describe('the tags of a composite alarm wired to an escalation policy', () => {
  const base = { serviceName: 'checkout', sloName: 'availability', severity: Severity.PAGE, objective: 99.95, windowSeconds: 28 * 86_400 };

  test('name the service, SLO, severity, objective and window', () => {
    expect(escalationAlarmTags(base)).toEqual({
      'cdk-reliability:service': 'checkout',
      'cdk-reliability:slo': 'availability',
      'cdk-reliability:severity': 'page',
      'cdk-reliability:objective': '99.95',
      'cdk-reliability:window': '28d',
    });
  });

  test('add the runbook and the dashboard when given', () => {
    expect(escalationAlarmTags({ ...base, runbookUrl: 'https://runbooks.example.com/checkout', dashboardName: 'checkout-slos' })).toMatchObject({
      'cdk-reliability:runbook': 'https://runbooks.example.com/checkout',
      'cdk-reliability:dashboard': 'checkout-slos',
    });
  });

  test.each([
    ['a query string', 'https://wiki.example.com/page?id=42'],
    ['a fragment', 'https://wiki.example.com/page#checkout'],
    ['over 256 characters', `https://runbooks.example.com/${'a'.repeat(240)}`],
  ])('leave out a runbook URL with %s: not a valid CloudWatch tag value', (_, url) => {
    expect(isTagValue(url)).toBe(false);
    expect(escalationAlarmTags({ ...base, runbookUrl: url })['cdk-reliability:runbook']).toBeUndefined();
  });
});
