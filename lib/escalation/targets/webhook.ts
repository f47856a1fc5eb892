/** `Notify.webhook` and `Notify.webhookFromSecret`: an HTTPS URL the escalation function posts to, inline or read from a secret at run time. */
import { Annotations, Token } from 'aws-cdk-lib';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { NotifyTargetBindOptions, NotifyTargetConfig } from '../notify-target';
import { referenceProblem, webhookUrlProblem } from '../validation';
import { addressIdentity } from './address';
import { CheckedNotifyTarget } from './target';

/** Where the URL is: given inline, or the SecretString of a secret. */
export interface WebhookSource {
  readonly url?: string;
  readonly secret?: ISecret;
}

export class NotifyWebhook extends CheckedNotifyTarget {
  public static readonly KIND = 'webhook';

  constructor(private readonly source: WebhookSource) {
    super();
  }

  public _problem(): string | undefined {
    const { url, secret } = this.source;
    if (url === undefined && secret === undefined) {
      return 'webhook needs a URL (Notify.webhook) or a secret holding it (Notify.webhookFromSecret), got neither';
    }
    return url !== undefined
      ? webhookUrlProblem(url)
      : referenceProblem('Notify.webhookFromSecret needs the Secrets Manager secret whose SecretString is the webhook URL (an ISecret, e.g. '
        + 'secretsmanager.Secret.fromSecretNameV2(...))', secret, 'secretArn');
  }

  public _describe(): string {
    return this.source.url !== undefined ? `webhook ${String(this.source.url)}` : 'webhook (URL in a secret)';
  }

  public _identity(): string | undefined {
    return addressIdentity(NotifyWebhook.KIND, this.source.url);
  }

  /** Warns when an inline URL looks like it embeds a credential: it would sit in the template. */
  public bind(scope: Construct, options: NotifyTargetBindOptions): NotifyTargetConfig {
    const { url, secret } = this.source;
    if (url === undefined) {
      return { kind: NotifyWebhook.KIND, webhookUrlSecret: secret };
    }
    if (!Token.isUnresolved(url) && looksLikeItEmbedsACredential(url)) {
      Annotations.of(scope).addWarningV2('cdk-reliability:webhook-url-in-template',
        `${scope.node.path}: ${options.prop}: the webhook URL ${new URL(url).host}/… looks like it embeds a credential (a Slack webhook or a query string); `
        + 'inline URLs are stored in the template and the function\'s environment. Keep it in Secrets Manager and use Notify.webhookFromSecret(secret).');
    }
    return { kind: NotifyWebhook.KIND, webhookUrl: url };
  }
}

/** Slack incoming webhooks and URLs with a query string usually carry a token. */
function looksLikeItEmbedsACredential(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.hostname === 'hooks.slack.com' || parsed.search !== '' || parsed.username !== '' || parsed.password !== '';
  } catch {
    return false;
  }
}
