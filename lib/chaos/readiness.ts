/**
 * Chaos readiness: what a fault needs on its target, added by one call instead of a warning.
 *
 * ECS task faults (`Fault.ecsCpuStress`, `ecsIoStress`, `ecsKillProcess`, the network faults)
 * run FIS's SSM documents inside the task, so the task definition needs, as
 * https://docs.aws.amazon.com/fis/latest/userguide/ecs-task-actions.html describes it:
 * - an SSM agent sidecar (`public.ecr.aws/amazon-ssm-agent/amazon-ssm-agent`, not essential) whose
 *   script registers the task as an SSM managed instance tagged `ECS_TASK_ARN`, with a
 *   managed-instance role (`AmazonSSMManagedInstanceCore`), and deregisters it when the task stops;
 * - a task role allowed `ssm:CreateActivation`, `ssm:AddTagsToResource` and `iam:PassRole` on that role;
 * - `pidMode: task` (process and network faults see the other containers' processes);
 * - `enableFaultInjection: true` (the ECS fault injection endpoints the network faults use on Fargate).
 */
import { Names, Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { suppressNagFindings, suppressWildcardFindings, withWildcardReason } from '../nag/suppressions';
import { describeValue } from '../private/describe';

/** The SSM agent image FIS documents for the sidecar. */
export const SSM_AGENT_IMAGE = 'public.ecr.aws/amazon-ssm-agent/amazon-ssm-agent:latest';
/** The sidecar's container name, as FIS's documentation names it. */
export const SSM_AGENT_CONTAINER = 'amazon-ssm-agent';

const ID = 'FisFaultInjection';

/** Options of `EcsFaultInjection.enable`. */
export interface EcsFaultInjectionOptions {
  /**
   * The SSM agent sidecar's image, e.g. a copy in your own registry.
   * @default - ecs.ContainerImage.fromRegistry('public.ecr.aws/amazon-ssm-agent/amazon-ssm-agent:latest')
   */
  readonly agentImage?: ecs.ContainerImage;
  /**
   * Where the sidecar's output goes (registration, deregistration, the agent's log).
   * @default - awslogs to a log group of this construct, kept one month
   */
  readonly logging?: ecs.LogDriver;
}

/**
 * Prepares an ECS task definition for FIS's task faults: the SSM agent sidecar with its
 * managed-instance role, the task role's permissions, `pidMode: task` and
 * `enableFaultInjection: true`. One call per task definition; a second call returns the first
 * one's result. The experiment then no longer warns about the task definition.
 *
 * ```ts
 * EcsFaultInjection.enable(webTask);
 * checkout.addExperiment('cpu', { fault: Fault.ecsCpuStress(Targets.ecsService(web, Selection.count(1))), duration: Duration.minutes(5) });
 * ```
 *
 * The service must not use ECS Exec (`enableExecuteCommand`): its agent and the sidecar's cannot
 * run side by side.
 */
export class EcsFaultInjection extends Construct {
  /** Prepares `taskDefinition` (idempotent: a second call returns the first result, its options ignored). */
  public static enable(taskDefinition: ecs.TaskDefinition, options: EcsFaultInjectionOptions = {}): EcsFaultInjection {
    if (!(taskDefinition instanceof ecs.TaskDefinition)) {
      throw new Error(`EcsFaultInjection.enable(taskDefinition): taskDefinition must be a task definition this app declares (FargateTaskDefinition, Ec2TaskDefinition), got ${describeValue(taskDefinition)}`);
    }
    const existing = taskDefinition.node.tryFindChild(ID);
    return existing instanceof EcsFaultInjection ? existing : new EcsFaultInjection(taskDefinition, ID, options);
  }

  /** The role the task's SSM managed instance runs with (`MANAGED_INSTANCE_ROLE_NAME` of the sidecar). */
  public readonly managedInstanceRole: iam.Role;
  /** The SSM agent sidecar. */
  public readonly sidecar: ecs.ContainerDefinition;

  private constructor(taskDefinition: ecs.TaskDefinition, id: string, options: EcsFaultInjectionOptions) {
    const where = `${taskDefinition.node.path}: EcsFaultInjection.enable()`;
    const cfn = taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
    const problem = taskDefinitionProblem(taskDefinition, cfn);
    if (problem) {
      throw new Error(`${where}: ${problem}`);
    }
    super(taskDefinition, id);
    const stack = Stack.of(this);

    this.managedInstanceRole = new iam.Role(this, 'ManagedInstanceRole', {
      assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com'),
      description: `SSM managed instances of the tasks of ${taskDefinition.node.path}, for FIS task faults`,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    const cleanUp = [
      withWildcardReason(new iam.PolicyStatement({ actions: ['ssm:DeleteActivation'], resources: ['*'] }),
        'Systems Manager authorizes DeleteActivation on * only (no resource types); the sidecar deletes its own activation when the task stops'),
      withWildcardReason(new iam.PolicyStatement({
        actions: ['ssm:DeregisterManagedInstance'],
        resources: [stack.formatArn({ service: 'ssm', resource: 'managed-instance', resourceName: '*' })],
      }), 'the task\'s managed instance is registered when the task starts; the sidecar deregisters its own when the task stops'),
    ];
    const cleanUpPolicy = new iam.Policy(this, 'CleanUp', { roles: [this.managedInstanceRole], statements: cleanUp });
    suppressWildcardFindings(cleanUpPolicy, cleanUp);
    suppressNagFindings(this.managedInstanceRole, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      reason: 'The AWS managed policy FIS\'s ECS task actions document for the managed-instance role: what the SSM agent needs to take commands, kept current by AWS',
    });

    // The task role registers the task: an activation for the managed-instance role, tagged with the task's ARN.
    const register = [
      withWildcardReason(new iam.PolicyStatement({ actions: ['ssm:CreateActivation', 'ssm:AddTagsToResource'], resources: ['*'] }),
        'the activation and the managed instance are created when the task starts, so no ARN is known before; Systems Manager authorizes CreateActivation on * only'),
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.managedInstanceRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
      }),
    ];
    const registerPolicy = new iam.Policy(this, `Register-${Names.nodeUniqueId(taskDefinition.node)}`, { roles: [taskDefinition.taskRole], statements: register });
    suppressWildcardFindings(registerPolicy, register);

    cfn.pidMode = ecs.PidMode.TASK;
    cfn.enableFaultInjection = true;
    this.sidecar = taskDefinition.addContainer(SSM_AGENT_CONTAINER, {
      containerName: SSM_AGENT_CONTAINER,
      image: options.agentImage ?? ecs.ContainerImage.fromRegistry(SSM_AGENT_IMAGE),
      essential: false,
      memoryReservationMiB: 64,
      // the role's name in the script rather than an environment variable: the same value, without
      // adding an environment block to the user's task definition
      command: ['/bin/bash', '-c', `MANAGED_INSTANCE_ROLE_NAME=${this.managedInstanceRole.roleName}\n${SIDECAR_SCRIPT}`],
      logging: options.logging ?? ecs.LogDrivers.awsLogs({
        streamPrefix: 'fis-ssm-agent',
        logGroup: new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH }),
      }),
    });
    // the task may start only once its role can register it
    cfn.node.addDependency(registerPolicy);
  }
}

/** Why this library cannot prepare the task definition, or `undefined`. */
function taskDefinitionProblem(taskDefinition: ecs.TaskDefinition, cfn: ecs.CfnTaskDefinition): string | undefined {
  const pidMode = cfn.pidMode ?? taskDefinition.pidMode;
  if (pidMode !== undefined && !Token.isUnresolved(pidMode) && pidMode !== ecs.PidMode.TASK) {
    return `pidMode is '${pidMode}'; FIS's task faults need 'task' (the sidecar must see the other containers' processes). Remove pidMode or set ecs.PidMode.TASK`;
  }
  const platform = cfn.runtimePlatform as ecs.CfnTaskDefinition.RuntimePlatformProperty | undefined;
  const os = platform?.operatingSystemFamily;
  if (typeof os === 'string' && !Token.isUnresolved(os) && os.startsWith('WINDOWS')) {
    return `the task definition runs ${os}; FIS's task faults and pidMode 'task' are Linux only`;
  }
  if (taskDefinition.isFargateCompatible && os === undefined) {
    return 'a Fargate task definition needs runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX } for pidMode \'task\' '
      + '(aws-cdk-lib refuses pidMode without it); set it where the task definition is declared';
  }
  if (taskDefinition.node.tryFindChild(SSM_AGENT_CONTAINER)) {
    return `it already has a container '${SSM_AGENT_CONTAINER}' (an SSM agent sidecar of your own?): keep yours and set pidMode and enableFaultInjection yourself, or remove it`;
  }
  return undefined;
}

/**
 * The sidecar's script, the steps of FIS's documentation: install the AWS CLI and jq, read the
 * task's ARN and zone from the ECS task metadata endpoint (v4), create a one-use SSM activation
 * for the managed-instance role tagged with the task's ARN (how FIS finds the task), register
 * and run the agent; on SIGTERM (the task stops), delete the activation and deregister the
 * managed instance. `MANAGED_INSTANCE_ROLE_NAME` is set on the line before.
 */
const SIDECAR_SCRIPT = [
  'set -e',
  'dnf install -y jq procps awscli >/dev/null',
  'cleanup() {',
  '  aws ssm delete-activation --activation-id "$ACTIVATION_ID" --region "$REGION" || echo "could not delete activation $ACTIVATION_ID" >&2',
  '  INSTANCE_ID=$(jq -r .ManagedInstanceID /var/lib/amazon/ssm/registration)',
  '  aws ssm deregister-managed-instance --instance-id "$INSTANCE_ID" --region "$REGION" || echo "could not deregister $INSTANCE_ID" >&2',
  '  kill -TERM "$AGENT_PID"',
  '}',
  'trap cleanup TERM INT',
  'TASK=$(curl -s "$ECS_CONTAINER_METADATA_URI_V4/task")',
  'TASK_ARN=$(echo "$TASK" | jq -r .TaskARN)',
  'ZONE=$(echo "$TASK" | jq -r .AvailabilityZone)',
  'REGION=${ZONE%?}',
  'ACTIVATION=$(aws ssm create-activation --default-instance-name "mi-${TASK_ARN##*/}" --iam-role "$MANAGED_INSTANCE_ROLE_NAME" --registration-limit 1 '
    + '--tags Key=ECS_TASK_AVAILABILITY_ZONE,Value="$ZONE" Key=ECS_TASK_ARN,Value="$TASK_ARN" Key=FAULT_INJECTION_SIDECAR,Value=true --region "$REGION")',
  'ACTIVATION_ID=$(echo "$ACTIVATION" | jq -r .ActivationId)',
  'amazon-ssm-agent -register -code "$(echo "$ACTIVATION" | jq -r .ActivationCode)" -id "$ACTIVATION_ID" -region "$REGION"',
  'amazon-ssm-agent &',
  'AGENT_PID=$!',
  'wait "$AGENT_PID"',
].join('\n');
