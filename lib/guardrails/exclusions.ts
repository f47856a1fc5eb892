/**
 * Resources that look like workloads but are not: the coverage rule (RELIABILITY-008) never
 * reports them. Each exclusion is named, explained and tested; anything else that needs no SLO is
 * acknowledged by the user, with a reason.
 */
import { CustomResourceProviderBase, Stack } from 'aws-cdk-lib';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { IConstruct } from 'constructs';
import { ChaosExperiment } from '../chaos/chaos-experiment';
import { EscalationPolicy } from '../escalation/escalation-policy';
import { ReliabilityReport } from '../reporting/reliability-report';
import { ReliableService } from '../service/reliable-service';
import { referencedLogicalIds, TemplateJson } from './template-values';

/** What an exclusion looks at. */
export interface ExclusionContext {
  /**
   * The resource's construct (its L1).
   * @default - not found in the tree
   */
  readonly construct?: IConstruct;
  readonly logicalId: string;
  /** The resource's template. */
  readonly template: TemplateJson;
}

/** One kind of resource that is not a workload. */
export interface WorkloadExclusion {
  readonly id: string;
  /** What is excluded and why, for docs/guardrails.md and reports. */
  readonly description: string;
  /** Why this resource is excluded, or undefined when the exclusion does not apply. */
  matches(context: ExclusionContext): string | undefined;
}

/** Construct ids aws-cdk-lib gives its singleton functions (direct children of the stack). */
export const CDK_SINGLETON_IDS: readonly { readonly pattern: RegExp; readonly what: string }[] = [
  { pattern: /^LogRetention[0-9a-f]{32}$/, what: 'the log-retention function (logRetention props)' },
  { pattern: /^AWS679f53fac002430cb0da5b7982bd2287$/, what: 'the AwsCustomResource function' },
  { pattern: /^CustomCDKBucketDeployment[0-9a-fA-F]{32}/, what: 'the BucketDeployment function' },
  { pattern: /^BucketNotificationsHandler[0-9a-f]{32}$/, what: 'the S3 bucket-notifications function' },
  { pattern: /CustomResourceProvider$/, what: 'a CustomResourceProvider of aws-cdk-lib (auto-delete objects, cross-region exports, …)' },
];

const CUSTOM_RESOURCE = (type: string) => type === 'AWS::CloudFormation::CustomResource' || type.startsWith('Custom::');

/** The exclusions, in the order they are tried. */
export const WORKLOAD_EXCLUSIONS: readonly WorkloadExclusion[] = [
  {
    id: 'cdk-reliability-infrastructure',
    description: 'the library\'s own infrastructure: resources inside an EscalationPolicy (its escalation and acknowledge functions), '
      + 'a ReliableService, a ChaosExperiment or a ReliabilityReport; the pager and the report are watched by their own alarms',
    matches: ({ construct }) => {
      for (let c = construct?.node.scope; c !== undefined; c = c.node.scope) {
        if (EscalationPolicy.isEscalationPolicy(c)) {
          return `part of escalation policy '${c.policyName}' (${c.node.path}), which its own alarms watch`;
        }
        if (c instanceof ReliableService || c instanceof ChaosExperiment || c instanceof ReliabilityReport) {
          return `part of cdk-reliability's ${c.constructor.name} ${c.node.path}`;
        }
      }
      return undefined;
    },
  },
  {
    id: 'custom-resource-provider-framework',
    description: 'resources inside a custom_resources.Provider: its framework functions and waiter state machine run only during deployments',
    matches: ({ construct }) => {
      for (let c = construct?.node.scope; c !== undefined; c = c.node.scope) {
        if (c instanceof Provider || c instanceof CustomResourceProviderBase) {
          return `part of custom-resource provider ${c.node.path}, which runs only during deployments`;
        }
      }
      return undefined;
    },
  },
  {
    id: 'custom-resource-handler',
    description: 'functions that are the ServiceToken of a custom resource in the same template (CustomResourceProvider, AwsCustomResource, '
      + 'log retention, S3 auto-delete objects and bucket notifications, BucketDeployment, your own providers): they run only during deployments',
    matches: ({ logicalId, template }) => {
      for (const [id, resource] of Object.entries(template.Resources ?? {})) {
        if (CUSTOM_RESOURCE(resource.Type) && referencedLogicalIds(resource.Properties?.ServiceToken).has(logicalId)) {
          return `the handler of custom resource ${id} (${resource.Type}), which runs only during deployments`;
        }
      }
      return undefined;
    },
  },
  {
    id: 'cdk-singleton',
    description: `aws-cdk-lib's singleton functions, by construct id under the stack: ${CDK_SINGLETON_IDS.map((s) => s.what).join('; ')}`,
    matches: ({ construct }) => {
      if (construct === undefined) {
        return undefined;
      }
      const stack = Stack.of(construct);
      let top: IConstruct = construct;
      while (top.node.scope !== undefined && top.node.scope !== stack) {
        top = top.node.scope;
      }
      const known = CDK_SINGLETON_IDS.find((s) => s.pattern.test(top.node.id));
      return known ? `${known.what}, created by aws-cdk-lib` : undefined;
    },
  },
];

/** Why a resource is not a workload, or undefined when it is one. */
export function workloadExclusion(context: ExclusionContext): string | undefined {
  for (const exclusion of WORKLOAD_EXCLUSIONS) {
    const why = exclusion.matches(context);
    if (why !== undefined) {
      return why;
    }
  }
  return undefined;
}
