import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ServiceDashboard } from '../../lib';

function newStack(): Stack {
  return new Stack(new App(), 'Shop');
}

describe('ServiceDashboard refuses bad props in its constructor, not with a TypeError at synth', () => {
  test('empty props name both required props', () => {
    expect(() => new ServiceDashboard(newStack(), 'Dashboard', {} as never)).toThrow(
      'Shop/Dashboard: 2 problems:\n'
      + "  - dashboardName: is required: a name of letters, digits, - and _ (e.g. 'checkout-reliability'), got undefined\n"
      + "  - title: is required: the text shown at the top of the dashboard (e.g. 'checkout'), got undefined");
  });

  test('no props at all', () => {
    expect(() => new ServiceDashboard(newStack(), 'Dashboard', undefined as never)).toThrow(
      'Shop/Dashboard: props: must be { dashboardName, title, escalation? }, got undefined');
  });

  test('a dashboard name CloudWatch refuses', () => {
    expect(() => new ServiceDashboard(newStack(), 'Dashboard', { dashboardName: 'checkout reliability', title: 'checkout' })).toThrow(
      'Shop/Dashboard: dashboardName: must be 1 to 255 letters, digits, - and _ (CloudWatch dashboard names), got "checkout reliability"');
  });

  test('a title that is not text', () => {
    expect(() => new ServiceDashboard(newStack(), 'Dashboard', { dashboardName: 'checkout-reliability', title: 42 as never })).toThrow(
      "Shop/Dashboard: title: is required: the text shown at the top of the dashboard (e.g. 'checkout'), got 42");
  });

  test('an escalation that is not an escalation policy', () => {
    expect(() => new ServiceDashboard(newStack(), 'Dashboard', { dashboardName: 'checkout-reliability', title: 'checkout', escalation: 'oncall' as never })).toThrow(
      'Shop/Dashboard: escalation: must be an IEscalationPolicy (e.g. an EscalationPolicy), got "oncall"');
  });


  test('valid props synthesize a dashboard of that name', () => {
    const stack = newStack();
    new ServiceDashboard(stack, 'Dashboard', { dashboardName: 'checkout-reliability', title: 'checkout' });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'checkout-reliability' });
  });
});
