import { Fault, FisLambdaExtension, Targets } from '../../lib';
import { newFunction, newService, newStack } from './helpers';

describe('chaos inputs of the wrong kind get a clear error, never a TypeError', () => {
  test.each([
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['a string', 'Shop', '"Shop"'],
  ])('FisLambdaExtension.of(%s) says the scope must be a construct', (_what, scope, shown) => {
    expect(() => FisLambdaExtension.of(scope as never)).toThrow(
      `FisLambdaExtension.of(scope): scope must be a construct in a Stack (e.g. the stack or the function), got ${shown}`);
  });

  test('Targets.functions(fn) without the list says it takes a list and names the function given', () => {
    const stack = newStack();
    const service = newService(stack);
    const fn = newFunction(stack);
    expect(() => service.addExperiment('errors', { fault: Fault.lambdaInvocationError(Targets.functions(fn as never)) })).toThrow(
      'Shop/Checkout/Experiment-errors: 2 problems:\n'
      + '  - fault (lambdaInvocationError).target: must be a list, each a Lambda function (Targets.functions([...]); a single one goes in brackets), got the construct Shop/Handler\n');
  });

  test('Targets.instances(undefined) says it takes a list', () => {
    const stack = newStack();
    const service = newService(stack);
    expect(() => service.addExperiment('stop', { fault: Fault.ec2StopInstances(Targets.instances(undefined as never)) })).toThrow(
      '  - fault (ec2StopInstances).target: must be a list, each an EC2 instance (Targets.instances([...]); a single one goes in brackets), got undefined\n');
  });
});
