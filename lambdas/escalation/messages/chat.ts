/**
 * Chat renderings: AWS Chatbot (Amazon Q Developer in chat applications) custom notifications,
 * delivered through the level topic's https subscription, and the JSON body POSTed to webhooks
 * (a `text` that Slack and Teams incoming webhooks render, plus structured fields). Pure.
 */
import { chatbotCustomNotification, escapeChatMarkdown, plainChatText } from '../../shared/sns-message';
import { chainText, formatTime, headline, levelText, nextText, Notice, subjectName, tierSentence } from './notice';
import { renderLongText } from './text';
import { slackEscape, withCleanName } from './untrusted';

/**
 * Text a person typed (the acknowledger's name) as literal markdown: what `escapeChatMarkdown`
 * escapes (the chat's formatting and control characters, `@channel` mentions), and `()|#!` too,
 * line breaks flattened, so `[x](https://evil)` or `<!channel>` shows as typed. (The acknowledge
 * function already keeps it to 64 printable characters.)
 */
export function escapeMarkdown(text: string): string {
  return escapeChatMarkdown(text.replace(/\s+/g, ' ')).replace(/[()|#!]/g, '\\$&');
}

/**
 * The notice with its free text cleaned and made safe for markdown: the acknowledger's name, and,
 * with `escapeNames` (AWS Chatbot's client-markdown), the user-chosen names (service, SLO, alarm)
 * as the digest escapes them. A Slack incoming webhook's mrkdwn has no backslash escapes (Slack
 * escapes only `&`, `<`, `>`: https://api.slack.com/reference/surfaces/formatting#escaping), so
 * there the names stay verbatim (an alarm name copied from the message exists) and the line is
 * Slack-escaped whole.
 */
function forMarkdown(n: Notice, escapeNames = true): Notice {
  n = withCleanName(n);
  if (!escapeNames) {
    return n.ackedBy === undefined ? n : { ...n, ackedBy: escapeMarkdown(n.ackedBy) };
  }
  const facts = {
    ...n.facts,
    alarmName: escapeChatMarkdown(n.facts.alarmName),
    ...(n.facts.service !== undefined ? { service: escapeChatMarkdown(n.facts.service) } : {}),
    ...(n.facts.slo !== undefined ? { slo: escapeChatMarkdown(n.facts.slo) } : {}),
  };
  return { ...n, facts, ...(n.ackedBy !== undefined ? { ackedBy: escapeMarkdown(n.ackedBy) } : {}) };
}

/**
 * The notice with its free text cleaned and Slack-escaped, for the webhook's structured fields
 * and its plain-text `details`: a Slack workflow that inserts them in a message cannot be made to
 * link or to mention `@channel`. (Decode `&amp;`, `&lt;`, `&gt;` to show the name elsewhere.)
 */
function forSlackFields(n: Notice): Notice {
  n = withCleanName(n);
  return n.ackedBy === undefined ? n : { ...n, ackedBy: slackEscape(n.ackedBy) };
}

function links(n: Notice): Array<{ label: string; url: string }> {
  const out: Array<{ label: string; url: string }> = [];
  if (n.ackUrl) {
    out.push({ label: 'Acknowledge', url: n.ackUrl });
  }
  if (n.facts.runbook) {
    out.push({ label: 'Runbook', url: n.facts.runbook });
  }
  if (n.facts.alarmUrl) {
    out.push({ label: 'Alarm', url: n.facts.alarmUrl });
  }
  if (n.facts.dashboardUrl) {
    out.push({ label: 'Dashboard', url: n.facts.dashboardUrl });
  }
  return out;
}

/**
 * The short markdown body shared by Chatbot and webhooks (`escapeNames`: see `forMarkdown`). Links
 * are bare URLs: every client turns them into links.
 */
function chatLines(n: Notice, escapeNames = true): string[] {
  n = forMarkdown(n, escapeNames);
  const f = n.facts;
  const lines: string[] = [];
  if (n.kind === 'alarm') {
    const tiers = f.firedTiers.length > 0 ? f.firedTiers : f.tiers;
    if (tiers.length > 0) {
      lines.push(`Tier: ${tiers.map(tierSentence).join('; ')}`);
    }
    if (f.objective) {
      lines.push(`SLO: ${f.objective}% over ${f.window ?? 'the SLO window'}${f.errorBudget ? `, error budget ${f.errorBudget}` : ''}`);
    }
    lines.push(`Alarm: ${f.alarmName}, since ${formatTime(n.incidentStart)}`);
    if (f.severity === 'page') {
      lines.push(`Escalation: ${levelText(n)}. ${nextText(n) ?? ''}`.trim());
    } else {
      lines.push(nextText(n) ?? '');
    }
  } else if (n.kind === 'exhausted') {
    lines.push(`Nobody acknowledged after every level was notified (${chainText(n)}): nobody will be paged again. `
      + `The alarm ${f.alarmName} is in ALARM since ${formatTime(n.incidentStart)}.`);
  } else if (n.kind === 'recovered') {
    const acked = n.ackedBy ? ` Acknowledged by ${n.ackedBy}.` : ' Nobody acknowledged it.';
    const what = {
      ok: `The alarm ${f.alarmName} is OK again (${formatTime(n.at)}).`,
      replaced: `The alarm ${f.alarmName} fired again at ${formatTime(n.at)} without an OK in between: this incident is closed, a new one is notified separately.`,
      deleted: `The alarm ${f.alarmName} was deleted: this incident is closed, escalation stopped.`,
    }[n.resolution ?? 'ok'];
    lines.push(`${what}${acked}`);
  } else {
    lines.push(`${n.ackedBy ?? 'Someone'} acknowledged at ${formatTime(n.ackedAt ?? n.at)}. Escalation stopped.`);
  }
  for (const l of links(n)) {
    lines.push(`${l.label}: ${l.url}`);
  }
  return lines.filter((l) => l.length > 0);
}

/** The `https` body of the SNS message: an AWS Chatbot custom notification. */
export function chatbotNotification(n: Notice): Record<string, unknown> {
  const eventType = {
    alarm: `SloBurn${n.facts.severity === 'page' ? 'Page' : 'Ticket'}`,
    exhausted: 'SloBurnUnanswered',
    acknowledged: 'SloBurnAcknowledged',
    recovered: (n.resolution ?? 'ok') === 'ok' ? 'SloBurnRecovered' : 'SloBurnClosed',
  }[n.kind];
  return chatbotCustomNotification({
    title: headline(forMarkdown(n)),
    // plain text (a push notification's preview): the names verbatim, mentions broken
    summary: plainChatText(headline(withCleanName(n))),
    // Chatbot renders client-markdown itself in Slack, Teams and Chime: no Slack escaping here
    // (free text is markdown-escaped in chatLines).
    description: chatLines(n).join('\n'),
    keywords: [n.facts.severity, ...(n.facts.service ? [n.facts.service] : []), ...(n.facts.slo ? [n.facts.slo] : [])],
    // Notifications of one incident (alarm, escalations, acknowledgement, recovery) share a thread.
    threadId: n.dedupKey,
    eventType,
  });
}

/** Escapes a line for Slack unless it is a `Label: <url>` line (URLs must stay intact). */
function slackEscapeUnlessUrl(line: string): string {
  return /^\w[\w ]*: https?:\/\/\S+$/.test(line) ? line : slackEscape(line);
}

/**
 * The JSON POSTed to webhooks: `text` in Slack mrkdwn (markdown-escaped too, for Teams), and
 * structured fields whose free text (the acknowledger's name) is cleaned and Slack-escaped.
 */
export function webhookBody(n: Notice): Record<string, unknown> {
  n = withCleanName(n);
  const fields = forSlackFields(n);
  const f = n.facts;
  return {
    text: [`*${slackEscape(headline(forMarkdown(n, false)))}*`, ...chatLines(n, false).map(slackEscapeUnlessUrl)].join('\n'),
    kind: n.kind,
    ...(n.kind === 'recovered' ? { resolution: n.resolution ?? 'ok' } : {}),
    severity: f.severity,
    policy: n.policy,
    alarmName: f.alarmName,
    service: f.service ?? null,
    slo: f.slo ?? null,
    objective: f.objective ?? null,
    window: f.window ?? null,
    errorBudget: f.errorBudget ?? null,
    tiers: f.firedTiers.length > 0 ? f.firedTiers : f.tiers,
    reason: f.reason ?? null,
    incidentStart: n.incidentStart,
    at: n.at,
    level: n.level + 1,
    levelCount: n.levelCount,
    cycle: n.cycle + 1,
    ...(fields.ackedBy ? { acknowledgedBy: fields.ackedBy, acknowledgedAt: n.ackedAt ?? n.at } : {}),
    dedupKey: n.dedupKey,
    links: {
      acknowledge: n.ackUrl ?? null,
      runbook: f.runbook ?? null,
      alarm: f.alarmUrl ?? null,
      dashboard: f.dashboardUrl ?? null,
    },
    details: renderLongText(fields),
    subject: subjectName(n),
  };
}
