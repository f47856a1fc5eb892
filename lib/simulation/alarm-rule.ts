/**
 * CloudWatch composite alarm rules: `ALARM("x")`, `OK("x")`, `INSUFFICIENT_DATA("x")`, `TRUE`,
 * `FALSE`, `NOT`, `AND`, `OR` and parentheses (AND binds tighter than OR). Pure.
 */
import { quote, truncateCodePoints } from '../private/describe';

/** An alarm's state. */
export type AlarmStateName = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** A parsed rule. */
export type RuleNode =
  | { readonly kind: 'state'; readonly state: AlarmStateName; readonly alarm: string }
  | { readonly kind: 'const'; readonly value: boolean }
  | { readonly kind: 'not'; readonly operand: RuleNode }
  | { readonly kind: 'and' | 'or'; readonly operands: RuleNode[] };

/** Parses a rule in which alarms are named by any quoted string (an ARN, a name or a logical id). */
export function parseAlarmRule(source: string): RuleNode {
  const re = /\s*(?:(ALARM|OK|INSUFFICIENT_DATA)\s*\(\s*"([^"]*)"\s*\)|(TRUE|FALSE)|(AND|OR|NOT)|(\(|\)))/y;
  const tokens: { type: string; a?: string; b?: string }[] = [];
  let pos = 0;
  while (pos < source.length && !/^\s*$/.test(source.slice(pos))) {
    re.lastIndex = pos;
    const m = re.exec(source);
    if (!m) {
      throw new Error(`alarm rule: unexpected text at ${pos}: ${quote(truncateCodePoints(source.slice(pos, pos + 41), 20))}`);
    }
    pos = re.lastIndex;
    if (m[1]) {
      tokens.push({ type: 'state', a: m[1], b: m[2] });
    } else if (m[3]) {
      tokens.push({ type: 'const', a: m[3] });
    } else if (m[4]) {
      tokens.push({ type: m[4] });
    } else {
      tokens.push({ type: m[5] });
    }
  }
  let i = 0;
  const or = (): RuleNode => {
    const operands = [and()];
    while (tokens[i]?.type === 'OR') {
      i++;
      operands.push(and());
    }
    return operands.length === 1 ? operands[0] : { kind: 'or', operands };
  };
  const and = (): RuleNode => {
    const operands = [not()];
    while (tokens[i]?.type === 'AND') {
      i++;
      operands.push(not());
    }
    return operands.length === 1 ? operands[0] : { kind: 'and', operands };
  };
  const not = (): RuleNode => {
    if (tokens[i]?.type === 'NOT') {
      i++;
      return { kind: 'not', operand: not() };
    }
    const t = tokens[i++];
    if (!t) {
      throw new Error(`alarm rule: unexpected end of ${JSON.stringify(source)}`);
    }
    if (t.type === '(') {
      const inner = or();
      if (tokens[i++]?.type !== ')') {
        throw new Error(`alarm rule: missing ')' in ${JSON.stringify(source)}`);
      }
      return inner;
    }
    if (t.type === 'state') {
      return { kind: 'state', state: t.a as AlarmStateName, alarm: t.b! };
    }
    if (t.type === 'const') {
      return { kind: 'const', value: t.a === 'TRUE' };
    }
    throw new Error(`alarm rule: unexpected '${t.type}' in ${JSON.stringify(source)}`);
  };
  const node = or();
  if (i !== tokens.length) {
    throw new Error(`alarm rule: unexpected '${tokens[i].type}' in ${JSON.stringify(source)}`);
  }
  return node;
}

/** The alarms a rule reads. */
export function ruleAlarms(node: RuleNode, into = new Set<string>()): Set<string> {
  if (node.kind === 'state') {
    into.add(node.alarm);
  } else if (node.kind === 'not') {
    ruleAlarms(node.operand, into);
  } else if (node.kind === 'and' || node.kind === 'or') {
    node.operands.forEach((o) => ruleAlarms(o, into));
  }
  return into;
}

/** Whether the rule holds for the given alarm states. */
export function evaluateAlarmRule(node: RuleNode, stateOf: (alarm: string) => AlarmStateName): boolean {
  switch (node.kind) {
    case 'state': return stateOf(node.alarm) === node.state;
    case 'const': return node.value;
    case 'not': return !evaluateAlarmRule(node.operand, stateOf);
    case 'and': return node.operands.every((o) => evaluateAlarmRule(o, stateOf));
    case 'or': return node.operands.some((o) => evaluateAlarmRule(o, stateOf));
    default: return false;
  }
}
