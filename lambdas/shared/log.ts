/**
 * Structured JSON logs, one object per line. Never pass secrets (webhook URLs, routing keys,
 * tokens, the signing key) as fields: name the target instead (`webhook[0]`). `errorFields`
 * strips URLs and token-like strings from error messages, which may quote them.
 */

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
export type LogFields = Record<string, unknown>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

export function createLogger(base: LogFields = {}): Logger {
  const write = (level: LogLevel, msg: string, fields?: LogFields) => {
    // `level` and `msg` are the logger's own: a field of the same name cannot replace them.
    const line = { ...base, ...fields, level, msg, time: new Date().toISOString() };
    // eslint-disable-next-line no-console
    console.log(JSON.stringify(line));
  };
  return {
    info: (msg, fields) => write('INFO', msg, fields),
    warn: (msg, fields) => write('WARN', msg, fields),
    error: (msg, fields) => write('ERROR', msg, fields),
    child: (fields) => createLogger({ ...base, ...fields }),
  };
}

const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;
/** An acknowledge token: `<payload>.<signature>`, both base64url. */
const TOKEN_PATTERN = /[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}/g;

/** Removes URLs (webhook URLs are credentials) and acknowledge tokens from a message. */
export function redact(text: string): string {
  return text.replace(URL_PATTERN, '<url>').replace(TOKEN_PATTERN, '<redacted>');
}

/** Loggable fields of an error: its name, a redacted message and HTTP status when known. */
export function errorFields(err: unknown): LogFields {
  if (err instanceof Error) {
    const status = (err as { status?: unknown }).status ?? (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    return { errorName: err.name, errorMessage: redact(err.message), ...(typeof status === 'number' ? { httpStatus: status } : {}) };
  }
  return { errorName: typeof err, errorMessage: redact(String(err)) };
}
