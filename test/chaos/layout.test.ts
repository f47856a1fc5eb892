import { Selection, Targets } from '../../lib';
import { FIS_ACTIONS, FisActionDefinition } from '../../lib/chaos/catalog';
import { FaultActionSpec, FaultNode } from '../../lib/chaos/fault-action';
import { LayoutBuilder, treeActions, treeProblems, treeSeconds, treeWidth } from '../../lib/chaos/layout';

const FN_A = 'arn:aws:lambda:eu-west-1:111111111111:function:a';
const FN_B = 'arn:aws:lambda:eu-west-1:111111111111:function:b';

function spec(definition: FisActionDefinition, target?: Targets, minutes?: number): FaultActionSpec {
  return {
    definition,
    description: definition.actionId,
    parameters: {},
    target,
    durationSeconds: minutes === undefined ? undefined : minutes * 60,
  };
}

const act = (s: FaultActionSpec): FaultNode => ({ kind: 'action', action: s });
const seq = (...children: FaultNode[]): FaultNode => ({ kind: 'sequence', children });
const par = (...children: FaultNode[]): FaultNode => ({ kind: 'parallel', children });
const wait = (minutes: number) => act(spec(FIS_ACTIONS.wait, undefined, minutes));
const delay = (arn = FN_A, minutes = 10) => act(spec(FIS_ACTIONS.lambdaDelay, Targets.arns([arn]), minutes));
const latency = () => act(spec(FIS_ACTIONS.ecsNetworkLatency, Targets.tagged({ app: 'web' }, Selection.count(1)), 5));

describe('LayoutBuilder', () => {
  test('a sequence starts each action after the previous one', () => {
    const b = new LayoutBuilder();
    const first = b.add(spec(FIS_ACTIONS.wait, undefined, 1), [], 'steady-state');
    const terminals = b.addTree(seq(wait(2), wait(3), wait(4)), [first]);
    const layout = b.build();
    expect(layout.actions.map((a) => [a.name, a.startAfter])).toEqual([
      ['steady-state', []],
      ['wait', ['steady-state']],
      ['wait-2', ['wait']],
      ['wait-3', ['wait-2']],
    ]);
    expect(terminals).toEqual(['wait-3']);
    expect(layout.terminals).toEqual(['wait-3']);
  });

  test('a parallel starts every branch after the same actions and ends with all of them', () => {
    const b = new LayoutBuilder();
    const terminals = b.addTree(par(wait(2), seq(wait(1), wait(1))), ['start']);
    const layout = b.build();
    expect(layout.actions.map((a) => [a.name, a.startAfter])).toEqual([
      ['wait', ['start']],
      ['wait-2', ['start']],
      ['wait-3', ['wait-2']],
    ]);
    expect(terminals).toEqual(['wait', 'wait-3']);
  });

  test('a sequence after a parallel waits for every branch', () => {
    const b = new LayoutBuilder();
    b.addTree(seq(par(wait(1), wait(2)), wait(3)), []);
    expect(b.build().actions.map((a) => [a.name, a.startAfter])).toEqual([
      ['wait', []],
      ['wait-2', []],
      ['wait-3', ['wait', 'wait-2']],
    ]);
  });

  test('names repeated actions invocation-add-delay, invocation-add-delay-2, -3', () => {
    const b = new LayoutBuilder();
    b.addTree(seq(delay(), delay(), delay()), []);
    expect(b.build().actions.map((a) => a.name)).toEqual(['invocation-add-delay', 'invocation-add-delay-2', 'invocation-add-delay-3']);
  });

  test('uses the preferred name, de-duplicated the same way', () => {
    const b = new LayoutBuilder();
    expect(b.add(spec(FIS_ACTIONS.wait), [], 'settle')).toBe('settle');
    expect(b.add(spec(FIS_ACTIONS.wait), [], 'settle')).toBe('settle-2');
  });

  test('actions hitting identical targets share one target; other resources get their own', () => {
    const b = new LayoutBuilder();
    b.addTree(seq(delay(FN_A), act(spec(FIS_ACTIONS.lambdaError, Targets.arns([FN_A]), 5)), delay(FN_B)), []);
    const layout = b.build();
    expect(layout.actions.map((a) => a.targetName)).toEqual(['functions-1', 'functions-1', 'functions-2']);
    expect(layout.targets.map((t) => [t.name, t.resourceType, t.targets._spec.arns])).toEqual([
      ['functions-1', 'aws:lambda:function', [FN_A]],
      ['functions-2', 'aws:lambda:function', [FN_B]],
    ]);
  });

  test('the same resources with another selection are another target', () => {
    const b = new LayoutBuilder();
    b.add(spec(FIS_ACTIONS.lambdaDelay, Targets.arns([FN_A, FN_B])), []);
    b.add(spec(FIS_ACTIONS.lambdaDelay, Targets.arns([FN_A, FN_B], Selection.count(1))), []);
    expect(b.build().targets.map((t) => [t.name, t.targets._spec.selection.mode])).toEqual([['functions-1', 'ALL'], ['functions-2', 'COUNT(1)']]);
  });

  test('actions without a target have no target name', () => {
    const b = new LayoutBuilder();
    b.add(spec(FIS_ACTIONS.wait), []);
    const layout = b.build();
    expect(layout.actions[0].targetName).toBeUndefined();
    expect(layout.targets).toEqual([]);
  });

  test('measures the longest path: 10 min, then max(5, 20) min, is 30 min', () => {
    const tree = seq(wait(10), par(wait(5), wait(20)));
    const b = new LayoutBuilder();
    b.addTree(tree, []);
    expect(b.build().longestSeconds).toBe(30 * 60);
    expect(treeSeconds(tree)).toBe(30 * 60);
  });

  test('one-shot actions count zero seconds', () => {
    const b = new LayoutBuilder();
    b.addTree(seq(act(spec(FIS_ACTIONS.ec2Terminate, Targets.tagged({ app: 'web' }, Selection.count(1)))), wait(3)), []);
    expect(b.build().longestSeconds).toBe(180);
  });
});

describe('tree rules', () => {
  test('width: a sequence is as wide as its widest child, a parallel the sum of its children', () => {
    expect(treeWidth(wait(1))).toBe(1);
    expect(treeWidth(seq(wait(1), par(wait(1), wait(1), wait(1))))).toBe(3);
    expect(treeWidth(par(par(wait(1), wait(1)), seq(wait(1), wait(1))))).toBe(3);
  });

  test('ten actions in parallel are allowed', () => {
    expect(treeProblems(par(...Array.from({ length: 10 }, () => wait(1))), 'fault')).toEqual([]);
  });

  test('more than 10 actions at the same time are refused', () => {
    expect(treeProblems(par(...Array.from({ length: 11 }, () => wait(1))), 'fault')).toEqual([{
      prop: 'fault',
      message: 'runs 11 actions at the same time; FIS runs at most 10 in parallel. Put some in a Fault.sequence()',
    }]);
  });

  test('two ECS network faults in parallel are refused, even nested', () => {
    const message = 'runs ECS network faults in parallel; FIS cannot inject two network faults into tasks at the same time. Put them in a Fault.sequence()';
    expect(treeProblems(par(latency(), latency()), 'fault')).toEqual([{ prop: 'fault', message }]);
    expect(treeProblems(seq(wait(1), par(seq(wait(1), latency()), latency())), 'fault')).toEqual([{ prop: 'fault', message }]);
  });

  test('two ECS network faults in sequence, or one beside another fault, are allowed', () => {
    expect(treeProblems(seq(latency(), latency()), 'fault')).toEqual([]);
    expect(treeProblems(par(latency(), delay()), 'fault')).toEqual([]);
  });

  test('treeActions lists the actions depth first', () => {
    const names = treeActions(seq(delay(), par(latency(), wait(1)))).map((a) => a.definition.actionId);
    expect(names).toEqual(['aws:lambda:invocation-add-delay', 'aws:ecs:task-network-latency', 'aws:fis:wait']);
  });
});
