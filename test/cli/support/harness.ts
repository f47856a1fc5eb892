/**
 * A CLI world for tests: captured stdout/stderr, a fake clock that sleeps advance, an abort
 * controller standing for Ctrl-C, and aws-sdk-client-mock stubs on the FIS, CloudWatch and CloudWatch Logs clients.
 *
 * @aws-sdk/client-fis is on an older @smithy line than aws-sdk-client-mock's types (the runtime is
 * compatible), so its stub is wrapped in `FisMock`, typed from the commands themselves.
 */
import { CloudWatchClient, CloudWatchClientResolvedConfig, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient, CloudWatchLogsClientResolvedConfig, ServiceInputTypes as LogsInputTypes, ServiceOutputTypes as LogsOutputTypes,
} from '@aws-sdk/client-cloudwatch-logs';
import { FisClient } from '@aws-sdk/client-fis';
import { AwsStub, mockClient } from 'aws-sdk-client-mock';
import type { AwsClientOptions, CliIo, CliRunState } from '../../../lib/cli/io';
import { run } from '../../../lib/cli/run';

type AnyCommand = abstract new (input: any) => { readonly input: object; resolveMiddleware(...args: any[]): unknown };
type InputOf<C extends AnyCommand> = C extends abstract new (input: infer I) => unknown ? I : never;
type OutputOf<C extends AnyCommand> =
  InstanceType<C> extends { resolveMiddleware(...a: any[]): (...b: any[]) => Promise<{ output: infer O }> } ? Omit<O, '$metadata'> : never;

/** The behaviours of aws-sdk-client-mock, typed for one FIS command. */
export interface FisBehaviour<I, O> {
  resolves(output: O): FisBehaviour<I, O>;
  resolvesOnce(output: O): FisBehaviour<I, O>;
  rejects(error: Error | string): FisBehaviour<I, O>;
  rejectsOnce(error: Error | string): FisBehaviour<I, O>;
  callsFake(fake: (input: I) => O | Promise<O>): FisBehaviour<I, O>;
}

interface RawStub {
  on(command: unknown, input?: unknown): any;
  commandCalls(command: unknown): Array<{ args: [{ input: unknown }] }>;
  calls(): unknown[];
  reset(): void;
  restore(): void;
}

/** aws-sdk-client-mock on FisClient, with typed `on` and `calls`. */
export class FisMock {
  private readonly stub = mockClient(FisClient as never) as unknown as RawStub;

  public on<C extends AnyCommand>(command: C, input?: Partial<InputOf<C>>): FisBehaviour<InputOf<C>, OutputOf<C>> {
    return this.stub.on(command, input);
  }

  /** Inputs of the calls of one command, in order. */
  public calls<C extends AnyCommand>(command: C): Array<InputOf<C>> {
    return this.stub.commandCalls(command).map((call) => call.args[0].input as InputOf<C>);
  }

  public callCount(): number {
    return this.stub.calls().length;
  }

  public reset(): void {
    this.stub.reset();
  }

  public restore(): void {
    this.stub.restore();
  }
}

/** Errors shaped like the SDK's service exceptions. */
export function awsError(name: string, message = name): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

export const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
export const REGION = 'eu-west-1';
export const ACCOUNT = '111122223333';

export interface Harness {
  readonly io: CliIo;
  readonly fis: FisMock;
  readonly cloudWatch: AwsStub<ServiceInputTypes, ServiceOutputTypes, CloudWatchClientResolvedConfig>;
  readonly logs: AwsStub<LogsInputTypes, LogsOutputTypes, CloudWatchLogsClientResolvedConfig>;
  /** Stands for the signals: `abort()` is Ctrl-C, `abort('SIGTERM')` a cancelled CI job. */
  readonly controller: AbortController;
  /** What the run shares with the process (the started experiment), as main.ts passes it. */
  readonly state: CliRunState;
  /** Options every client factory was called with. */
  readonly clientOptions: AwsClientOptions[];
  /** Milliseconds of every sleep. */
  readonly sleeps: number[];
  /** Called on each sleep with its 1-based number, before it resolves; return a promise to hold it. */
  onSleep?: (count: number) => Promise<void> | void;
  stdout(): string;
  stderr(): string;
  /** Runs the CLI with these arguments. */
  run(...argv: string[]): Promise<number>;
}

/**
 * A fresh world. The stubs are global to the client classes: create one harness per test, and
 * call `restore()` in `afterEach` (`useHarness` does both).
 */
export function createHarness(): Harness & { restore(): void } {
  const fis = new FisMock();
  const cloudWatch = mockClient(CloudWatchClient);
  const logs = mockClient(CloudWatchLogsClient);
  const out: string[] = [];
  const err: string[] = [];
  const controller = new AbortController();
  const state: CliRunState = {};
  const clientOptions: AwsClientOptions[] = [];
  const sleeps: number[] = [];
  let clock = T0;
  const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };
  const harness: Harness & { restore(): void } = {
    fis,
    cloudWatch,
    logs,
    controller,
    state,
    clientOptions,
    sleeps,
    io: {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text) },
      env: {},
      sleep: async (ms: number) => {
        sleeps.push(ms);
        clock += ms;
        await harness.onSleep?.(sleeps.length);
      },
      now: () => new Date(clock),
      signal: controller.signal,
      state,
      clients: {
        fis: (options) => {
          clientOptions.push(options);
          return new FisClient({ region: options.region ?? REGION, credentials });
        },
        cloudWatch: (options) => {
          clientOptions.push(options);
          return new CloudWatchClient({ region: options.region ?? REGION, credentials });
        },
        logs: (options) => {
          clientOptions.push(options);
          return new CloudWatchLogsClient({ region: options.region ?? REGION, credentials });
        },
      },
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
    run: (...argv: string[]) => run(argv, harness.io),
    restore: () => {
      fis.restore();
      cloudWatch.restore();
      logs.restore();
    },
  };
  return harness;
}

/** A harness per test, restored after it. */
export function useHarness(): () => Harness {
  let current: (Harness & { restore(): void }) | undefined;
  beforeEach(() => {
    current = createHarness();
  });
  afterEach(() => {
    current?.restore();
    current = undefined;
  });
  return () => current!;
}
