/**
 * The report function against the sample app's month (test/cli/period-report/sample.ts), with AWS
 * replaced at the SDK-client boundary: CloudFormation answers GetTemplate with the sample's real
 * synthesized template (the digest's manifest in its Metadata), CloudWatch, Logs and FIS are the
 * review tests' fake account, S3 and SNS record what they are sent, fetch stands for the webhook.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CloudFormationClient, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, PutObjectCommandInput, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { archiveKeys, MANIFEST_METADATA_KEY } from '../../../lambdas/report/contract';
import { deliverDigest } from '../../../lambdas/report/deliver';
import { digestMessage, handler, PeriodReport } from '../../../lambdas/report/index';
import { createLogger } from '../../../lambdas/shared/log';
import { clearSecretCache } from '../../../lambdas/shared/secrets';
import { sampleAccount, synthSample } from '../../cli/period-report/sample';
import { FakeAccount } from '../../cli/period-report/world';
import { awsError, createHarness, Harness, REGION, T0 } from '../../cli/support/harness';

const BUCKET = 'shop-reports-bucket';
const DIGEST_TOPIC = `arn:aws:sns:${REGION}:111122223333:Shop-WeeklyReportTopic`;
const MANAGERS = `arn:aws:sns:${REGION}:111122223333:Shop-Managers`;
const WEBHOOK_SECRET = `arn:aws:secretsmanager:${REGION}:111122223333:secret:digest-webhook-AbCdEf`;
const WEBHOOK_URL = 'https://hooks.example.com/T000/B000/secret-token';
const SCHEDULED = new Date(T0).toISOString();

const sample = synthSample();
const template = JSON.parse(fs.readFileSync(path.join(sample.dir, 'Shop.template.json'), 'utf8'));
const [reportFunction] = Object.entries(template.Resources as Record<string, { Metadata?: Record<string, unknown> }>)
  .find(([, r]) => r.Metadata?.[MANIFEST_METADATA_KEY] !== undefined)!;

interface World {
  readonly h: Harness & { restore(): void };
  readonly fake: FakeAccount;
  readonly objects: Map<string, PutObjectCommandInput>;
  readonly published: Array<{ TopicArn?: string; Subject?: string; Message?: string; MessageStructure?: string }>;
  readonly posted: Array<{ url: string; body: Record<string, unknown> }>;
  readonly logs: Array<Record<string, unknown>>;
  /** Topic ARNs whose Publish fails. */
  readonly failingTopics: Set<string>;
  webhookStatus: number;
  readonly cloudFormation: ReturnType<typeof mockClient>;
}

let world: World;
const restores: Array<() => void> = [];

beforeEach(() => {
  const h = createHarness();
  const fake = sampleAccount(new FakeAccount(() => T0).install(h), sample.manifest);
  fake.runningPolls = 0;
  const objects = new Map<string, PutObjectCommandInput>();
  const published: World['published'] = [];
  const posted: World['posted'] = [];
  const logs: World['logs'] = [];
  const failingTopics = new Set<string>();
  const cloudFormation = mockClient(CloudFormationClient);
  cloudFormation.on(GetTemplateCommand, { StackName: 'Shop', TemplateStage: 'Original' }).resolves({ TemplateBody: JSON.stringify(template) });
  const s3 = mockClient(S3Client);
  s3.on(PutObjectCommand).callsFake(async (input: PutObjectCommandInput) => {
    if (input.IfNoneMatch === '*' && objects.has(input.Key!)) {
      throw Object.assign(awsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold'), { $metadata: { httpStatusCode: 412 } });
    }
    objects.set(input.Key!, input);
    return { ETag: '"etag"' };
  });
  const sns = mockClient(SNSClient);
  sns.on(PublishCommand).callsFake(async (input) => {
    if (failingTopics.has(input.TopicArn)) {
      throw Object.assign(awsError('AuthorizationErrorException', 'not authorized to publish'), { $metadata: { httpStatusCode: 403 } });
    }
    published.push(input);
    return { MessageId: `m-${published.length}` };
  });
  const secrets = mockClient(SecretsManagerClient);
  secrets.on(GetSecretValueCommand, { SecretId: WEBHOOK_SECRET }).resolves({ SecretString: WEBHOOK_URL });
  clearSecretCache();
  const fetchSpy = jest.spyOn(global, 'fetch').mockImplementation(async (url, init) => {
    posted.push({ url: String(url), body: JSON.parse(String(init?.body)) });
    return new Response('ok', { status: world.webhookStatus });
  });
  const logSpy = jest.spyOn(console, 'log').mockImplementation((line: string) => {
    logs.push(JSON.parse(line));
  });
  Object.assign(process.env, {
    AWS_REGION: REGION,
    STACK_NAME: 'Shop',
    MANIFEST_RESOURCE: reportFunction,
    PERIOD_DAYS: '7',
    BUCKET_NAME: BUCKET,
    KEY_PREFIX: 'reports/Shop/',
    TARGETS: JSON.stringify({ topicArn: DIGEST_TOPIC, publishTopicArns: [MANAGERS], webhooks: [{ secretArn: WEBHOOK_SECRET }] }),
  });
  restores.push(() => {
    h.restore();
    cloudFormation.restore();
    s3.restore();
    sns.restore();
    secrets.restore();
    fetchSpy.mockRestore();
    logSpy.mockRestore();
  });
  world = { h, fake, objects, published, posted, logs, failingTopics, webhookStatus: 200, cloudFormation };
});

afterEach(() => {
  restores.splice(0).forEach((restore) => restore());
  for (const name of ['STACK_NAME', 'MANIFEST_RESOURCE', 'PERIOD_DAYS', 'BUCKET_NAME', 'KEY_PREFIX', 'TARGETS']) {
    delete process.env[name];
  }
});

afterAll(() => fs.rmSync(sample.dir, { recursive: true, force: true }));

const keys = archiveKeys('reports/Shop/', '2024-05-01');

describe('the report function', () => {
  test('reads the manifest from its own template, reports the week ending at the scheduled time and archives HTML, JSON and Markdown', async () => {
    const outcome = await handler({ scheduledTime: SCHEDULED });
    expect(outcome.keys).toEqual({ html: keys.html, json: keys.json, markdown: keys.markdown });
    expect([...world.objects.keys()].sort()).toEqual([keys.html, keys.json, keys.markdown, keys.sent(SCHEDULED)].sort());
    const report = JSON.parse(String(world.objects.get(keys.json)!.Body));
    expect(report.period).toEqual({ start: '2024-04-24T12:00:00.000Z', end: '2024-05-01T12:00:00.000Z', seconds: 7 * 86_400, label: '7d' });
    expect(report.services.map((s: { service: string }) => s.service)).toEqual(['checkout', 'search', 'fulfilment']);
    // deploy-time dimensions (${SearchHandler...}) were resolved from the deployed alarms: search's attainment is known
    const search = report.services.find((s: { service: string }) => s.service === 'search');
    expect(search.slos[0].period.status).toBe('ok');
    // the escalation log group's incidents and the game day's runs are there
    const fulfilment = report.services.find((s: { service: string }) => s.service === 'fulfilment');
    expect(fulfilment.incidents.incidents).toEqual([expect.objectContaining({ alarmName: 'fulfilment-availability-page', exhausted: true })]);
    const checkout = report.services.find((s: { service: string }) => s.service === 'checkout');
    expect(checkout.experiments.runs.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining(['EXPapril30']));
    expect(world.objects.get(keys.html)).toEqual(expect.objectContaining({ Bucket: BUCKET, ContentType: 'text/html; charset=utf-8' }));
    expect(String(world.objects.get(keys.html)!.Body)).toMatch(/^<!DOCTYPE html>/i);
    expect(String(world.objects.get(keys.markdown)!.Body)).toContain(report.summary[0]);
    expect(world.cloudFormation.commandCalls(GetTemplateCommand)).toHaveLength(1);
  });

  test('writes the same report review writes for the same period, from the same deployed reality', async () => {
    await handler({ scheduledTime: SCHEDULED });
    const digest = JSON.parse(String(world.objects.get(keys.json)!.Body));
    const out = path.join(sample.dir, 'review.json');
    // the digest reports its own stack (Shop); the sample's cloud assembly also holds Orders
    expect(await world.h.run('review', sample.dir, '--stack', 'Shop', '--since', '7d', '--format', 'json', '--out', out)).toBe(0);
    const review = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(digest.summary).toEqual(review.summary);
    expect(digest.services).toEqual(review.services);
  });

  test('sends the summary and the archived page\'s key to the report topic, the user\'s topic and the webhook (URL read from its secret)', async () => {
    const outcome = await handler({ scheduledTime: SCHEDULED });
    const report = JSON.parse(String(world.objects.get(keys.json)!.Body));
    expect(world.published.map((p) => p.TopicArn)).toEqual([DIGEST_TOPIC, MANAGERS]);
    const [message] = world.published;
    expect(message.Subject).toBe('Reliability report Shop: 2024-04-24 to 2024-05-01');
    const email = JSON.parse(message.Message!).email;
    for (const line of report.summary) {
      expect(email).toContain(line);
    }
    expect(email).toContain(`s3://${BUCKET}/${keys.html}`);
    expect(email).toContain(`https://${REGION}.console.aws.amazon.com/s3/object/${BUCKET}?region=${REGION}&prefix=${encodeURIComponent(keys.html)}`);
    expect(world.posted).toEqual([{
      url: WEBHOOK_URL,
      body: expect.objectContaining({ text: email, summary: report.summary, report: expect.objectContaining({ bucket: BUCKET, key: keys.html }) }),
    }]);
    expect(outcome.deliveries).toEqual([
      { target: 'digest-topic', sent: true }, { target: 'topic[0]', sent: true }, { target: 'webhook[0]', sent: true },
    ]);
    expect(world.logs.filter((l) => l.event === 'digest-delivered')).toHaveLength(3);
  });

  test('publishes one body per protocol: email the whole summary, SMS its head sentence, Slack (AWS Chatbot) a custom notification', async () => {
    await handler({ scheduledTime: SCHEDULED });
    const report = JSON.parse(String(world.objects.get(keys.json)!.Body));
    for (const message of world.published) {
      expect(message.MessageStructure).toBe('json');
      const bodies = JSON.parse(message.Message!);
      expect(Object.keys(bodies).sort()).toEqual(['default', 'email', 'https', 'sms']);
      // email (and any other protocol): the whole summary and where the full report is
      expect(bodies.default).toBe(bodies.email);
      expect(bodies.email).toContain(report.summary.join('\n'));
      expect(bodies.email).toContain(`Full report (HTML): s3://${BUCKET}/${keys.html}`);
      // SMS: the head sentence only, GSM-7, one segment
      expect(bodies.sms).toBe(`Reliability report Shop: ${report.summary[0]}`);
      expect(bodies.sms).toMatch(/^[A-Za-z0-9 !"#$%&'()*+,\-./:;<=>?@_]{1,160}$/);
      // Slack: an AWS Chatbot custom notification (Chatbot posts nothing for plain text)
      const chatbot = JSON.parse(bodies.https);
      expect(chatbot).toEqual({
        version: '1.0',
        source: 'custom',
        content: {
          textType: 'client-markdown',
          title: 'Reliability report Shop: 2024-04-24 to 2024-05-01',
          description: expect.any(String),
          keywords: ['reliability-report', 'Shop'],
        },
        metadata: { summary: 'Reliability report Shop: 2024-04-24 to 2024-05-01', eventType: 'ReliabilityReport' },
      });
      expect(chatbot.content.description.split('\n')).toEqual(expect.arrayContaining([
        ...report.summary, `Full report (HTML): s3://${BUCKET}/${keys.html}`, `https://${REGION}.console.aws.amazon.com/s3/object/${BUCKET}?region=${REGION}&prefix=${encodeURIComponent(keys.html)}`,
      ]));
    }
  });

  test('Slack (AWS Chatbot): user-chosen names and the sentences made of them are markdown-escaped; email, SMS and webhooks get them as written', async () => {
    await handler({ scheduledTime: SCHEDULED });
    const report = JSON.parse(String(world.objects.get(keys.json)!.Body)) as PeriodReport;
    const summary = ['Over 7d, 1 of 1 SLO met; no pages in all.', 'check_out kept *avail* 99.9 % against 99 %; <!channel> & @here > see `x` ~y~'];
    const message = digestMessage({ ...report, stacks: ['Shop_2'], summary }, BUCKET, keys.html, REGION);
    const chatbot = message.chatbot as { content: { title: string; description: string }; metadata: { summary: string } };
    expect(chatbot.content.title).toBe('Reliability report Shop\\_2: 2024-04-24 to 2024-05-01');
    expect(chatbot.content.description.split('\n')).toEqual([
      'Over 7d, 1 of 1 SLO met; no pages in all.',
      'check\\_out kept \\*avail\\* 99.9 % against 99 %; \\<!channel\\> \\& @\u2060here \\> see \\`x\\` \\~y\\~',
      `Full report (HTML): s3://${BUCKET}/${keys.html}`,
      `https://${REGION}.console.aws.amazon.com/s3/object/${BUCKET}?region=${REGION}&prefix=${encodeURIComponent(keys.html)}`,
    ]);
    expect(message.text).toContain(summary.join('\n'));
    expect(message.subject).toBe('Reliability report Shop_2: 2024-04-24 to 2024-05-01');
    expect(message.details.summary).toEqual(summary);
    expect(message.sms).toBe('Reliability report Shop_2: Over 7d, 1 of 1 SLO met; no pages in all.');
  });

  test('the SMS keeps to one segment when the summary\'s head is long', async () => {
    await handler({ scheduledTime: SCHEDULED });
    const report = JSON.parse(String(world.objects.get(keys.json)!.Body)) as PeriodReport;
    const long = digestMessage({ ...report, summary: [`${'Over 7d, every SLO met '.repeat(12)}é. Then more.`] }, BUCKET, keys.html, REGION);
    expect(long.sms).toHaveLength(160);
    expect(long.sms).toMatch(/^Reliability report Shop: Over 7d, every SLO met .*\.\.\.$/);
  });

  test('the subject is ASCII and fewer than 100 characters, even for a 60-character stack name', async () => {
    await handler({ scheduledTime: SCHEDULED });
    const report = JSON.parse(String(world.objects.get(keys.json)!.Body)) as PeriodReport;
    const stack = `Shöp-${'x'.repeat(55)}`;
    expect(stack).toHaveLength(60);
    world.published.splice(0);
    const message = digestMessage({ ...report, stacks: [stack] }, BUCKET, keys.html, REGION);
    await deliverDigest(new SNSClient({ region: REGION }), { topicArn: DIGEST_TOPIC, publishTopicArns: [], webhooks: [] }, message, createLogger());
    const [published] = world.published;
    expect(published.Subject).toHaveLength(99);
    expect(published.Subject).toBe(`Reliability report Sh?p-${'x'.repeat(55)}: 2024-04-24 to 2...`);
    expect(published.Subject).toMatch(/^[\x20-\x7e]+$/);
  });

  test('a failing target is logged with digest-delivery-failed, never its URL, and neither the archive nor the other targets are lost', async () => {
    world.failingTopics.add(MANAGERS);
    world.webhookStatus = 404;
    const outcome = await handler({ scheduledTime: SCHEDULED });
    expect(world.objects.has(keys.html) && world.objects.has(keys.json) && world.objects.has(keys.markdown)).toBe(true);
    expect(world.published.map((p) => p.TopicArn)).toEqual([DIGEST_TOPIC]);
    expect(outcome.deliveries).toEqual([
      { target: 'digest-topic', sent: true }, { target: 'topic[0]', sent: false }, { target: 'webhook[0]', sent: false },
    ]);
    const failures = world.logs.filter((l) => l.event === 'digest-delivery-failed');
    expect(failures.map((f) => [f.level, f.target, f.errorName])).toEqual([
      ['ERROR', 'topic[0]', 'AuthorizationErrorException'], ['ERROR', 'webhook[0]', 'WebhookRefused'],
    ]);
    expect(JSON.stringify(world.logs)).not.toContain('secret-token');
  });

  test('a retry of the same scheduled time overwrites the same keys and sends nothing again', async () => {
    await handler({ scheduledTime: SCHEDULED });
    const again = await handler({ scheduledTime: SCHEDULED });
    expect(again).toEqual(expect.objectContaining({ sent: false, deliveries: [] }));
    expect(world.published).toHaveLength(2);
    expect(world.posted).toHaveLength(1);
    expect(world.logs.filter((l) => l.event === 'digest-already-sent')).toHaveLength(1);
    expect(world.logs.filter((l) => l.event === 'digest-archived')).toHaveLength(2);
  });

  test('a run by hand (no scheduled time) reports up to now, sends, and is archived beside the scheduled report of its day, not over it', async () => {
    await handler({ scheduledTime: SCHEDULED });
    jest.useFakeTimers({ now: T0 + 3 * 3_600_000, doNotFake: ['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const outcome = await handler({});
      expect(outcome.sent).toBe(true);
      const manual = archiveKeys('reports/Shop/', '2024-05-01/manual-2024-05-01T15-00-00.000Z');
      expect(outcome.keys).toEqual({ html: manual.html, json: manual.json, markdown: manual.markdown });
      expect(JSON.parse(String(world.objects.get(manual.json)!.Body)).period.end).toBe('2024-05-01T15:00:00.000Z');
      expect(JSON.parse(String(world.objects.get(keys.json)!.Body)).period.end).toBe('2024-05-01T12:00:00.000Z');
      expect(world.published).toHaveLength(4);
    } finally {
      jest.useRealTimers();
    }
  });

  test('AWS errors other than a refused permission fail the invocation before anything is archived or sent (Lambda retries it)', async () => {
    world.fake.refuse.set('logs:StartQuery', awsError('InvalidParameterException', 'query string is malformed'));
    await expect(handler({ scheduledTime: SCHEDULED })).rejects.toThrow(/query string is malformed/);
    expect(world.objects.size).toBe(0);
    expect(world.published).toEqual([]);
  });

  test('refuses to run with a wrong environment or a template without the manifest, saying what is wrong', async () => {
    process.env.PERIOD_DAYS = '120';
    delete process.env.BUCKET_NAME;
    await expect(handler({})).rejects.toThrow(/environment is wrong: BUCKET_NAME is not set; PERIOD_DAYS must be a whole number of days from 1 to 90, got 120/);
    process.env.PERIOD_DAYS = '7';
    process.env.BUCKET_NAME = BUCKET;
    process.env.MANIFEST_RESOURCE = 'SomethingElse';
    await expect(handler({ scheduledTime: SCHEDULED })).rejects.toThrow(/stack Shop: resource SomethingElse has no cdk-reliability:manifest metadata/);
    await expect(handler({ scheduledTime: 'yesterday' })).rejects.toThrow(/scheduledTime is not a time: "yesterday"/);
  });
});
