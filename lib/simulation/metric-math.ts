/**
 * A small interpreter for the CloudWatch metric-math subset SLO alarms use: numbers, metric ids,
 * `+ - * /`, comparisons (`> >= < <= == !=`), `AND`/`OR` (also `&&`/`||`), `NOT`, parentheses,
 * `IF(c, a[, b])` and `FILL(m, v)`. Evaluation is per timestamp: every id maps to a number or
 * `undefined` (no datapoint). Pure.
 *
 * Missing values, as AWS documents them ("Metric math syntax and functions",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html):
 * - arithmetic: "Missing values in a time series are treated as 0. If the value of a data point
 *   causes a function to attempt to divide by zero, the data point is dropped." Read here as: a
 *   result exists where either time series has a datapoint (the other's missing value reads 0);
 *   with a scalar, where the time series has one (a scalar has no timestamps of its own).
 * - comparison and logical operators: "When comparison operators are used between two time series,
 *   and only one of the time series has a value for a particular time stamp, the function treats
 *   the missing value in the other time series as 0."
 * - `IF(condition, trueValue, falseValue)`: "The condition evaluates to FALSE if the value of the
 *   condition data point is 0, and to TRUE if the value of the condition is any other value"; the
 *   result "has the value of 0, if the corresponding data point of metric1 is TRUE and the
 *   corresponding data point does not exist in metric2"; it "is dropped, if the corresponding data
 *   point of metric1 is FALSE and the corresponding data point does not exist in metric3 or if
 *   metric3 is omitted", and "is dropped if the corresponding data point in metric1 does not exist".
 * - `FILL(m, value)` "Fills the missing values of a time series". The docs do not say what FILL
 *   gives for a series with no datapoint at all in the range queried; the evaluator decides that
 *   per FILL node (`fills`): see `EvaluationOptions.fillEmptySeries` in evaluator.ts.
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
  const re = /\s*(?:(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(>=|<=|==|!=|&&|\|\||[-+*/<>])|([(),]))/y;
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
      tokens.push({ type: 'op', text: m[3] === '&&' ? 'AND' : m[3] === '||' ? 'OR' : m[3] });
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
        checkArguments(fn, args, source);
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


/** `IF(c, a)` or `IF(c, a, b)`; `FILL(m, value)` with a number or an expression (not REPEAT or LINEAR). */
function checkArguments(fn: string, args: MathNode[], source: string): void {
  if (fn === 'IF' && (args.length < 2 || args.length > 3)) {
    throw new Error(`metric math: IF takes 2 or 3 arguments, got ${args.length} in ${JSON.stringify(source)}`);
  }
  if (fn === 'FILL') {
    if (args.length !== 2) {
      throw new Error(`metric math: FILL takes 2 arguments, got ${args.length} in ${JSON.stringify(source)}`);
    }
    const filler = args[1];
    if (filler.kind === 'id' && /^(REPEAT|LINEAR)$/i.test(filler.id)) {
      throw new Error(`metric math: FILL(…, ${filler.id}) is not supported by the simulator (only a value or an expression)`);
    }
  }
}

/**
 * Whether a node is a scalar (reads no metric): a scalar has a value at every timestamp and
 * gives a result no timestamps of its own (`m1 > 0` exists only where `m1` does).
 */
export function isScalar(node: MathNode): boolean {
  switch (node.kind) {
    case 'number': return true;
    case 'id': return false;
    case 'unary': return isScalar(node.operand);
    case 'binary': return isScalar(node.left) && isScalar(node.right);
    case 'call': return node.args.every(isScalar);
    default: return false;
  }
}

/** Options of the evaluators. */
export interface MetricMathOptions {
  /**
   * Whether a `FILL` node fills the missing values of its series; when false, it gives the series
   * as it is (the evaluator says false where the series has no datapoint at all in the evaluation
   * range and FILL is not to invent one: `EvaluationOptions.fillEmptySeries`).
   * @default - every FILL fills
   */
  readonly fills?: (node: MathNode) => boolean;
}

/** Evaluates at one timestamp. `undefined` is "no datapoint". */
export function evaluateMetricMath(
  node: MathNode,
  values: (id: string) => number | undefined,
  options: MetricMathOptions = {},
): number | undefined {
  const fills = options.fills;
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
          const v = ev(n.args[0]);
          if (v !== undefined) {
            return v;
          }
          return fills && !fills(n) ? undefined : ev(n.args[1]);
        }
        // IF
        const c = ev(n.args[0]);
        if (c === undefined) {
          return undefined;
        }
        if (c !== 0) {
          const then = ev(n.args[1]);
          // a missing trueValue reads 0 when the condition is a time series
          return then === undefined && !isScalar(n.args[0]) ? 0 : then;
        }
        return n.args.length > 2 ? ev(n.args[2]) : undefined;
      }
      case 'binary': {
        let a = ev(n.left);
        let b = ev(n.right);
        if (a === undefined && b === undefined) {
          return undefined;
        }
        if (a === undefined || b === undefined) {
          // a scalar is never missing: a missing side is a time series; with a scalar on the
          // other side, the result has no timestamp here; with another series, it reads 0
          if (isScalar(n.left) || isScalar(n.right)) {
            return undefined;
          }
          a = a ?? 0;
          b = b ?? 0;
        }
        return applyOperator(n.op, a, b);
      }
      default: return undefined;
    }
  };
  return ev(node);
}

function applyOperator(op: string, a: number, b: number): number | undefined {
  const value = scalarOperator(op, a, b);
  return value !== value ? undefined : value;
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
 * results of `evaluateMetricMath` at each timestamp (`undefined` there is `NaN` here), with the
 * same `fills` decision for every timestamp.
 *
 * @param allocate gives a zeroed series of `length` values for each intermediate result (the
 *   simulator hands out views of one large buffer)
 */
export function evaluateMetricMathSeries(
  node: MathNode,
  length: number,
  series: (id: string) => Float64Array,
  allocate: (length: number) => Float64Array = (n) => new Float64Array(n),
  options: MetricMathOptions = {},
): Float64Array {
  // constants are shared series, filled once per value (never written to); like the given
  // series, they are never handed out as the result
  const shared = new Set<Float64Array>();
  const constants = new Map<number, Float64Array>();
  const constant = (value: number) => {
    let v = constants.get(value);
    if (!v) {
      v = allocate(length).fill(value);
      constants.set(value, v);
      shared.add(v);
    }
    return v;
  };
  const fills = options.fills;
  const ev = (n: MathNode): Float64Array => {
    switch (n.kind) {
      case 'number':
        return constant(n.value);
      case 'id': {
        const values = series(n.id);
        if (values.length !== length) {
          throw new Error(`metric math: series ${n.id} has ${values.length} values, expected ${length}`);
        }
        shared.add(values);
        return values;
      }
      case 'unary':
        return n.op === '-' ? negate(ev(n.operand), allocate(length)) : not(ev(n.operand), allocate(length));
      case 'call': {
        if (n.fn === 'FILL') {
          return fills && !fills(n) ? ev(n.args[0]) : fill(ev(n.args[0]), ev(n.args[1]), allocate(length));
        }
        const condition = ev(n.args[0]);
        const otherwise = n.args.length > 2 ? ev(n.args[2]) : constant(MISSING);
        return ifThenElse(condition, ev(n.args[1]), otherwise, !isScalar(n.args[0]), allocate(length));
      }
      case 'binary': {
        const scalar = isScalar(n.left) || isScalar(n.right);
        return binarySeries(n.op, ev(n.left), ev(n.right), !scalar, allocate(length));
      }
      default:
        return constant(MISSING);
    }
  };
  const result = ev(node);
  if (!shared.has(result)) {
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

/** `missingThenIsZero`: the condition is a time series, so a missing trueValue reads 0. */
function ifThenElse(condition: Float64Array, then: Float64Array, otherwise: Float64Array, missingThenIsZero: boolean, out: Float64Array): Float64Array {
  for (let i = 0; i < condition.length; i++) {
    const c = condition[i];
    if (c !== c) {
      out[i] = MISSING;
    } else if (c !== 0) {
      const t = then[i];
      out[i] = t !== t && missingThenIsZero ? 0 : t;
    } else {
      out[i] = otherwise[i];
    }
  }
  return out;
}

/**
 * `union`: both sides are time series, so the result exists where either has a datapoint and a
 * missing side reads 0; otherwise (a scalar on one side) it exists where the series has one.
 */
function binarySeries(op: string, a: Float64Array, b: Float64Array, union: boolean, out: Float64Array): Float64Array {
  const length = a.length;
  if (union) {
    // a missing value reads 0 beside a present one; both missing, no datapoint
    switch (op) {
      case '+':
        for (let i = 0; i < length; i++) {
          const x = a[i];
          const y = b[i];
          out[i] = x !== x && y !== y ? MISSING : (x !== x ? 0 : x) + (y !== y ? 0 : y);
        }
        break;
      case '-':
        for (let i = 0; i < length; i++) {
          const x = a[i];
          const y = b[i];
          out[i] = x !== x && y !== y ? MISSING : (x !== x ? 0 : x) - (y !== y ? 0 : y);
        }
        break;
      case '/':
        for (let i = 0; i < length; i++) {
          const x = a[i];
          const y = b[i];
          out[i] = y !== y || y === 0 ? MISSING : (x !== x ? 0 : x) / y;
        }
        break;
      default:
        for (let i = 0; i < length; i++) {
          const x = a[i];
          const y = b[i];
          out[i] = x !== x && y !== y ? MISSING : scalarOperator(op, x !== x ? 0 : x, y !== y ? 0 : y);
        }
    }
    return out;
  }
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
    default:
      for (let i = 0; i < length; i++) {
        const x = a[i];
        const y = b[i];
        out[i] = x !== x || y !== y ? MISSING : scalarOperator(op, x, y);
      }
  }
  return out;
}

/** One operator on two present values; division by zero gives NaN (no datapoint). */
function scalarOperator(op: string, a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0 ? MISSING : a / b;
    case '>': return a > b ? 1 : 0;
    case '>=': return a >= b ? 1 : 0;
    case '<': return a < b ? 1 : 0;
    case '<=': return a <= b ? 1 : 0;
    case '==': return a === b ? 1 : 0;
    case '!=': return a !== b ? 1 : 0;
    case 'AND': return a !== 0 && b !== 0 ? 1 : 0;
    case 'OR': return a !== 0 || b !== 0 ? 1 : 0;
    default: throw new Error(`metric math: operator ${op} is not supported`);
  }
}
