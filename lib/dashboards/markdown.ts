/**
 * Text for the dashboards' markdown widgets. Pure (no construct scope).
 */
import { Token } from 'aws-cdk-lib';

/** `text` with markdown's emphasis, link, code and HTML characters escaped, so that it reads as written. Tokens are left alone. */
export function escapeMarkdown(text: string): string {
  if (Token.isUnresolved(text)) {
    return text;
  }
  return text.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}

/**
 * The console page of a dashboard, in the region the dashboard's stack is deployed to
 * (`region` may be a token).
 */
export function dashboardConsoleUrl(region: string, dashboardName: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${encodeURIComponent(dashboardName)}`;
}
