/**
 * Plain-text renderings: the e-mail subject and body (complete), and the SMS (short). Pure.
 */
import { formatTime, headline, levelText, nextText, Notice, openFor, shortTier, subjectName, tierSentence } from './notice';

/** SNS subjects: at most 100 printable ASCII characters, no line breaks. */
export const MAX_SUBJECT_LENGTH = 100;
/** The SMS text before the acknowledge link stays below one 140-character message. */
export const MAX_SMS_TEXT_LENGTH = 139;

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function ascii(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

export function subject(n: Notice): string {
  const line = ascii(headline(n).replace(/\s+/g, ' ')).trim();
  return line.length <= MAX_SUBJECT_LENGTH ? line : `${line.slice(0, MAX_SUBJECT_LENGTH - 3)}...`;
}

function row(label: string, value: string | undefined): string[] {
  return value ? [`  ${`${label}:`.padEnd(14)}${value}`] : [];
}

function sloLine(n: Notice): string | undefined {
  const f = n.facts;
  if (!f.objective) {
    return f.slo;
  }
  const budget = f.errorBudget ? ` (error budget ${f.errorBudget})` : '';
  return `${f.slo ?? subjectName(n)}: ${f.objective}% good over ${f.window ?? 'the SLO window'}${budget}`;
}

function tierLines(n: Notice): string[] {
  const f = n.facts;
  if (f.firedTiers.length > 0) {
    return row(f.firedTiers.length > 1 ? 'Tiers' : 'Tier', f.firedTiers.map(tierSentence).join('; and '));
  }
  if (f.tiers.length > 0) {
    return row('Fires at', f.tiers.map(tierSentence).join('; or '));
  }
  return row('Description', f.description);
}

function linkLines(n: Notice): string[] {
  return [
    ...row('Runbook', n.facts.runbook),
    ...row('Alarm', n.facts.alarmUrl),
    ...row('Dashboard', n.facts.dashboardUrl),
  ];
}

function footer(n: Notice): string[] {
  return ['', `-- cdk-reliability escalation policy "${n.policy}", incident ${n.facts.alarmName} started ${formatTime(n.incidentStart)}`];
}

function alarmText(n: Notice): string[] {
  const f = n.facts;
  const intro = f.severity === 'page'
    ? `${subjectName(n)} is burning its error budget fast enough to exhaust it within days. Someone needs to look now.`
    : `${subjectName(n)} is spending its error budget faster than the SLO allows. Handle it during working hours.`;
  return [
    headline(n),
    '',
    intro,
    '',
    ...(n.ackUrl ? ['Acknowledge (stops the escalation):', `  ${n.ackUrl}`, ''] : []),
    'What fired',
    ...row('Alarm', `${f.alarmName} (ALARM since ${formatTime(n.incidentStart)})`),
    ...tierLines(n),
    ...row('Reason', f.reason),
    '',
    'The SLO',
    ...row('Service', f.service),
    ...row('SLO', sloLine(n)),
    '',
    'Links',
    ...linkLines(n),
    '',
    'Escalation',
    ...(f.severity === 'page' ? [`  You are ${levelText(n)}.`] : []),
    ...(nextText(n) ? [`  ${nextText(n)}`] : []),
    ...footer(n),
  ];
}

function recoveredText(n: Notice): string[] {
  const ack = n.ackedBy
    ? `It was acknowledged by ${n.ackedBy} at ${formatTime(n.ackedAt ?? n.at)}.`
    : 'Nobody acknowledged it.';
  return [
    headline(n),
    '',
    `${subjectName(n)} recovered: the alarm ${n.facts.alarmName} returned to OK at ${formatTime(n.at)}, `
      + `${openFor(n)} after it fired. ${ack} No further escalation.`,
    '',
    'Links',
    ...linkLines(n),
    ...footer(n),
  ];
}

function acknowledgedText(n: Notice): string[] {
  return [
    headline(n),
    '',
    `${n.ackedBy ?? 'Someone'} acknowledged ${subjectName(n)} at ${formatTime(n.ackedAt ?? n.at)} `
      + `and will handle it. The escalation has stopped; you will hear again when the alarm recovers.`,
    '',
    'Links',
    ...linkLines(n),
    ...footer(n),
  ];
}

/** The complete message: e-mail, and the default for other protocols. */
export function longText(n: Notice): string {
  const lines = n.kind === 'alarm' ? alarmText(n) : n.kind === 'recovered' ? recoveredText(n) : acknowledgedText(n);
  return lines.join('\n');
}

/** The SMS: under 140 characters, then the acknowledge link when there is one. */
export function smsText(n: Notice): string {
  const name = subjectName(n);
  let text: string;
  switch (n.kind) {
    case 'alarm': {
      const tier = shortTier(n);
      const level = n.facts.severity === 'page' ? ` L${n.level + 1}/${n.levelCount}` : '';
      text = `${n.facts.severity.toUpperCase()} ${truncate(name, 60)}: budget burn${tier ? ` ${tier}` : ''}.${level}${n.ackUrl ? ' Ack:' : ''}`;
      break;
    }
    case 'recovered':
      text = `RECOVERED ${truncate(name, 60)} (${n.facts.severity}): ${openFor(n)} after it fired. No action needed.`;
      break;
    case 'acknowledged':
      text = `ACK ${truncate(name, 60)}: ${truncate(n.ackedBy ?? 'someone', 40)} is handling it. Escalation stopped.`;
      break;
  }
  text = truncate(text, MAX_SMS_TEXT_LENGTH);
  return n.kind === 'alarm' && n.ackUrl ? `${text} ${n.ackUrl}` : text;
}
