import { loadConfig } from '../../../../lambdas/escalation/config/config';

const base = {
  POLICY_NAME: 'prod', TABLE_NAME: 't', SCHEDULE_GROUP: 'g', SCHEDULER_ROLE_ARN: 'r', SIGNING_SECRET_ARN: 's',
  ACK_URL: 'https://x.lambda-url.eu-west-1.on.aws/', PAGE_TOPIC_ARN: 'p', TICKET_TOPIC_ARN: 'q',
  LEVELS: JSON.stringify([{ topicArn: 'l1' }, { afterSeconds: 600, webhooks: [{ url: 'https://h' }], pagerDuty: [{ secretArn: 'pd' }] }]),
  TICKETS: 'null',
};

test('reads the contract\'s environment with its defaults', () => {
  const c = loadConfig(base);
  expect(c).toMatchObject({ repeat: 0, tokenTtlSeconds: 86400, tickets: null, repeatAfterSeconds: 600 });
  expect(c.levels[1]).toEqual({ afterSeconds: 600, topicArn: undefined, publishTopicArns: [], webhooks: [{ url: 'https://h' }], pagerDuty: [{ secretArn: 'pd' }], kinds: [] });
});

test('a single level repeats after 15 minutes unless told otherwise', () => {
  expect(loadConfig({ ...base, LEVELS: '[{}]' }).repeatAfterSeconds).toBe(900);
  expect(loadConfig({ ...base, LEVELS: '[{}]', REPEAT_AFTER_SECONDS: '120' }).repeatAfterSeconds).toBe(120);
});

test.each([
  [{ TABLE_NAME: '' }, /TABLE_NAME is required/],
  [{ LEVELS: 'nope' }, /LEVELS must be JSON/],
  [{ LEVELS: '[]' }, /non-empty/],
  [{ LEVELS: '[{"webhooks":[{}]}]' }, /LEVELS\[0\]\.webhooks\[0\] must have a url or a secretArn/],
  [{ REPEAT: '-1' }, /REPEAT must be an integer >= 0/],
  [{ ACK_URL: 'http://x/' }, /ACK_URL must be an https URL/],
])('names what is wrong: %j', (env, message) => {
  expect(() => loadConfig({ ...base, ...env })).toThrow(message);
});
