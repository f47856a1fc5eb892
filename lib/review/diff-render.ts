/**
 * A policy diff for people (Markdown for a pull-request comment) and for programs (JSON).
 * Pure and deterministic.
 */
import type { Effect } from './classify';
import { ChangeSummary, groupChanges, PolicyChange, summarize } from './diff';
import { plural } from '../private/format';
import { code, table } from './markdown';

/** What was compared, as given on the command line. */
export interface DiffSources {
  readonly before: string;
  readonly after: string;
}

const EFFECT_LABEL: Record<Effect, string> = {
  weakening: '**weakens**',
  strengthening: 'strengthens',
  neutral: 'neutral',
};

const MAX_VALUE = 80;

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  // never keep the first half of a surrogate pair whose second half is cut off
  return oneLine.length <= MAX_VALUE ? oneLine : `${oneLine.slice(0, MAX_VALUE - 1).replace(/[\uD800-\uDBFF]$/, '')}…`;
}

/** `objective: 99.9 % → 99.5 %`, `added: page 1 h / 5 min at 14.4x`, `removed`. */
function changeText(change: PolicyChange): string {
  const { aspect, before, after } = change;
  if (before !== undefined && after !== undefined) return `${aspect}: ${shorten(before)} → ${shorten(after)}`;
  if (after !== undefined) return aspect === 'added' ? `added: ${shorten(after)}` : `${aspect} added: ${shorten(after)}`;
  if (before !== undefined) return aspect === 'removed' ? `removed: ${shorten(before)}` : `${aspect} removed: ${shorten(before)}`;
  return aspect;
}

/** `7 changes: 3 weaken, 2 strengthen, 2 neutral`. */
export function summaryLine(summary: ChangeSummary): string {
  return `${plural(summary.total, 'change')}: ${summary.weakening} weaken, ${summary.strengthening} strengthen, ${summary.neutral} neutral`;
}

/** The diff as Markdown lines: a summary line, then one table per service, weakening first. */
export function renderDiffMarkdown(changes: readonly PolicyChange[], sources?: DiffSources): string[] {
  const summary = summarize(changes);
  const lines = ['## Reliability policy changes', ''];
  if (sources) {
    lines.push(`Compared ${code(sources.before)} (before) with ${code(sources.after)} (after).`, '');
  }
  lines.push(`**${summaryLine(summary)}**`);
  if (summary.total === 0) {
    lines.push('', 'The reliability policy is unchanged.');
    return lines;
  }
  if (summary.weakening > 0) {
    lines.push('', `${plural(summary.weakening, 'change weakens', 'changes weaken')} the reliability policy: `
      + 'customers can be hurt longer or more before someone is told. They are listed first.');
  }
  for (const group of groupChanges(changes)) {
    const heading = group.service ? `${code(group.stack)} / ${code(group.service)}` : `${code(group.stack)} (the stack)`;
    lines.push('', `### ${heading}`, '');
    lines.push(...table(
      ['effect', 'what', 'change', 'why'],
      group.changes.map((c) => [EFFECT_LABEL[c.effect], c.subject, changeText(c), c.reason]),
    ));
  }
  return lines;
}

/** The diff as a JSON document (changes in the Markdown's order). */
export function renderDiffJson(changes: readonly PolicyChange[], sources?: DiffSources): string {
  const ordered = groupChanges(changes).flatMap((g) => g.changes);
  return JSON.stringify({ ...(sources ?? {}), summary: summarize(changes), changes: ordered }, null, 2);
}
