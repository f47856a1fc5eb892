/**
 * SLI presets for AWS Step Functions state machines.
 */
import { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { RatioSli } from '../ratio';

/**
 * State machine availability: (`ExecutionsFailed` + `ExecutionsTimedOut` + `ExecutionsAborted`)
 * over `ExecutionsStarted` (namespace AWS/States, dimension StateMachineArn). Executions are
 * counted when they start and when they end, so for executions longer than the short window the
 * ratio is approximate: a window in which executions fail but fewer start (or none) reads as
 * 100 % errors, since the alarms divide by the larger of the started and the failed executions.
 * `StartExecution` calls refused by throttling are not published: the caller must count them.
 */
export function stateMachineAvailability(stateMachine: IStateMachine): RatioSli {
  return new RatioSli({
    badMetrics: [stateMachine.metricFailed(), stateMachine.metricTimedOut(), stateMachine.metricAborted()],
    total: stateMachine.metricStarted(),
    description: `ExecutionsFailed + ExecutionsTimedOut + ExecutionsAborted over ExecutionsStarted of state machine ${stateMachine.node.id}`,
  });
}
