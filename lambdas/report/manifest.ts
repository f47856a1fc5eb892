/**
 * The report function's configuration: its environment, and the reliability manifest the construct
 * wrote at synth into the `Metadata` of the function's own resource, read back with
 * `cloudformation:GetTemplate` (the template as deployed, `TemplateStage: Original`). No size
 * limit of environment variables applies, and the manifest is always the deployed one.
 */
import { CloudFormationClient, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import type { ExperimentPlan } from '../../lib/cli/experiments/model';
import { normaliseExperimentTemplate } from '../../lib/cli/experiments/model';
import type { ReliabilityManifest } from '../../lib/manifest/schema';
import { DigestTargetsJson, MANIFEST_METADATA_KEY, REPORT_VARIABLES, ReportEnvironment, unescapePlaceholders } from './contract';

/** The environment, checked. */
export interface ReportConfig {
  readonly stackName: string;
  readonly manifestResource: string;
  readonly periodDays: number;
  readonly bucketName: string;
  readonly keyPrefix: string;
  readonly targets: DigestTargetsJson;
}

/** Reads and checks the environment; throws naming every variable that is missing or malformed. */
export function readConfig(env: Partial<Record<string, string>>): ReportConfig {
  const problems: string[] = [];
  const raw = env as Partial<ReportEnvironment>;
  for (const name of Object.keys(REPORT_VARIABLES) as Array<keyof ReportEnvironment>) {
    if (!raw[name]) {
      problems.push(`${name} is not set`);
    }
  }
  const periodDays = Number(raw.PERIOD_DAYS);
  if (raw.PERIOD_DAYS && !(Number.isInteger(periodDays) && periodDays >= 1 && periodDays <= 90)) {
    problems.push(`PERIOD_DAYS must be a whole number of days from 1 to 90, got ${raw.PERIOD_DAYS}`);
  }
  let targets: DigestTargetsJson = { publishTopicArns: [], webhooks: [] };
  try {
    targets = raw.TARGETS ? JSON.parse(raw.TARGETS) as DigestTargetsJson : targets;
  } catch {
    problems.push('TARGETS is not JSON');
  }
  if (problems.length > 0) {
    throw new Error(`the report function's environment is wrong: ${problems.join('; ')}`);
  }
  return {
    stackName: raw.STACK_NAME!, manifestResource: raw.MANIFEST_RESOURCE!, periodDays, bucketName: raw.BUCKET_NAME!, keyPrefix: raw.KEY_PREFIX!, targets,
  };
}

/** What the deployed template says: the manifest, and the synthesized experiment templates (for game-day verdicts). */
export interface DeployedDefinition {
  readonly manifest: ReliabilityManifest;
  /** By `stack/logicalId`, as `review` keys them. */
  readonly experimentPlans: Map<string, ExperimentPlan>;
}

interface TemplateResource {
  readonly Type?: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

/** Reads the manifest (and the experiment templates) from the stack's deployed template. */
export async function readDeployedDefinition(client: CloudFormationClient, config: ReportConfig): Promise<DeployedDefinition> {
  const out = await client.send(new GetTemplateCommand({ StackName: config.stackName, TemplateStage: 'Original' }));
  let template: { Resources?: Record<string, TemplateResource> };
  try {
    template = JSON.parse(out.TemplateBody ?? '') as typeof template;
  } catch {
    throw new Error(`the template of stack ${config.stackName} is not JSON (was it deployed from a YAML file?): the manifest cannot be read`);
  }
  const stored = template.Resources?.[config.manifestResource]?.Metadata?.[MANIFEST_METADATA_KEY] as ReliabilityManifest | undefined;
  const manifest = stored === undefined ? undefined : unescapePlaceholders(stored);
  if (manifest === undefined || !Array.isArray(manifest.services)) {
    throw new Error(`stack ${config.stackName}: resource ${config.manifestResource} has no ${MANIFEST_METADATA_KEY} metadata: `
      + 'deploy the stack again with this version of cdk-reliability');
  }
  const experimentPlans = new Map<string, ExperimentPlan>();
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type === 'AWS::FIS::ExperimentTemplate') {
      experimentPlans.set(`${manifest.stack.name}/${logicalId}`, normaliseExperimentTemplate(logicalId, 'assembly', resource.Properties ?? {}));
    }
  }
  return { manifest, experimentPlans };
}
