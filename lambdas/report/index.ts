/**
 * The scheduled digest of a `ReliabilityReport`: on each scheduled invocation, builds the period
 * report of the stack's services from live data with the same engine as `cdk-reliability review`
 * (lib/cli/period-report: the one exception to "handlers import nothing from lib/", see
 * CONTRIBUTING), archives it as HTML, JSON and Markdown in the encrypted bucket, then sends the
 * plain-language summary to the targets.
 *
 * Order and idempotence: the archive is written first (a retry overwrites the same keys: the
 * period ends at the scheduled time, so a retry reports the same period; a run by hand, without
 * one, goes under `<day>/manual-<time>/`, beside that day's scheduled report); then a marker per
 * scheduled time is created only if absent (S3 conditional write, `If-None-Match: *`), and only the
 * invocation that created it sends. A retry of a sent digest therefore sends nothing again; a crash
 * between the marker and the sends loses that week's notification (the archive is there, and the
 * function's errors alarm fires), which we prefer to a double digest. A target that fails is logged
 * (`digest-delivery-failed`, counted by an alarm) and does not fail the invocation.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { FisClient } from '@aws-sdk/client-fis';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { CallCounts, countCalls, ReviewClients } from '../../lib/cli/period-report/aws';
import { buildPeriodReport } from '../../lib/cli/period-report/build';
import { renderPeriodReportHtml } from '../../lib/cli/period-report/html';
import { renderPeriodReportMarkdown } from '../../lib/cli/period-report/markdown';
import type { PeriodReport } from '../../lib/cli/period-report/model';
import { parsePeriod } from '../../lib/cli/period-report/period';
import { renderPeriodReportJson } from '../../lib/cli/period-report/render';
import { createLogger } from '../shared/log';
import { chatbotCustomNotification, cut, escapeChatMarkdown, gsm, plainChatText, snsSubject } from '../shared/sns-message';
import { archiveKeys, keySafe, REPORT_LOG_EVENTS, ReportEvent } from './contract';
import { deliverDigest, DeliveryOutcome, DigestMessage } from './deliver';
import { readConfig, readDeployedDefinition } from './manifest';

/** The report this function archives, as its JSON reads (for the tests and readers of the archive). */
export type { PeriodReport };

/** What one invocation did. */
export interface ReportOutcome {
  /** The archive's keys. */
  readonly keys: { readonly html: string; readonly json: string; readonly markdown: string };
  /** `false` when an earlier try of the same scheduled time already sent the summary. */
  readonly sent: boolean;
  readonly deliveries: DeliveryOutcome[];
}

/** One SMS segment of GSM-7 characters: the digest's SMS is its head sentence, not the report. */
const SMS_LIMIT = 160;

export async function handler(event: ReportEvent | null | undefined): Promise<ReportOutcome> {
  const config = readConfig(process.env);
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const scheduledTime = typeof event?.scheduledTime === 'string' ? event.scheduledTime : undefined;
  const now = scheduledTime !== undefined ? new Date(scheduledTime) : new Date();
  if (Number.isNaN(now.getTime())) {
    throw new Error(`the event's scheduledTime is not a time: ${JSON.stringify(scheduledTime)}`);
  }
  const log = createLogger({ stack: config.stackName, scheduledTime: scheduledTime ?? null });

  const { manifest, experimentPlans } = await readDeployedDefinition(new CloudFormationClient({ region }), config);
  const period = parsePeriod(`${config.periodDays}d`, now);
  const calls: CallCounts = {};
  const clients: ReviewClients = {
    cloudWatch: countCalls(new CloudWatchClient({ region }), 'cloudwatch', calls),
    logs: countCalls(new CloudWatchLogsClient({ region }), 'logs', calls),
    fis: countCalls(new FisClient({ region }), 'fis', calls),
    region,
    calls,
  };
  const report = await buildPeriodReport(clients, { sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) }, {
    manifests: [manifest], period, now, agnostic: false, experimentPlans,
  });

  const s3 = new S3Client({ region });
  // a run by hand goes beside the scheduled report of its day, never over it
  const keys = archiveKeys(config.keyPrefix, `${period.end.slice(0, 10)}${scheduledTime !== undefined ? '' : `/manual-${keySafe(now.toISOString())}`}`);
  // the bucket's default encryption (SSE-KMS with the construct's key, S3 Bucket Key on) applies
  const put = (Key: string, Body: string, ContentType: string) =>
    s3.send(new PutObjectCommand({ Bucket: config.bucketName, Key, Body, ContentType }));
  await put(keys.html, renderPeriodReportHtml(report), 'text/html; charset=utf-8');
  await put(keys.json, renderPeriodReportJson(report), 'application/json');
  await put(keys.markdown, renderPeriodReportMarkdown(report), 'text/markdown; charset=utf-8');
  log.info('report archived', { event: REPORT_LOG_EVENTS.archived, bucket: config.bucketName, key: keys.html, apiCalls: report.apiCalls });

  const outcome = { keys: { html: keys.html, json: keys.json, markdown: keys.markdown } };
  try {
    await s3.send(new PutObjectCommand({
      Bucket: config.bucketName, Key: keys.sent(scheduledTime ?? now.toISOString()), Body: '', IfNoneMatch: '*',
    }));
  } catch (err) {
    if (isAlreadyThere(err)) {
      log.info('digest already sent for this scheduled time', { event: REPORT_LOG_EVENTS.alreadySent });
      return { ...outcome, sent: false, deliveries: [] };
    }
    throw err;
  }
  const deliveries = await deliverDigest(new SNSClient({ region }), config.targets, digestMessage(report, config.bucketName, keys.html, region), log);
  return { ...outcome, sent: true, deliveries };
}

/** S3's answers to a conditional write whose key exists (412), or is being written concurrently (409). */
function isAlreadyThere(err: unknown): boolean {
  const e = (err ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'PreconditionFailed' || e.name === 'ConditionalRequestConflict'
    || e.$metadata?.httpStatusCode === 412 || e.$metadata?.httpStatusCode === 409;
}

/**
 * The summary, and where the full report is: the archived HTML's key and a link to it in the S3
 * console (the reader signs in; no presigned URL, which would be a bearer credential in a mailbox).
 * Email (and webhooks) get it all; SMS the head sentence (one segment); Slack, through AWS Chatbot,
 * a custom notification with the summary lines and the archive's location. Service, SLO and stack
 * names are chosen by whoever writes the stack: in the notification's markdown they and the
 * sentences made of them are escaped (`escapeChatMarkdown`), the archive's path and link are not
 * (they must stay usable as written); email, SMS and webhook bodies are plain text, unescaped.
 */
export function digestMessage(report: PeriodReport, bucket: string, htmlKey: string, region: string): DigestMessage {
  const from = report.period.start.slice(0, 10);
  const to = report.period.end.slice(0, 10);
  const stacks = report.stacks.join(', ');
  const title = `Reliability report ${stacks}: ${from} to ${to}`;
  const consoleUrl = `https://${region}.console.aws.amazon.com/s3/object/${encodeURIComponent(bucket)}?region=${region}&prefix=${encodeURIComponent(htmlKey)}`;
  const caveats = report.caveats.length > 0
    ? [`${report.caveats.length} caveat${report.caveats.length === 1 ? '' : 's'} limit this report: see the full report.`] : [];
  const archive = [`Full report (HTML): s3://${bucket}/${htmlKey}`, consoleUrl];
  const text = [
    `Reliability report of ${stacks} (${region}), ${report.period.start} to ${report.period.end}:`,
    '',
    ...report.summary,
    ...(caveats.length > 0 ? ['', ...caveats] : []),
    '',
    ...archive,
  ].join('\n');
  const head = report.summary[0]?.match(/^.*?[.!?](?=\s|$)/)?.[0] ?? report.summary[0] ?? 'no service reported.';
  return {
    subject: snsSubject(title),
    text,
    sms: cut(gsm(`Reliability report ${stacks}: ${head}`), SMS_LIMIT),
    chatbot: chatbotCustomNotification({
      title: escapeChatMarkdown(title),
      summary: plainChatText(title), // plain text (a push notification's preview): not markdown-escaped
      description: [...[...report.summary, ...caveats].map(escapeChatMarkdown), ...archive].join('\n'),
      keywords: ['reliability-report', ...report.stacks],
      eventType: 'ReliabilityReport',
    }),
    details: { summary: report.summary, period: report.period, stacks: report.stacks, report: { bucket, key: htmlKey, consoleUrl } },
  };
}
