/**
 * Chat renderings: AWS Chatbot (Amazon Q Developer in chat applications) custom notifications,
 * delivered through the level topic's https subscription, and the JSON body POSTed to webhooks
 * (a `text` that Slack and Teams incoming webhooks render, plus structured fields). Pure.
 */
import { formatTime, headline, levelText, nextText, Notice, subjectName, tierSentence } from './notice';
import { longText, truncate } from './text';

/** Slack mrkdwn control characters in free text. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
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

/** The short markdown body shared by Chatbot and webhooks. Links are bare URLs: every client turns them into links. */
function chatLines(n: Notice): string[] {
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
  } else if (n.kind === 'recovered') {
    lines.push(`The alarm ${f.alarmName} is OK again (${formatTime(n.at)}).${n.ackedBy ? ` Acknowledged by ${n.ackedBy}.` : ' Nobody acknowledged it.'}`);
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
  const eventType = n.kind === 'alarm' ? `SloBurn${n.facts.severity === 'page' ? 'Page' : 'Ticket'}` : n.kind === 'recovered' ? 'SloBurnRecovered' : 'SloBurnAcknowledged';
  return {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: truncate(headline(n), 250),
      // Chatbot renders client-markdown itself in Slack, Teams and Chime: no Slack escaping here.
      description: truncate(chatLines(n).join('\n'), 4000),
      keywords: [n.facts.severity, ...(n.facts.service ? [n.facts.service] : []), ...(n.facts.slo ? [n.facts.slo] : [])],
    },
    metadata: {
      // Notifications of one incident (alarm, escalations, acknowledgement, recovery) share a thread.
      threadId: n.dedupKey,
      summary: truncate(headline(n), 250),
      eventType,
    },
  };
}

/** Escapes a line for Slack unless it is a `Label: <url>` line (URLs must stay intact). */
function slackEscapeUnlessUrl(line: string): string {
  return /^\w[\w ]*: https?:\/\/\S+$/.test(line) ? line : slackEscape(line);
}

/** The JSON POSTed to webhooks. */
export function webhookBody(n: Notice): Record<string, unknown> {
  const f = n.facts;
  return {
    text: [`*${slackEscape(headline(n))}*`, ...chatLines(n).map(slackEscapeUnlessUrl)].join('\n'),
    kind: n.kind,
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
    ...(n.ackedBy ? { acknowledgedBy: n.ackedBy, acknowledgedAt: n.ackedAt ?? n.at } : {}),
    dedupKey: n.dedupKey,
    links: {
      acknowledge: n.ackUrl ?? null,
      runbook: f.runbook ?? null,
      alarm: f.alarmUrl ?? null,
      dashboard: f.dashboardUrl ?? null,
    },
    details: longText(n),
    subject: subjectName(n),
  };
}
