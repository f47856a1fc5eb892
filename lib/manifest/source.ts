/**
 * What the manifest reads of a service, declared here so that lib/manifest depends on no construct
 * that writes a manifest entry: `ReliableService` and its `ServiceLevelObjective`s satisfy these
 * shapes structurally, and the writer finds them by walking the stack's construct tree at synth.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import type { ChaosExperiment } from '../chaos/chaos-experiment';
import type { IEscalationPolicy } from '../escalation/escalation-policy';
import type { ISli, SliBinding } from '../sli/sli-definition';
import type { ResolvedTier, Severity } from '../slo/tiers';

/** An SLO as the manifest records it. */
export interface ManifestSlo {
  readonly name: string;
  /** Percent of good events, e.g. 99.9. */
  readonly objective: number;
  readonly window: Duration;
  /** Error budget as a fraction of events. */
  readonly errorBudget: number;
  readonly sli: ISli;
  readonly sliBinding: SliBinding;
  /** @default - each tier's single-failure floor alone */
  readonly minimumEvents?: number;
  /** @default - no runbook */
  readonly runbookUrl?: string;
  /** @default - the SLO does not page */
  readonly pageAlarm?: IAlarm;
  /** @default - the SLO opens no tickets */
  readonly ticketAlarm?: IAlarm;
  readonly tiers: readonly ResolvedTier[];
  /** The blind alert with its defaults filled in. @default - off */
  readonly blindAlert?: { readonly severity?: Severity; readonly after?: Duration; readonly expectedEvents?: number };
  readonly estimatedMonthlyCostUsd: number;
  /** The SLO's composite alarm of `severity`, if it has one. */
  severityAlarm(severity: Severity): IAlarm | undefined;
}

/** A service as the manifest records it: one entry of `ReliabilityManifest.services`. */
export interface ManifestService extends IConstruct {
  readonly serviceName: string;
  /** @default - not recorded */
  readonly owner?: string;
  /** @default - no runbook */
  readonly runbookUrl?: string;
  /** @default - no dashboard */
  readonly dashboard?: { readonly dashboardName: string };
  /** @default - notifies nobody */
  readonly escalation?: IEscalationPolicy;
  readonly slos: readonly ManifestSlo[];
  readonly experiments: readonly ChaosExperiment[];
}

/** Marks a construct as a service of its stack's manifest; set once the service is fully constructed. */
const MANIFEST_SERVICE = Symbol.for('cdk-reliability.manifest-service');

/** Marks `service` as an entry of its stack's manifest (found by `manifestServicesOf`). */
export function markManifestService(service: ManifestService): void {
  Object.defineProperty(service, MANIFEST_SERVICE, { value: true, enumerable: false });
}

/** Whether `construct` was marked with `markManifestService`. */
export function isManifestService(construct: IConstruct): construct is ManifestService {
  return (construct as unknown as Record<symbol, unknown>)[MANIFEST_SERVICE] === true;
}

/**
 * The services of `stack` (not of its nested stacks, which have manifests of their own), found by
 * walking its construct tree: in tree order, which is declaration order for services declared in
 * the same scope.
 */
export function manifestServicesOf(stack: Stack): ManifestService[] {
  return stack.node.findAll().filter((c): c is ManifestService => isManifestService(c) && Stack.of(c) === stack);
}
