/**
 * A small interpreter for the CloudWatch metric-math subset SLO alarms use: numbers, metric ids,
 * `+ - * /`, comparisons (`> >= < <= == !=`), `AND`/`OR`/`NOT`, parentheses, `IF(c, a, b)` and
 * `FILL(m, v)`. Evaluation is per timestamp: every id maps to a number or `undefined` (no
 * datapoint). As in CloudWatch, arithmetic on a missing value and division by zero yield no
 * datapoint; FILL replaces a missing value. Pure.
 */

/** A parsed expression. */
export type MathNode =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'unary'; readonly op: '-' | 'NOT'; readonly operand: MathNode }
  | { readonly kind: 'binary'; readonly op: string; readonly left: MathNode; readonly right: MathNode }
  | { readonly kind: 'call'; readonly fn: string; readonly args: MathNode[] };

const SUPPORTED_FUNCTIONS = new Set(['IF', 'FILL']);

interface Token {
  readonly type: 'num' | 'id' | 'op' | '(' | ')' | ',';
  readonly text: string;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(>=|<=|==|!=|[-+*/<>])|([(),]))/y;
  let pos = 0;
  while (pos < source.length) {
    if (/^\s*$/.test(source.slice(pos))) {
      break;
    }
    re.lastIndex = pos;
    const m = re.exec(source);
    if (!m) {
      throw new Error(`metric math: unexpected character at ${pos} in ${JSON.stringify(source)}`);
    }
    pos = re.lastIndex;
    if (m[1] !== undefined) {
      tokens.push({ type: 'num', text: m[1] });
    } else if (m[2] !== undefined) {
      const upper = m[2].toUpperCase();
      tokens.push(upper === 'AND' || upper === 'OR' || upper === 'NOT' ? { type: 'op', text: upper } : { type: 'id', text: m[2] });
    } else if (m[3] !== undefined) {
      tokens.push({ type: 'op', text: m[3] });
    } else {
      tokens.push({ type: m[4] as '(' | ')' | ',', text: m[4] });
    }
  }
  return tokens;
}

/** Parses an expression; throws on syntax it does not support. */
export function parseMetricMath(source: string): MathNode {
  const tokens = tokenize(source);
  let i = 0;
  const peek = () => tokens[i];
  const expect = (type: Token['type']) => {
    const t = tokens[i++];
    if (!t || t.type !== type) {
      throw new Error(`metric math: expected '${type}' in ${JSON.stringify(source)}`);
    }
    return t;
  };
  const levels: string[][] = [['OR'], ['AND'], ['>', '>=', '<', '<=', '==', '!='], ['+', '-'], ['*', '/']];

  const binary = (level: number): MathNode => {
    if (level === levels.length) {
      return unary();
    }
    let left = binary(level + 1);
    while (peek()?.type === 'op' && levels[level].includes(peek().text)) {
      const op = tokens[i++].text;
      left = { kind: 'binary', op, left, right: binary(level + 1) };
    }
    return left;
  };
  const unary = (): MathNode => {
    const t = peek();
    if (t?.type === 'op' && (t.text === '-' || t.text === 'NOT')) {
      i++;
      return { kind: 'unary', op: t.text, operand: unary() };
    }
    return primary();
  };
  const primary = (): MathNode => {
    const t = tokens[i++];
    if (!t) {
      throw new Error(`metric math: unexpected end of ${JSON.stringify(source)}`);
    }
    if (t.type === 'num') {
      return { kind: 'number', value: Number(t.text) };
    }
    if (t.type === '(') {
      const inner = binary(0);
      expect(')');
      return inner;
    }
    if (t.type === 'id') {
      if (peek()?.type === '(') {
        const fn = t.text.toUpperCase();
        if (!SUPPORTED_FUNCTIONS.has(fn)) {
          throw new Error(`metric math: function ${t.text} is not supported by the simulator`);
        }
        i++;
        const args: MathNode[] = [binary(0)];
        while (peek()?.type === ',') {
          i++;
          args.push(binary(0));
        }
        expect(')');
        return { kind: 'call', fn, args };
      }
      return { kind: 'id', id: t.text };
    }
    throw new Error(`metric math: unexpected '${t.text}' in ${JSON.stringify(source)}`);
  };

  const node = binary(0);
  if (i !== tokens.length) {
    throw new Error(`metric math: unexpected '${tokens[i].text}' in ${JSON.stringify(source)}`);
  }
  return node;
}

/** The metric ids an expression reads. */
export function referencedIds(node: MathNode, into = new Set<string>()): Set<string> {
  switch (node.kind) {
    case 'id': into.add(node.id); break;
    case 'unary': referencedIds(node.operand, into); break;
    case 'binary': referencedIds(node.left, into); referencedIds(node.right, into); break;
    case 'call': node.args.forEach((a) => referencedIds(a, into)); break;
    default: break;
  }
  return into;
}

/** Evaluates at one timestamp. `undefined` is "no datapoint". */
export function evaluateMetricMath(node: MathNode, values: (id: string) => number | undefined): number | undefined {
  const ev = (n: MathNode): number | undefined => {
    switch (n.kind) {
      case 'number': return n.value;
      case 'id': return values(n.id);
      case 'unary': {
        const v = ev(n.operand);
        if (v === undefined) {
          return undefined;
        }
        return n.op === '-' ? -v : (v === 0 ? 1 : 0);
      }
      case 'call': {
        if (n.fn === 'FILL') {
          return ev(n.args[0]) ?? ev(n.args[1]);
        }
        const c = ev(n.args[0]);
        if (c === undefined) {
          return undefined;
        }
        return c !== 0 ? ev(n.args[1]) : ev(n.args[2]);
      }
      case 'binary': {
        const a = ev(n.left);
        const b = ev(n.right);
        if (a === undefined || b === undefined) {
          return undefined;
        }
        switch (n.op) {
          case '+': return a + b;
          case '-': return a - b;
          case '*': return a * b;
          case '/': return b === 0 ? undefined : a / b;
          case '>': return a > b ? 1 : 0;
          case '>=': return a >= b ? 1 : 0;
          case '<': return a < b ? 1 : 0;
          case '<=': return a <= b ? 1 : 0;
          case '==': return a === b ? 1 : 0;
          case '!=': return a !== b ? 1 : 0;
          case 'AND': return a !== 0 && b !== 0 ? 1 : 0;
          case 'OR': return a !== 0 || b !== 0 ? 1 : 0;
          default: throw new Error(`metric math: operator ${n.op} is not supported`);
        }
      }
      default: return undefined;
    }
  };
  return ev(node);
}
