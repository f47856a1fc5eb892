/** Lambda faults: they run inside the function, through the FIS Lambda extension. */
import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describeValue } from '../../private/describe';
import { FIS_ACTIONS, FisActionDefinition } from '../catalog';
import { byArns, durationParameter, FaultContext, forDuration, isTyped, OptionReader, ResolvedFault, resourcesOf } from '../fault-action';
import { Targets } from '../targets';

/** Options of every Lambda fault. */
export interface LambdaFaultOptions {
  /**
   * Percent of invocations affected, a whole number from 1 to 100.
   * @default 100
   */
  readonly invocationPercentage?: number;
  /**
   * How long the fault is injected.
   * @default - the experiment's duration
   */
  readonly duration?: Duration;
}

/** Options of `Fault.lambdaInvocationDelay`. */
export interface LambdaInvocationDelayOptions extends LambdaFaultOptions {
  /** Delay before the function's code runs, 0 ms to 15 minutes (the Lambda timeout limit). */
  readonly delay: Duration;
}

/** Options of `Fault.lambdaInvocationError`. */
export interface LambdaInvocationErrorOptions extends LambdaFaultOptions {
  /**
   * Whether the function's code is skipped (true) or runs and its result is replaced by the error (false).
   * @default true
   */
  readonly preventExecution?: boolean;
}

/** Options of `Fault.lambdaHttpResponse`. */
export interface LambdaHttpResponseOptions extends LambdaFaultOptions {
  /** HTTP status code returned to the API Gateway / load balancer integration, 100-599. */
  readonly statusCode: number;
  /**
   * Content-Type header of the response.
   * @default 'application/json'
   */
  readonly contentType?: string;
  /**
   * Whether the function's code is skipped.
   * @default true
   */
  readonly preventExecution?: boolean;
}

/** `type/subtype` with optional `; name=value` parameters, printable ASCII only (an HTTP header value, RFC 9110 section 8.3). */
const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=("[\x20-\x21\x23-\x7e]*"|[\w.+-]+))*$/;
const MAX_CONTENT_TYPE_LENGTH = 256;

/** Lambda's invocation limit: a delay beyond it only times the function out. */
const MAX_DELAY_MS = 900_000;

function isFunction(x: unknown): boolean {
  return typeof x === 'object' && x !== null && typeof (x as lambda.IFunction).functionArn === 'string';
}

/** The action shared by the three Lambda faults. */
function lambdaAction(
  definition: FisActionDefinition, target: Targets, options: LambdaFaultOptions | undefined, context: FaultContext,
  read: (reader: OptionReader) => { parameters: Record<string, string>; what: string },
): ResolvedFault {
  const reader = new OptionReader(context.prop);
  const resolved = resourcesOf<lambda.IFunction>(reader, target, ['functions'], isFunction, 'a Lambda function');
  const percentage = reader.integer(options?.invocationPercentage, 'invocationPercentage', 1, 100, 100, ' (percent of invocations)');
  const seconds = reader.duration(options?.duration, context);
  const specific = read(reader);
  const functions = isTyped(resolved) ? resolved.resources : [];
  const targets = isTyped(resolved) ? byArns(reader, resolved, (f) => f.functionArn) : resolved;
  return reader.action(() => ({
    definition,
    description: `${specific.what} on ${percentage} % of invocations${forDuration(seconds)}`,
    parameters: { ...durationParameter(seconds), invocationPercentage: String(percentage), ...specific.parameters },
    target: targets,
    durationSeconds: seconds,
    lambdaFunctions: functions,
    usesLambdaExtension: true,
  }));
}

/** `aws:lambda:invocation-add-delay`. */
export function lambdaInvocationDelay(target: Targets, options: LambdaInvocationDelayOptions, context: FaultContext): ResolvedFault {
  return lambdaAction(FIS_ACTIONS.lambdaDelay, target, options, context, (reader) => {
    const delay = options?.delay;
    let ms = 0;
    if (!(delay instanceof Duration)) {
      reader.problem('delay', `is required: a Duration from 0 ms to 15 minutes (e.g. Duration.millis(800)), got ${describeValue(delay)}`);
    } else if (delay.isUnresolved()) {
      // asked before converting: Duration.minutes(token).toMilliseconds() throws
      reader.problem('delay', 'must be a concrete Duration from 0 ms to 15 minutes, got a token');
    } else {
      ms = delay.toMilliseconds({ integral: false });
      if (!Number.isInteger(ms) || ms < 0 || ms > MAX_DELAY_MS) {
        reader.problem('delay', `must be a whole number of milliseconds from 0 to ${MAX_DELAY_MS} (15 minutes, Lambda's timeout limit), got ${ms} ms`);
      }
    }
    return { parameters: { startupDelayMilliseconds: String(ms) }, what: `Adds ${ms} ms before the function's code runs` };
  });
}

/** `aws:lambda:invocation-error`. */
export function lambdaInvocationError(target: Targets, options: LambdaInvocationErrorOptions | undefined, context: FaultContext): ResolvedFault {
  return lambdaAction(FIS_ACTIONS.lambdaError, target, options, context, (reader) => {
    const prevent = reader.boolean(options?.preventExecution, 'preventExecution', true);
    return {
      parameters: { preventExecution: String(prevent) },
      what: `Fails invocations${prevent ? ' without running the code' : ' after the code ran'}`,
    };
  });
}

/** `aws:lambda:invocation-http-integration-response`. */
export function lambdaHttpResponse(target: Targets, options: LambdaHttpResponseOptions, context: FaultContext): ResolvedFault {
  return lambdaAction(FIS_ACTIONS.lambdaHttpResponse, target, options, context, (reader) => {
    if (options?.statusCode === undefined) {
      reader.problem('statusCode', 'is required: the HTTP status code to answer, 100-599 (e.g. 503)');
    }
    const status = options?.statusCode === undefined ? NaN : reader.integer(options.statusCode, 'statusCode', 100, 599, NaN, ' (an HTTP status code)');
    const contentType = options?.contentType ?? 'application/json';
    // type/subtype, optionally with parameters (`; charset=utf-8`); no control characters: it becomes an HTTP header
    if (typeof contentType !== 'string' || contentType.length > MAX_CONTENT_TYPE_LENGTH || !MEDIA_TYPE.test(contentType)) {
      reader.problem('contentType', `must be a media type such as 'application/json', got ${describeValue(contentType)}`);
    }
    const prevent = reader.boolean(options?.preventExecution, 'preventExecution', true);
    return {
      parameters: { statusCode: String(status), contentTypeHeader: contentType, preventExecution: String(prevent) },
      what: `Answers HTTP ${status}${prevent ? ' without running the code' : ''}`,
    };
  });
}
