/**
 * Plain-text renderings: the e-mail subject and body (complete), and the SMS (short). Pure.
 */
import { cut, gsm, MAX_SNS_SUBJECT_LENGTH, snsSubject } from '../../shared/sns-message';
import {
  chainText, formatTime, headline, levelText, nextText, Notice, openFor, subjectName, tierSentence,
} from './notice';
import { truncate, withCleanName } from './untrusted';

export { truncate };

/** SNS subjects: printable ASCII, no line breaks, fewer than 100 characters. */
export const MAX_SUBJECT_LENGTH = MAX_SNS_SUBJECT_LENGTH;
/** One SMS segment: 160 GSM-7 characters. SMS without a link (recovery, acknowledgement) fit one. */
export const MAX_SMS_TEXT_LENGTH = 160;
/** Two concatenated segments: 2 x 153 GSM-7 characters. */
export const MAX_SMS_TWO_SEGMENTS = 306;

export function subject(n: Notice): string {
  n = withCleanName(n);
  return snsSubject(headline(n));
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

function exhaustedText(n: Notice): string[] {
  return [
    headline(n),
    '',
    `Nobody acknowledged ${subjectName(n)}: every level was notified (${chainText(n)}) and the escalation has run out. `
      + `The alarm ${n.facts.alarmName} has been in ALARM since ${formatTime(n.incidentStart)} and nobody will be paged again `
      + 'for it. Someone needs to look now.',
    '',
    ...(n.ackUrl ? ['Acknowledge (tells everyone notified that you are handling it):', `  ${n.ackUrl}`, ''] : []),
    'Links',
    ...linkLines(n),
    ...footer(n),
  ];
}

function recoveredText(n: Notice): string[] {
  const ack = n.ackedBy
    ? `It was acknowledged by ${n.ackedBy} at ${formatTime(n.ackedAt ?? n.at)}.`
    : 'Nobody acknowledged it.';
  let what: string;
  switch (n.resolution ?? 'ok') {
    case 'replaced':
      what = `This incident of ${subjectName(n)} is closed: the alarm ${n.facts.alarmName} went to ALARM again at ${formatTime(n.at)} `
        + 'without an OK in between (the OK was lost, or the alarm passed through INSUFFICIENT_DATA). A new incident was opened '
        + `and is notified separately. ${ack}`;
      break;
    case 'deleted':
      what = `This incident of ${subjectName(n)} is closed: the alarm ${n.facts.alarmName} no longer exists (it was deleted, `
        + `for example by a deployment), so nothing can tell when it recovers. ${ack} No further escalation.`;
      break;
    default:
      what = `${subjectName(n)} recovered: the alarm ${n.facts.alarmName} returned to OK at ${formatTime(n.at)}, `
        + `${openFor(n)} after it fired. ${ack} No further escalation.`;
  }
  return [
    headline(n),
    '',
    what,
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
  return renderLongText(withCleanName(n));
}

/** `longText` of a notice whose free text was already made safe for where it goes (the webhook's Slack-escaped `details`). */
export function renderLongText(n: Notice): string {
  const lines = { alarm: alarmText, exhausted: exhaustedText, recovered: recoveredText, acknowledged: acknowledgedText }[n.kind](n);
  return lines.join('\n');
}

/** `14.4x 1h/5m` for the first fired tier, or `''`. */
function smsTier(n: Notice): string {
  const t = n.facts.firedTiers[0];
  if (!t) {
    return '';
  }
  return t.burnRate !== undefined ? `${t.burnRate}x ${t.longWindow}/${t.shortWindow}` : `${t.longWindow}/${t.shortWindow}`;
}

/** The shortest the text before the link is cut to, when even two segments cannot hold the link. */
const MIN_SMS_HEAD = 40;

/**
 * The SMS, GSM-7 only. With an acknowledge link (alarm, nobody answered) the link comes first:
 * `PAGE checkout/availability 14.4x 1h/5m. Ack: <url>`, the text cut so that the whole fits one
 * segment (160) when it can, else two (306); a link too long even for that (an alarm name of
 * ~80+ characters) is still sent whole. Without a link: one segment.
 */
export function smsText(n: Notice): string {
  n = withCleanName(n);
  const name = gsm(subjectName(n));
  let text: string;
  switch (n.kind) {
    case 'alarm':
    case 'exhausted': {
      const what = n.kind === 'alarm' ? `${n.facts.severity.toUpperCase()} ${name}${smsTier(n) ? ` ${smsTier(n)}` : ''}`
        : `UNANSWERED ${name}: nobody acked, escalation over`;
      if (!n.ackUrl) {
        return cut(`${what}.`, MAX_SMS_TEXT_LENGTH);
      }
      const link = ` Ack: ${n.ackUrl}`;
      const room = (`${what}.${link}`.length <= MAX_SMS_TEXT_LENGTH ? MAX_SMS_TEXT_LENGTH : MAX_SMS_TWO_SEGMENTS) - link.length;
      return `${cut(`${what}.`, Math.max(MIN_SMS_HEAD, room))}${link}`;
    }
    case 'recovered': {
      const why = { ok: `${openFor(n)} after it fired. No action needed.`, replaced: 'replaced by a new incident; see the new page.', deleted: 'the alarm was deleted; escalation stopped.' };
      const verb = (n.resolution ?? 'ok') === 'ok' ? 'RECOVERED' : 'CLOSED';
      text = `${verb} ${cut(name, 60)} (${n.facts.severity}): ${why[n.resolution ?? 'ok']}`;
      break;
    }
    case 'acknowledged':
      text = `ACK ${cut(name, 60)}: ${cut(gsm(n.ackedBy ?? 'someone'), 40)} is handling it. Escalation stopped.`;
      break;
  }
  return cut(text, MAX_SMS_TEXT_LENGTH);
}
