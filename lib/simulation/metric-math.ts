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

/**
 * "No datapoint" in a series. A module constant rather than the global `NaN`: hot loops then read
 * no global (in a `vm` context such as jest's, every global read goes through an interceptor).
 */
const MISSING = Number.NaN;

/**
 * Evaluates an expression at `length` timestamps at once, a whole series per operation (fast:
 * one tight loop per node instead of one tree walk per timestamp). `series(id)` gives an id's
 * values, `NaN` standing for "no datapoint"; the result uses `NaN` the same way. Gives exactly the
 * results of `evaluateMetricMath` at each timestamp (`undefined` there is `NaN` here).
 *
 * @param allocate gives a zeroed series of `length` values for each intermediate result (the
 *   simulator hands out views of one large buffer)
 */
export function evaluateMetricMathSeries(
  node: MathNode,
  length: number,
  series: (id: string) => Float64Array,
  allocate: (length: number) => Float64Array = (n) => new Float64Array(n),
): Float64Array {
  // constants are shared series, filled once per value (never written to)
  const constants = new Map<number, Float64Array>();
  const constant = (value: number) => {
    let v = constants.get(value);
    if (!v) {
      v = allocate(length).fill(value);
      constants.set(value, v);
    }
    return v;
  };
  const ev = (n: MathNode): Float64Array => {
    switch (n.kind) {
      case 'number':
        return constant(n.value);
      case 'id': {
        const values = series(n.id);
        if (values.length !== length) {
          throw new Error(`metric math: series ${n.id} has ${values.length} values, expected ${length}`);
        }
        return values;
      }
      case 'unary':
        return n.op === '-' ? negate(ev(n.operand), allocate(length)) : not(ev(n.operand), allocate(length));
      case 'call': {
        const args = n.args.map(ev);
        return n.fn === 'FILL' ? fill(args[0], args[1], allocate(length)) : ifThenElse(args[0], args[1], args[2], allocate(length));
      }
      case 'binary':
        return binarySeries(n.op, ev(n.left), ev(n.right), allocate(length));
      default:
        return constant(MISSING);
    }
  };
  const result = ev(node);
  if (node.kind !== 'number' && node.kind !== 'id') {
    return result;
  }
  // the result is the caller's to keep: never hand out a shared series
  const copy = allocate(length);
  copy.set(result);
  return copy;
}

function negate(v: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < v.length; i++) out[i] = -v[i];
  return out;
}

function not(v: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    out[i] = x !== x ? MISSING : x === 0 ? 1 : 0;
  }
  return out;
}

function fill(v: Float64Array, replacement: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    out[i] = x !== x ? replacement[i] : x;
  }
  return out;
}

function ifThenElse(condition: Float64Array, then: Float64Array, otherwise: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < condition.length; i++) {
    const c = condition[i];
    out[i] = c !== c ? MISSING : c !== 0 ? then[i] : otherwise[i];
  }
  return out;
}

function binarySeries(op: string, a: Float64Array, b: Float64Array, out: Float64Array): Float64Array {
  const length = a.length;
  // NaN (no datapoint) propagates through arithmetic by itself; comparisons and logic test for it
  switch (op) {
    case '+': for (let i = 0; i < length; i++) out[i] = a[i] + b[i]; break;
    case '-': for (let i = 0; i < length; i++) out[i] = a[i] - b[i]; break;
    case '*': for (let i = 0; i < length; i++) out[i] = a[i] * b[i]; break;
    case '/': for (let i = 0; i < length; i++) out[i] = b[i] === 0 ? MISSING : a[i] / b[i]; break;
    case '>': for (let i = 0; i < length; i++) out[i] = a[i] !== a[i] || b[i] !== b[i] ? MISSING : a[i] > b[i] ? 1 : 0; break;
    case '>=': for (let i = 0; i < length; i++) out[i] = a[i] !== a[i] || b[i] !== b[i] ? MISSING : a[i] >= b[i] ? 1 : 0; break;
    case '<': for (let i = 0; i < length; i++) out[i] = a[i] !== a[i] || b[i] !== b[i] ? MISSING : a[i] < b[i] ? 1 : 0; break;
    case '<=': for (let i = 0; i < length; i++) out[i] = a[i] !== a[i] || b[i] !== b[i] ? MISSING : a[i] <= b[i] ? 1 : 0; break;
    case '==': for (let i = 0; i < length; i++) out[i] = a[i] !== a[i] || b[i] !== b[i] ? MISSING : a[i] === b[i] ? 1 : 0; break;
    case '!=': for (let i = 0; i < length; i++) out[i] = a[i] !== a[i] || b[i] !== b[i] ? MISSING : a[i] !== b[i] ? 1 : 0; break;
    case 'AND': for (let i = 0; i < length; i++) out[i] = a[i] !== a[i] || b[i] !== b[i] ? MISSING : a[i] !== 0 && b[i] !== 0 ? 1 : 0; break;
    case 'OR': for (let i = 0; i < length; i++) out[i] = a[i] !== a[i] || b[i] !== b[i] ? MISSING : a[i] !== 0 || b[i] !== 0 ? 1 : 0; break;
    default: throw new Error(`metric math: operator ${op} is not supported`);
  }
  return out;
}
