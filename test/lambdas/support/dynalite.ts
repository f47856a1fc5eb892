/**
 * A real DynamoDB implementation for tests: the npm package dynalite (DynamoDB's API, conditional
 * writes and expression validation included, in memory; no Java, no Docker), listening on
 * 127.0.0.1 on a free port, with the incidents table created as `lib/escalation` declares it
 * (partition key `alarmName`, a string).
 *
 * The handlers' DynamoDB client is pointed at it through the SDK's own configuration: the
 * service-specific endpoint variable `AWS_ENDPOINT_URL_DYNAMODB` and dummy credentials, set
 * before the client sends its first request (jest gives every test file fresh modules, so a
 * fresh client).
 */
import { spawn } from 'child_process';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * The server runs in a child process: its work (parsing, validating, evaluating expressions) then
 * runs on another core than the handlers under test.
 */
const SERVER = `
const server = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

export interface LocalDynamo {
  readonly endpoint: string;
  /** Stops the server (open keep-alive connections included). */
  stop(): Promise<void>;
}

const ENV_KEYS = ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;

/** Starts dynalite, creates `tableName`, and points the SDK's DynamoDB clients at it. */
export async function startDynalite(tableName = 'incidents'): Promise<LocalDynamo> {
  // The child exits when its stdin closes: when stopped, and when this process dies.
  const child = spawn(process.execPath, ['-e', SERVER], { cwd: __dirname, stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`dynalite exited with code ${code}`)));
    child.stdout.once('data', (data: Buffer) => resolve(Number(String(data).trim())));
  });
  child.removeAllListeners('exit');
  const endpoint = `http://127.0.0.1:${port}`;
  const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  Object.assign(process.env, { AWS_ENDPOINT_URL_DYNAMODB: endpoint, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
  delete process.env.AWS_SESSION_TOKEN;
  const admin = new DynamoDBClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await admin.send(new CreateTableCommand({
    TableName: tableName,
    KeySchema: [{ AttributeName: 'alarmName', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'alarmName', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  admin.destroy();
  return {
    endpoint,
    stop: async () => {
      for (const k of ENV_KEYS) {
        if (saved[k] === undefined) {
          delete process.env[k];
        } else {
          process.env[k] = saved[k];
        }
      }
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin.end();
      await exited;
    },
  };
}
