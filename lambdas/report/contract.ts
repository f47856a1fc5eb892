/**
 * The handler contract of a `ReliabilityReport` (the scheduled digest): what the construct
 * (`lib/reporting/`, at synth) and the report function (`lambdas/report/`, in Lambda) agree on,
 * written once: its environment, where it finds the reliability manifest, the event the schedule
 * sends, the archive's keys and the log events its alarm counts. Imports nothing, as
 * `lambdas/shared/contract.ts`, so that the constructs may import it.
 */

/** What one environment variable holds. */
export interface ReportVariableSpec {
  /** Whether the handler refuses to start without it. */
  readonly required: boolean;
  /** What it holds (Markdown). */
  readonly description: string;
}

/** The report function's environment, in the order the construct sets it. No secret is ever in it. */
export const REPORT_VARIABLES = {
  STACK_NAME: { required: true, description: 'the CloudFormation stack whose manifest and services are reported (`cloudformation:GetTemplate`)' },
  MANIFEST_RESOURCE: { required: true, description: 'logical id of the resource whose `Metadata` holds the manifest (the function itself)' },
  PERIOD_DAYS: { required: true, description: 'the period reported on, whole days ending at the scheduled time (1 to 90)' },
  BUCKET_NAME: { required: true, description: 'the archive bucket (SSE-KMS)' },
  KEY_PREFIX: { required: true, description: 'where the archive goes: `<prefix><yyyy-mm-dd>/report.{html,json,md}` (a run by hand: `<prefix><yyyy-mm-dd>/manual-<time>/`)' },
  TARGETS: { required: true, description: 'JSON `DigestTargetsJson`: the digest topic, topics to publish to, webhooks' },
} as const satisfies Record<string, ReportVariableSpec>;

/** The report function's environment as the construct writes it. */
export type ReportEnvironment = { readonly [K in keyof typeof REPORT_VARIABLES]: string };

/** The `Metadata` key of the report function's resource holding the stack's reliability manifest. */
export const MANIFEST_METADATA_KEY = 'cdk-reliability:manifest';

/** A webhook: its URL inline, or the ARN of a secret whose SecretString is the URL. */
export type DigestWebhookJson = { readonly url: string } | { readonly secretArn: string };

/** Where the summary goes (`TARGETS`). */
export interface DigestTargetsJson {
  /** The digest's own topic (email, SMS and Slack subscriptions); absent when no target subscribes to it. */
  readonly topicArn?: string;
  /** Existing topics the function publishes to (`Notify.topic`). */
  readonly publishTopicArns: string[];
  readonly webhooks: DigestWebhookJson[];
}

/**
 * What the schedule sends: the scheduled time (`<aws.scheduler.scheduled-time>`), the report's
 * "now". A retry of the same scheduled invocation reports the same period and writes the same keys.
 * An invocation by hand may leave it out: the report then ends now.
 */
export interface ReportEvent {
  readonly scheduledTime?: string;
}

/** The log events of the report function (the `event` field of its JSON lines). */
export const REPORT_LOG_EVENTS = {
  /** The report was written to the archive. */
  archived: 'digest-archived',
  /** The summary reached a target. */
  delivered: 'digest-delivered',
  /** A target was not reached: counted by the construct's delivery-failures alarm. */
  deliveryFailed: 'digest-delivery-failed',
  /** The summary of this scheduled time was already sent by an earlier try: not sent again. */
  alreadySent: 'digest-already-sent',
} as const;

/** A time (or any text) as one S3 key segment: `2024-05-01T15-00-00.000Z`. */
export function keySafe(text: string): string {
  return text.replace(/[^0-9A-Za-z.-]/g, '-');
}

/**
 * The archive's keys of the report ending on `day` (`yyyy-mm-dd`; a run by hand passes
 * `<day>/manual-<time>`, so that it never replaces the scheduled report of that day).
 */
export function archiveKeys(prefix: string, day: string): { html: string; json: string; markdown: string; sent: (scheduledTime: string) => string } {
  const base = `${prefix}${day}/`;
  return {
    html: `${base}report.html`,
    json: `${base}report.json`,
    markdown: `${base}report.md`,
    // one marker per scheduled time, written (if absent) before the summary is sent
    sent: (scheduledTime: string) => `${base}sent/${keySafe(scheduledTime)}`,
  };
}

/**
 * The manifest as the Metadata holds it: its deploy-time placeholders (`${LogicalId.Attr}`)
 * written `${!LogicalId.Attr}`, CloudFormation's own notation of a literal `${`, so that template
 * validators (cfn-lint E1029) do not take them for parameters of a missing Fn::Sub.
 */
export function escapePlaceholders<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replace(/\$\{(?!!)/g, '${!')) as T;
}

/** The manifest as it was built: `${!X}` back to `${X}`. */
export function unescapePlaceholders<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replace(/\$\{!/g, '${')) as T;
}
