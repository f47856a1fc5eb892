/**
 * The acknowledge function's HTML pages. Every dynamic value goes through `escapeHtml`. Pure.
 */

export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface Page {
  readonly statusCode: number;
  readonly title: string;
  /** Trusted HTML built by the functions below (dynamic values already escaped). */
  readonly bodyHtml: string;
}

const STYLE = 'body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#111}'
  + 'dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}'
  + 'button{font-size:1.1rem;padding:.6rem 1.4rem;cursor:pointer}input{font-size:1rem;padding:.4rem;width:16rem}'
  + '.muted{color:#555;font-size:.9rem}';

export function renderPage(page: Page): string {
  return '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    + '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex,nofollow">'
    + `<title>${escapeHtml(page.title)}</title><style>${STYLE}</style></head>`
    + `<body><h1>${escapeHtml(page.title)}</h1>${page.bodyHtml}</body></html>`;
}

/** `2024-05-01 10:00:00 UTC`. */
export function formatTime(iso: string | undefined): string {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(ms) ? String(iso ?? 'an unknown time') : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export interface IncidentSummary {
  readonly alarmName: string;
  readonly severity: string;
  readonly incidentStart: string;
  readonly status: string;
  readonly level: number;
  readonly reason?: string;
}

function details(s: IncidentSummary): string {
  const rows: Array<[string, string]> = [
    ['Alarm', s.alarmName],
    ['Severity', s.severity],
    ['Started', formatTime(s.incidentStart)],
    ['Status', s.status],
    ['Escalated to', `level ${s.level + 1}`],
  ];
  if (s.reason) {
    rows.push(['Reason', s.reason]);
  }
  return `<dl>${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

/** GET: what the link is about and a button; nothing is acknowledged until the button is pressed. */
export function confirmPage(s: IncidentSummary, token: string, linkLevel: number): Page {
  return {
    statusCode: 200,
    title: `Acknowledge ${s.alarmName}?`,
    bodyHtml: details(s)
      + `<p>Acknowledging tells everyone notified so far that you are handling it and stops the escalation `
      + `(this link was sent to level ${escapeHtml(linkLevel + 1)}).</p>`
      + '<form method="post">'
      + `<input type="hidden" name="t" value="${escapeHtml(token)}">`
      + '<p><label>Your name <input name="by" maxlength="64" autocomplete="name" placeholder="optional"></label></p>'
      + '<p><button type="submit">Acknowledge</button></p></form>',
  };
}

/**
 * After a recorded acknowledgement. `told`: whether the escalation function was invoked to tell
 * the levels notified so far; when it could not be, the page says so (500: submitting again retries it). The acknowledgement stands
 * either way: the escalation function checks the status before every step, so no further level
 * is paged, and the next escalation step (pending while the incident was `open`) sends the
 * acknowledgement notices then.
 */
export function acknowledgedPage(s: IncidentSummary, by: string, at: string, told = true): Page {
  const wasOpen = s.status === 'open';
  const next = told
    ? '<p>The escalation has stopped and everyone notified so far is being told who is handling it.</p>'
    : '<p><strong>The acknowledgement is recorded, but the people notified so far have not been told yet.</strong> '
      + 'The escalation function could not be reached to tell them (and to acknowledge in PagerDuty). '
      + (wasOpen
        ? 'No further level will be paged: the next escalation step sees the acknowledgement, stops, and tells them then. '
        : '')
      + 'Reload this page (your browser submits again) to retry telling them: nothing else changes. Or tell them yourself that you are handling it.</p>';
  return {
    // 500 when they were not told: the person (or their browser) retries.
    statusCode: told ? 200 : 500,
    title: 'Acknowledged',
    bodyHtml: `<p>${escapeHtml(by)} acknowledged ${escapeHtml(s.alarmName)} at ${escapeHtml(formatTime(at))}.</p>`
      + next + details({ ...s, status: 'acknowledged' }),
  };
}

/** Already acknowledged, resolved or replaced: 409 with who and when. */
export function conflictPage(s: IncidentSummary | undefined, info: { ackedBy?: string; ackedAt?: string; resolvedAt?: string; replaced?: boolean; yours?: boolean }): Page {
  let message: string;
  if (!s || info.replaced) {
    message = 'This incident is over: the alarm has recovered or a newer incident replaced it.';
  } else if (s.status === 'acknowledged') {
    message = `${info.yours ? 'This link was already used: ' : ''}${info.ackedBy ?? 'Someone'} acknowledged it at ${formatTime(info.ackedAt)}.`;
  } else if (s.status === 'resolved') {
    message = `The alarm recovered at ${formatTime(info.resolvedAt)}${info.ackedBy ? `; ${info.ackedBy} had acknowledged it at ${formatTime(info.ackedAt)}` : ''}.`;
  } else {
    message = `The incident is ${s.status}.`;
  }
  return {
    statusCode: 409,
    title: 'Nothing to acknowledge',
    bodyHtml: `<p>${escapeHtml(message)}</p>${s && !info.replaced ? details(s) : ''}`,
  };
}

export function errorPage(statusCode: number, title: string, message: string): Page {
  return { statusCode, title, bodyHtml: `<p>${escapeHtml(message)}</p>` };
}
