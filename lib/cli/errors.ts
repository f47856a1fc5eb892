/**
 * Errors the commands throw, and the translation of AWS SDK errors into messages that say what to
 * do. `run()` prints a `CliError`'s message and exits with its code; anything else is explained
 * with `explainError` and exits 1.
 */
import { ExitCode } from './exit-codes';

/** An error whose message is meant for the user as it is. */
export class CliError extends Error {
  constructor(message: string, public readonly exitCode: number = ExitCode.ERROR) {
    super(message);
    this.name = 'CliError';
  }
}

/** A mistake on the command line; `run()` prints the message, then the command's usage, and exits 64. */
export class UsageError extends CliError {
  constructor(message: string, public readonly commandName?: string) {
    super(message, ExitCode.USAGE);
    this.name = 'UsageError';
  }
}

/** Error names and codes that mean "the credentials are missing, expired or not valid". */
const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'TokenRefreshRequired',
]);

const ACCESS_ERRORS = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);

const THROTTLING_ERRORS = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ServiceQuotaExceededException',
]);

const NETWORK_ERRORS = new Set(['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'TimeoutError']);

function errorFields(err: unknown): { name: string; code: string; message: string } {
  if (err instanceof Error) {
    const e = err as Error & { code?: unknown; Code?: unknown };
    const code = typeof e.code === 'string' ? e.code : typeof e.Code === 'string' ? e.Code : '';
    return { name: e.name, code, message: e.message };
  }
  return { name: '', code: '', message: String(err) };
}

/** True for errors that no retry will fix: credentials, permissions, a missing region. */
export function isPermanentAwsError(err: unknown): boolean {
  const { name, code, message } = errorFields(err);
  return CREDENTIAL_ERRORS.has(name) || CREDENTIAL_ERRORS.has(code) || ACCESS_ERRORS.has(name)
    || ACCESS_ERRORS.has(code) || /Region is missing/i.test(message);
}

/** What the user was doing, to name it in messages. */
export interface ErrorContext {
  /** The profile from --profile. @default - none (the message names AWS_PROFILE from env if set) */
  readonly profile?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * One or two sentences saying what went wrong and what to do, for an error from the AWS SDK or
 * the file system. Unknown errors are shown as `Name: message`.
 */
export function explainError(err: unknown, context: ErrorContext = {}): string {
  if (err instanceof CliError) {
    return err.message;
  }
  const { name, code, message } = errorFields(err);
  if (CREDENTIAL_ERRORS.has(name) || CREDENTIAL_ERRORS.has(code) || /Could not load credentials/i.test(message)) {
    const profile = context.profile ?? context.env?.AWS_PROFILE;
    const using = profile ? ` (profile '${profile}')` : '';
    return `no valid AWS credentials${using}: ${name || code}: ${message}\n`
      + 'Set AWS_PROFILE or pass --profile <name>, run `aws sso login` if the profile uses IAM Identity Center, '
      + 'or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials).';
  }
  if (/Region is missing/i.test(message)) {
    return 'no AWS region: pass --region <region> or set AWS_REGION (or a region in your profile).';
  }
  if (ACCESS_ERRORS.has(name) || ACCESS_ERRORS.has(code)) {
    return `access denied: ${message}\nThe identity you run as needs the permission named above; check --profile.`;
  }
  if (THROTTLING_ERRORS.has(name) || THROTTLING_ERRORS.has(code)) {
    return `AWS is throttling requests (${name}: ${message}); wait a minute and try again.`;
  }
  if (NETWORK_ERRORS.has(code) || NETWORK_ERRORS.has(name)) {
    return `could not reach AWS (${code || name}: ${message}); check the network, proxy settings and --region.`;
  }
  if (code === 'ENOENT') {
    return message;
  }
  return name && name !== 'Error' ? `${name}: ${message}` : message;
}
