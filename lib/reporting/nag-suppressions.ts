/**
 * The cdk-nag findings a reliability report keeps on purpose, each on its own resource, with the
 * reason (see lib/nag/suppressions.ts). Everything else the AwsSolutions and Serverless packs ask
 * for is done: customer-managed key with rotation, a versioned TLS-only private bucket encrypted
 * with it, a TLS-only encrypted topic and queue, log retention, the latest Node.js runtime,
 * reserved concurrency, an on-failure destination.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { suppressNagFindings, wildcardResourceFinding } from '../nag/suppressions';

/** The parts of a report whose cdk-nag findings are suppressed. */
export interface ReportNagParts {
  readonly bucket: s3.Bucket;
  readonly deadLetterQueue: sqs.Queue;
  readonly reportFunction: lambda.Function;
  /** The policy holding only the statements that need `*` or account-wide patterns. */
  readonly readPolicy: iam.Policy;
  readonly role: iam.Role;
  readonly schedulerRole: iam.Role;
  readonly retryAttempts: number;
  /** `<bucket>/reports/<stack>/*`. */
  readonly objectsArn: string;
  /** `arn:…:logs:<region>:<account>:log-group:*`. */
  readonly logGroupsArn: string;
  /** `arn:…:fis:<region>:<account>:experiment/*`. */
  readonly experimentsArn: string;
}

/** Suppresses the cdk-nag findings a reliability report keeps, each on the resource that has it. */
export function suppressReportNagFindings(p: ReportNagParts): void {
  suppressNagFindings(p.bucket, {
    id: 'AwsSolutions-S1',
    reason: 'The archive of reliability reports is written only by the report function (s3:PutObject on its prefix) and read by people '
      + 'with their own IAM access; CloudTrail data events record object access if the account wants it. A server access log bucket '
      + 'would be a second bucket per report holding less than CloudTrail.',
  });
  suppressNagFindings(p.deadLetterQueue,
    {
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue (the function\'s on-failure destination, the schedule\'s dead-letter queue, the redrive '
        + 'target of the email and SMS subscriptions): a dead-letter queue of a dead-letter queue would hold nothing; every new message raises an alarm.',
    },
    {
      id: 'Serverless-SQSRedrivePolicy',
      reason: 'This queue is itself the dead-letter queue (nobody consumes it automatically, so nothing is ever redriven); every new message raises an alarm.',
    });
  suppressNagFindings(p.reportFunction,
    {
      id: 'Serverless-LambdaDLQ',
      reason: 'Failed asynchronous invocations go to an on-failure destination (EventInvokeConfig: the report\'s dead-letter queue, after '
        + `${p.retryAttempts} retries), which does DeadLetterConfig's job with the whole invocation record; new messages raise the dead-letter alarm.`,
    },
    {
      id: 'Serverless-LambdaTracing',
      reason: 'A weekly batch job watched by its errors, delivery-failures and dead-letter alarms and structured JSON logs; active X-Ray '
        + 'tracing would add xray:PutTraceSegments/PutTelemetryRecords on * to the role for no operational gain.',
    });
  suppressNagFindings(p.readPolicy,
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Read-only actions without resource-level permissions (Service Authorization Reference): cloudwatch:GetMetricData, '
        + 'fis:ListExperiments, fis:ListExperimentTemplates, logs:GetQueryResults; cloudwatch:DescribeAlarms returns composite alarms only '
        + 'when scoped to *; cloudwatch:DescribeAlarmHistory is called without an alarm name (one paged scan of the composite alarms). '
        + 'This policy holds nothing else.',
    },
    {
      id: wildcardResourceFinding(p.readPolicy, p.logGroupsArn),
      reason: 'logs:DescribeMetricFilters and logs:DescribeLogGroups (read-only, no log data): the report finds each escalation policy\'s '
        + 'log group by its metric filter before it knows the group\'s name; scoped to this account and region.',
    },
    {
      id: wildcardResourceFinding(p.readPolicy, p.experimentsArn),
      reason: 'fis:GetExperiment (read-only): experiment ids are created at run time by FIS; scoped to this account and region.',
    });
  suppressNagFindings(p.role, {
    id: wildcardResourceFinding(p.role, p.objectsArn),
    reason: 's3:PutObject on the report\'s own prefix (reports/<stack>/*) of its own bucket: one key per day and format, named at run time.',
  });
  suppressNagFindings(p.schedulerRole, {
    id: wildcardResourceFinding(p.schedulerRole, `${p.reportFunction.functionArn}:*`),
    reason: 'lambda:InvokeFunction on the report function\'s versions and aliases, as aws-cdk-lib\'s LambdaInvoke target grants it; the function itself is named.',
  });
}
