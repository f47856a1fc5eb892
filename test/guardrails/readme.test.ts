/**
 * The README's rule table is derived from the rules; this keeps it accurate.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SUPPRESSION_RULE_ID, MIN_REASON_LENGTH } from '../../lib/guardrails/suppressions';
import { RELIABILITY_RULES } from '../../lib/guardrails/rules';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'guardrails.md'), 'utf8');
const BLOCK = /<!-- reliability-rules:start -->\n([\s\S]*?)<!-- reliability-rules:end -->/.exec(README);

/** The table as the README shows it. */
function ruleTable(): string {
  return [
    '| id | name | level | requires | why |',
    '|---|---|---|---|---|',
    `| \`${SUPPRESSION_RULE_ID}\` | \`acknowledgement-reason\` | fatal | every acknowledgement of a rule of the checks (a \`RELIABILITY-*\` id, a custom rule's id, any id in the plugin's namespace) names a rule that exists and gives a reason of at least ${MIN_REASON_LENGTH} characters | an acknowledgement without a reason is a silenced alarm; this one cannot be acknowledged |`,
    ...RELIABILITY_RULES.map((r) => `| \`${r.id}\` | \`${r.name}\` | ${r.level} | ${r.summary} | ${r.explanation} |`),
  ].join('\n');
}

test('the README\'s rule table lists every rule with its level, what it requires and why', () => {
  expect(BLOCK?.[1].trim()).toEqual(ruleTable());
});
