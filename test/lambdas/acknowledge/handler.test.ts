/**
 * The acknowledge function: GET confirms, POST acknowledges; forged 403, expired 410, already
 * acknowledged / resolved / replaced 409, none of which writes anything.
 */
import { DynamoDBClient, PutItemCommand, UpdateItemCommand, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { handler } from '../../../lambdas/acknowledge';
import { escapeHtml } from '../../../lambdas/acknowledge/html';
import { handler as escalation } from '../../../lambdas/escalation';
import { newClaims, signToken } from '../../../lambdas/shared/token';
import {
  ALARM, alarmMessage, captureLogs, lambdaContext, LEVEL_TOPICS, setEnv, SIGNING_SECRET, snsEvent, World,
} from '../support/world';

const START = '2024-05-01T10:00:00.000Z';

let world: World;
let logs: ReturnType<typeof captureLogs>;

beforeEach(async () => {
  setEnv();
  world = new World();
  logs = captureLogs();
  await escalation(snsEvent(alarmMessage('ALARM', '2024-05-01T10:00:00.000+0000')), lambdaContext());
  world.ddb.resetHistory();
});

afterEach(() => {
  logs.restore();
  world.restore();
});

function token(opts: { alarm?: string; start?: string; level?: number; ttl?: number; secret?: string; now?: number } = {}): string {
  const claims = newClaims(opts.alarm ?? ALARM, opts.start ?? START, opts.level ?? 0, opts.ttl ?? 3600, opts.now ?? Date.now());
  return signToken(claims, opts.secret ?? SIGNING_SECRET);
}

function request(method: string, opts: { query?: string; body?: string; base64?: boolean } = {}): LambdaFunctionURLEvent {
  const body = opts.body === undefined ? undefined : opts.base64 ? Buffer.from(opts.body).toString('base64') : opts.body;
  return {
    version: '2.0',
    rawPath: '/',
    rawQueryString: opts.query ? `t=${opts.query}` : '',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    queryStringParameters: opts.query ? { t: opts.query } : undefined,
    requestContext: { http: { method, path: '/', protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'test' }, requestId: 'r' },
    body,
    isBase64Encoded: Boolean(opts.base64),
  } as unknown as LambdaFunctionURLEvent;
}

interface Html {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const get = (t: string) => handler(request('GET', { query: t })) as Promise<Html>;
const post = (t: string, by?: string, base64 = false) => handler(request('POST', {
  body: new URLSearchParams({ t, ...(by === undefined ? {} : { by }) }).toString(), base64,
})) as Promise<Html>;

function expectNoWrites(): void {
  expect(world.ddb.commandCalls(UpdateItemCommand)).toHaveLength(0);
  expect(world.ddb.commandCalls(PutItemCommand)).toHaveLength(0);
  expect(world.lambda.commandCalls(InvokeCommand)).toHaveLength(0);
}

describe('GET', () => {
  test('shows the incident and a confirm button, and acknowledges nothing', async () => {
    const t = token();
    for (let i = 0; i < 3; i++) {
      const res = await get(t);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<form method="post">');
      expect(res.body).toContain(`<input type="hidden" name="t" value="${t}">`);
      expect(res.body).toContain('checkout-availability-page');
    }
    expectNoWrites();
    expect(world.incident()).toMatchObject({ status: 'open' });
  });

  test('pages are not cached, framed or given a referrer', async () => {
    const res = await get(token());
    expect(res.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'content-security-policy': expect.stringContaining("default-src 'none'"),
    });
  });
});

describe('POST', () => {
  test('acknowledges with a conditional update and invokes the escalation function asynchronously', async () => {
    const res = await post(token({ level: 1 }), 'Alice');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Alice acknowledged checkout-availability-page');
    const update = world.ddb.commandCalls(UpdateItemCommand)[0].args[0].input;
    // Conditional on the incident the token names, where the item keeps it, being open or exhausted.
    expect(update.ConditionExpression).toMatch(/^#n0\.#n1\.#n\d+ = :v\d+ AND #n0\.#n1\.#n\d+ IN \(:v\d+, :v\d+\)$/);
    expect(Object.values(update.ExpressionAttributeNames ?? {}).slice(0, 2)).toEqual(['incidents', '1714557600000']);
    expect(world.incident()).toMatchObject({ status: 'acknowledged', ackedBy: 'Alice', ackLevel: 1, ackNonce: expect.any(String) });
    const invoke = world.lambda.commandCalls(InvokeCommand)[0].args[0].input;
    expect(invoke.FunctionName).toBe('escalation');
    expect(invoke.InvocationType).toBe('Event');
    expect(JSON.parse(Buffer.from(invoke.Payload as Uint8Array).toString())).toEqual({
      kind: 'acknowledged', alarmName: ALARM, incidentStart: START, level: 1, by: 'Alice',
    });
  });

  test('reads base64 bodies and names an anonymous acknowledger by level', async () => {
    const res = await post(token({ level: 2 }), '', true);
    expect(res.statusCode).toBe(200);
    expect(world.incident()).toMatchObject({ ackedBy: 'someone from level 3' });
  });

  test('the escalation function then tells the levels notified', async () => {
    await post(token(), 'Alice');
    const payload = JSON.parse(Buffer.from(world.lambda.commandCalls(InvokeCommand)[0].args[0].input.Payload as Uint8Array).toString());
    await escalation(payload, lambdaContext());
    const last = world.publishes().at(-1)!;
    expect(last.topic).toBe(LEVEL_TOPICS[0]);
    expect(last.input.Subject).toBe('ACKNOWLEDGED checkout/availability: Alice is handling it');
    expect(world.schedules.size).toBe(0);
  });

  test('an acknowledged incident does not expire, even one written with a TTL by an earlier version', async () => {
    world.table.items.get(ALARM)!.expiresAt = Math.floor(Date.now() / 1000) + 60;
    await post(token(), 'Alice');
    expect(world.incident()).toMatchObject({ status: 'acknowledged' });
    expect(world.incident()).not.toHaveProperty('expiresAt');
  });

  test('a write applied whose reply was lost (the SDK\'s retry fails its condition) is recorded: the levels are told', async () => {
    let lost = false;
    world.table.beforeWrite = async (command, input) => {
      if (!lost && command === 'UpdateItem' && Object.values(input.ExpressionAttributeNames ?? {}).includes('ackNonce')) {
        lost = true;
        // The first attempt commits; what the handler sees is the retry, which fails its condition.
        await new DynamoDBClient({}).send(new UpdateItemCommand(input as UpdateItemCommandInput));
      }
    };
    const res = await post(token(), 'Alice');
    expect(lost).toBe(true);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Alice acknowledged checkout-availability-page');
    expect(res.body).toContain('is being told');
    expect(world.lambda.commandCalls(InvokeCommand)).toHaveLength(1);
    expect(logs.lines).toContainEqual(expect.objectContaining({ msg: expect.stringContaining('a lost reply') }));
  });

  test('an exhausted incident can still be acknowledged', async () => {
    world.entry().status = 'exhausted';
    expect((await post(token(), 'Late Larry')).statusCode).toBe(200);
  });
});

describe('the acknowledger\'s name', () => {
  test('is kept to 64 printable characters', async () => {
    const res = await post(token(), `  Bob\u202e\u200b\u0007 ${'x'.repeat(100)}`);
    expect(res.statusCode).toBe(200);
    const by = world.incident()!.ackedBy as string;
    expect(Array.from(by)).toHaveLength(64);
    expect(by).toMatch(/^Bob x+$/);
  });

  test('never splits a character', async () => {
    await post(token(), '😀'.repeat(70));
    expect(world.incident()!.ackedBy).toBe('😀'.repeat(64));
  });
});

describe('when the escalation function cannot be invoked', () => {
  test('500 (so that the person submits again) and the page says the levels were not told; the acknowledgement stands and the next timer stops the chain and tells them', async () => {
    world.lambda.on(InvokeCommand).rejects(new Error('Rate exceeded'));
    const res = await post(token(), 'Alice');
    // Not 200: nobody was told yet, and submitting again retries telling them (next test).
    expect(res.statusCode).toBe(500);
    expect(res.body).toContain('Alice acknowledged checkout-availability-page');
    expect(res.body).not.toContain('is being told');
    expect(res.body).toContain('have not been told yet');
    expect(res.body).toContain('No further level will be paged');
    expect(world.incident()).toMatchObject({ status: 'acknowledged' });
    expect(logs.lines).toContainEqual(expect.objectContaining({ level: 'ERROR', msg: expect.stringContaining('could not invoke the escalation function') }));

    // Verify the page's promise: the pending timer finds the acknowledgement, pages nobody new, and tells level 1.
    const [name, schedule] = [...world.schedules.entries()][0];
    world.schedules.delete(name);
    await escalation(JSON.parse(schedule.Target?.Input as string), lambdaContext());
    expect(world.publishes().map((p) => [p.topic, p.input.Subject])).toEqual([
      [LEVEL_TOPICS[0], 'PAGE checkout/availability: error budget burning at 14.4x (1h/5m)'],
      [LEVEL_TOPICS[0], 'ACKNOWLEDGED checkout/availability: Alice is handling it'],
    ]);
    expect(world.schedules.size).toBe(0);
  });

  test('submitting again while it still fails: 500 again, nothing written', async () => {
    const t = token();
    world.lambda.on(InvokeCommand).rejects(new Error('Rate exceeded'));
    await post(t, 'Alice');
    world.ddb.resetHistory();
    const again = await post(t, 'Bob');
    expect(again.statusCode).toBe(500);
    expect(again.body).toContain('have not been told yet');
    expect(world.incident()).toMatchObject({ status: 'acknowledged', ackedBy: 'Alice' });
    expect(world.ddb.commandCalls(UpdateItemCommand)).toHaveLength(0);
  });

  test('submitting the same link again tells the levels, without writing anything', async () => {
    const t = token();
    world.lambda.on(InvokeCommand).rejects(new Error('Rate exceeded'));
    expect((await post(t, 'Alice')).statusCode).toBe(500);
    const recorded = { ...world.incident() };
    world.ddb.resetHistory();
    world.lambda.reset();
    world.lambda.on(InvokeCommand).resolves({});
    const again = await post(t, 'Bob');
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('This link was already used: Alice acknowledged it at');
    expect(world.incident()).toEqual(recorded);
    expect(world.ddb.commandCalls(UpdateItemCommand)).toHaveLength(0);
    const payload = JSON.parse(Buffer.from(world.lambda.commandCalls(InvokeCommand)[0].args[0].input.Payload as Uint8Array).toString());
    expect(payload).toMatchObject({ kind: 'acknowledged', by: 'Alice' });
  });

  test('for an exhausted incident (no timer pending) it only says to tell them', async () => {
    world.entry().status = 'exhausted';
    world.lambda.on(InvokeCommand).rejects(new Error('Rate exceeded'));
    const res = await post(token(), 'Alice');
    expect(res.body).toContain('have not been told yet');
    expect(res.body).not.toContain('next escalation step');
  });
});

describe('refusals change nothing', () => {
  test.each([
    ['a token signed with another key', () => token({ secret: 'x'.repeat(64) }), 403],
    ['a malformed token', () => 'not-a-token', 403],
    ['no token', () => '', 403],
    ['an expired token', () => token({ ttl: 60, now: Date.now() - 61_000 }), 410],
  ])('%s', async (_name, make, status) => {
    const t = make();
    expect((await get(t)).statusCode).toBe(status);
    expect((await post(t, 'Mallory')).statusCode).toBe(status);
    expectNoWrites();
    expect(world.incident()).toMatchObject({ status: 'open' });
  });

  test('a replayed token: 409 with who and when', async () => {
    const t = token();
    await post(t, 'Alice');
    world.ddb.resetHistory();
    world.lambda.resetHistory();
    const again = await post(t, 'Bob');
    expect(again.statusCode).toBe(409);
    expect(again.body).toMatch(/This link was already used: Alice acknowledged it at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(world.ddb.commandCalls(UpdateItemCommand)).toHaveLength(0);
    // The escalation function is invoked again: the first answer may have been a 500 that did not
    // tell the levels (its "acknowledged" flow sends only what is still owed: nobody hears twice).
    expect(world.lambda.commandCalls(InvokeCommand)).toHaveLength(1);
    expect(world.incident()).toMatchObject({ ackedBy: 'Alice' });
  });

  test('another link after an acknowledgement: 409 on GET and POST', async () => {
    await post(token(), 'Alice');
    world.ddb.resetHistory();
    world.lambda.resetHistory();
    const other = token({ level: 1 });
    expect((await get(other)).statusCode).toBe(409);
    const res = await post(other, 'Bob');
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Alice acknowledged it at');
    expect(res.body).not.toContain('already used');
    expectNoWrites();
  });

  test('a resolved incident: 409 saying when it recovered', async () => {
    await escalation(snsEvent(alarmMessage('OK', '2024-05-01T10:30:00.000+0000')), lambdaContext());
    world.ddb.resetHistory();
    const res = await post(token(), 'Bob');
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('The alarm recovered at 2024-05-01 10:30:00 UTC.');
    expectNoWrites();
  });

  test('a token for an older incident: 409', async () => {
    const res = await post(token({ start: '2024-04-01T10:00:00.000Z' }), 'Bob');
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('This incident is over');
    expectNoWrites();
  });

  test('other methods: 405', async () => {
    const res = await handler(request('PUT', { query: token() })) as Html;
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, POST');
    expectNoWrites();
  });

  test('tokens are never logged', async () => {
    const t = token();
    await get(t);
    await post(t, 'Alice');
    await post(token({ secret: 'y'.repeat(64) }), 'x');
    expect(JSON.stringify(logs.lines)).not.toContain(t.split('.')[1]);
    expect(logs.lines).toContainEqual(expect.objectContaining({ msg: 'token refused', reason: 'forged' }));
  });
});

describe('HTML output is escaped', () => {
  test('escapeHtml', () => {
    expect(escapeHtml(`<script>alert("x")</script>&'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
  });

  test('alarm names, reasons and names typed by people', async () => {
    const evil = 'x"><script>alert(1)</script>';
    world.table.items.set(evil, { ...world.table.item(ALARM)!, alarmName: evil, alarm: { children: [], reason: '<img src=x onerror=alert(2)>' } });
    const t = token({ alarm: evil });
    const page = await get(t);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<script>alert(1)');
    expect(page.body).not.toContain('<img src=x');
    expect(page.body).toContain('x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    const done = await post(t, '<b onmouseover=alert(3)>Eve</b>');
    expect(done.body).not.toContain('<b onmouseover');
    expect(done.body).toContain('&lt;b onmouseover=alert(3)&gt;Eve&lt;/b&gt;');
  });
});
