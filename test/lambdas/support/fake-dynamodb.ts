/**
 * An in-memory DynamoDB table behind aws-sdk-client-mock: GetItem, PutItem and UpdateItem with
 * the subset of condition and update expressions the handlers use (comparisons, IN, AND/OR/NOT,
 * attribute_exists/attribute_not_exists, document paths; SET and REMOVE). Conditional writes are
 * atomic, as in DynamoDB, so duplicate and concurrent deliveries can be tested for real.
 */
import {
  AttributeValue, ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { AwsClientStub } from 'aws-sdk-client-mock';
import { marshalItem, Plain, unmarshal, unmarshalItem } from '../../../lambdas/shared/dynamo-codec';

type Doc = { [key: string]: Plain };
type Token = { t: 'name' | 'value' | 'ident' | 'op' | 'punct'; v: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(#\w+)|(:\w+)|([A-Za-z_]\w*)|(<>|<=|>=|=|<|>)|([.(),]))/y;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) {
      break;
    }
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) {
      throw new Error(`fake dynamodb: cannot parse expression at ${JSON.stringify(text.slice(pos))}`);
    }
    pos = re.lastIndex;
    if (m[1]) tokens.push({ t: 'name', v: m[1] });
    else if (m[2]) tokens.push({ t: 'value', v: m[2] });
    else if (m[3]) tokens.push({ t: 'ident', v: m[3] });
    else if (m[4]) tokens.push({ t: 'op', v: m[4] });
    else tokens.push({ t: 'punct', v: m[5] });
  }
  return tokens;
}

interface Env {
  names: Record<string, string>;
  values: Record<string, AttributeValue>;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[], private readonly env: Env) {}

  done(): boolean {
    return this.i >= this.tokens.length;
  }
  private peek(): Token | undefined {
    return this.tokens[this.i];
  }
  private next(): Token {
    const t = this.tokens[this.i++];
    if (!t) throw new Error('fake dynamodb: unexpected end of expression');
    return t;
  }
  private keyword(word: string): boolean {
    const t = this.peek();
    if (t && t.t === 'ident' && t.v.toUpperCase() === word) {
      this.i++;
      return true;
    }
    return false;
  }
  private expect(v: string): void {
    const t = this.next();
    if (t.v !== v) throw new Error(`fake dynamodb: expected ${v}, got ${t.v}`);
  }

  path(): string[] {
    const segments: string[] = [];
    do {
      const t = this.next();
      if (t.t === 'name') {
        const name = this.env.names[t.v];
        if (name === undefined) throw new Error(`fake dynamodb: undefined name ${t.v}`);
        segments.push(name);
      } else if (t.t === 'ident') {
        segments.push(t.v);
      } else {
        throw new Error(`fake dynamodb: expected a path, got ${t.v}`);
      }
    } while (this.peek()?.v === '.' && this.next());
    return segments;
  }

  private operand(doc: Doc): Plain | undefined {
    const t = this.peek();
    if (t?.t === 'value') {
      this.i++;
      const v = this.env.values[t.v];
      if (!v) throw new Error(`fake dynamodb: undefined value ${t.v}`);
      return unmarshal(v);
    }
    return getPath(doc, this.path());
  }

  condition(doc: Doc): boolean {
    let result = this.and(doc);
    while (this.keyword('OR')) {
      const right = this.and(doc);
      result = result || right;
    }
    return result;
  }
  private and(doc: Doc): boolean {
    let result = this.not(doc);
    while (this.keyword('AND')) {
      const right = this.not(doc);
      result = result && right;
    }
    return result;
  }
  private not(doc: Doc): boolean {
    if (this.keyword('NOT')) return !this.not(doc);
    return this.primary(doc);
  }
  private primary(doc: Doc): boolean {
    const t = this.peek();
    if (t?.v === '(') {
      this.i++;
      const r = this.condition(doc);
      this.expect(')');
      return r;
    }
    if (t?.t === 'ident' && (t.v === 'attribute_exists' || t.v === 'attribute_not_exists')) {
      this.i++;
      this.expect('(');
      const exists = getPath(doc, this.path()) !== undefined;
      this.expect(')');
      return t.v === 'attribute_exists' ? exists : !exists;
    }
    const left = this.operand(doc);
    if (this.keyword('IN')) {
      this.expect('(');
      const options: Array<Plain | undefined> = [this.operand(doc)];
      while (this.peek()?.v === ',') {
        this.i++;
        options.push(this.operand(doc));
      }
      this.expect(')');
      return left !== undefined && options.some((o) => compare(left, '=', o));
    }
    const op = this.next();
    if (op.t !== 'op') throw new Error(`fake dynamodb: expected a comparator, got ${op.v}`);
    const right = this.operand(doc);
    return compare(left, op.v, right);
  }

  /** Applies `SET a = :v, b.c = :w REMOVE d` to `doc`. */
  update(doc: Doc): void {
    while (!this.done()) {
      const clause = this.next();
      const word = clause.v.toUpperCase();
      do {
        const path = this.path();
        if (word === 'SET') {
          this.expect('=');
          const v = this.next();
          if (v.t !== 'value') throw new Error('fake dynamodb: SET supports only :values');
          setPath(doc, path, unmarshal(this.env.values[v.v]));
        } else if (word === 'REMOVE') {
          removePath(doc, path);
        } else {
          throw new Error(`fake dynamodb: unsupported clause ${clause.v}`);
        }
      } while (this.peek()?.v === ',' && this.next());
    }
  }
}

function compare(a: Plain | undefined, op: string, b: Plain | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (op === '=') return JSON.stringify(a) === JSON.stringify(b);
  if (op === '<>') return JSON.stringify(a) !== JSON.stringify(b);
  if (typeof a !== typeof b || (typeof a !== 'string' && typeof a !== 'number')) return false;
  const x = a as string | number;
  const y = b as string | number;
  switch (op) {
    case '<': return x < y;
    case '<=': return x <= y;
    case '>': return x > y;
    case '>=': return x >= y;
  }
  throw new Error(`fake dynamodb: unknown comparator ${op}`);
}

function getPath(doc: Doc, path: string[]): Plain | undefined {
  let cur: Plain | undefined = doc;
  for (const s of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Doc)[s];
  }
  return cur;
}

function parentOf(doc: Doc, path: string[]): Doc {
  const parent = getPath(doc, path.slice(0, -1));
  if (parent === null || typeof parent !== 'object' || Array.isArray(parent)) {
    const err = new Error('The document path provided in the update expression is invalid for update');
    err.name = 'ValidationException';
    throw err;
  }
  return parent as Doc;
}

function setPath(doc: Doc, path: string[], value: Plain): void {
  parentOf(doc, path)[path[path.length - 1]] = value;
}

function removePath(doc: Doc, path: string[]): void {
  const parent = getPath(doc, path.slice(0, -1));
  if (parent && typeof parent === 'object' && !Array.isArray(parent)) {
    delete (parent as Doc)[path[path.length - 1]];
  }
}

function conditionFailed(): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
}

export class FakeTable {
  readonly items = new Map<string, Doc>();
  /**
   * Runs before each conditional write is evaluated (the write then sees whatever the hook did):
   * lets a test interleave another event at an exact point of a flow.
   */
  beforeWrite?: (command: 'PutItem' | 'UpdateItem', input: { UpdateExpression?: string; ExpressionAttributeNames?: Record<string, string> }) => Promise<void>;

  constructor(readonly keyName = 'alarmName') {}

  item(key: string): Doc | undefined {
    const doc = this.items.get(key);
    return doc ? structuredClone(doc) : undefined;
  }

  install(mock: AwsClientStub<DynamoDBClient>): void {
    mock.on(GetItemCommand).callsFake(async (input) => {
      await Promise.resolve();
      const key = unmarshalItem(input.Key)[this.keyName] as string;
      const doc = this.items.get(key);
      return { Item: doc ? marshalItem(structuredClone(doc)) : undefined };
    });
    mock.on(PutItemCommand).callsFake(async (input) => {
      await Promise.resolve();
      await this.beforeWrite?.('PutItem', input);
      const next = unmarshalItem(input.Item);
      const key = next[this.keyName] as string;
      const old = this.items.get(key);
      if (input.ConditionExpression) {
        const p = new Parser(tokenize(input.ConditionExpression), { names: input.ExpressionAttributeNames ?? {}, values: input.ExpressionAttributeValues ?? {} });
        if (!p.condition(old ?? {})) throw conditionFailed();
      }
      this.items.set(key, next);
      return { Attributes: input.ReturnValues === 'ALL_OLD' && old ? marshalItem(old) : undefined };
    });
    mock.on(UpdateItemCommand).callsFake(async (input) => {
      await Promise.resolve();
      await this.beforeWrite?.('UpdateItem', input);
      const key = unmarshalItem(input.Key)[this.keyName] as string;
      const old = this.items.get(key);
      const env = { names: input.ExpressionAttributeNames ?? {}, values: input.ExpressionAttributeValues ?? {} };
      if (input.ConditionExpression) {
        if (!new Parser(tokenize(input.ConditionExpression), env).condition(old ?? {})) throw conditionFailed();
      }
      const doc: Doc = structuredClone(old ?? { [this.keyName]: key });
      new Parser(tokenize(input.UpdateExpression ?? ''), env).update(doc);
      this.items.set(key, doc);
      return input.ReturnValues === 'ALL_NEW' ? { Attributes: marshalItem(structuredClone(doc)) }
        : input.ReturnValues === 'ALL_OLD' && old ? { Attributes: marshalItem(structuredClone(old)) } : {};
    });
  }
}
