/**
 * Reading the files a cloud assembly names, as the command line must when it runs on an untrusted
 * pull request's `cdk.out`: a file named by assembly content (a template, a nested assembly, a
 * reliability manifest) is read only if it resolves — symbolic links followed — inside the
 * assembly directory, only if it is a regular file (not a FIFO that blocks or a device that never
 * ends), and a file that is not valid JSON is reported by its path and the position of the error,
 * never by its content (Node's JSON.parse messages quote the start of the text).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError } from './errors';

/** The largest file the command line reads: a synthesized template is at most a few MB. */
export const MAX_ASSEMBLY_FILE_BYTES = 64 * 1024 * 1024;
/**
 * The deepest nesting of lists and objects read: a synthesized template or manifest nests a few
 * levels (intrinsic functions inside properties), and the code that reads them recurses.
 */
export const MAX_JSON_DEPTH = 100;

/** An assembly directory: as the user named it (absolute), and its real path (symbolic links resolved). */
export interface AssemblyRoot {
  readonly dir: string;
  readonly real: string;
}

/** The assembly directory `dir` (absolute) and its real path. */
export function assemblyRoot(dir: string): AssemblyRoot {
  const absolute = path.resolve(dir);
  try {
    return { dir: absolute, real: fs.realpathSync(absolute) };
  } catch (err) {
    throw new CliError(`cannot read the directory ${printablePath(absolute)}: ${errorCode(err)}`);
  }
}

/** Whether `candidate` is `root` or under it (both absolute and normalised). */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/**
 * `name` (a path from assembly content, relative to `base`) resolved, checked to stay inside the
 * assembly both as written and once symbolic links are followed (when it exists). Returns the path
 * as written (for messages); throws a `CliError` naming `what` and the path when it escapes.
 */
export function resolveInside(root: AssemblyRoot, base: string, name: unknown, what: string): string {
  if (typeof name !== 'string' || name === '' || name.includes('\0')) {
    throw new CliError(`${what}: expected a path inside the cloud assembly ${printablePath(root.dir)}, got ${typeof name === 'string' ? JSON.stringify(printablePath(name)) : typeof name}`);
  }
  const resolved = path.resolve(base, name);
  if (!isInside(root.dir, resolved)) {
    throw new CliError(`${what} ${JSON.stringify(printablePath(name))} is outside the cloud assembly ${printablePath(root.dir)}: refusing to read it `
      + '(an assembly names only files inside its own directory; was cdk.out tampered with?)');
  }
  let real: string;
  try {
    real = fs.realpathSync(resolved);
  } catch {
    return resolved; // does not exist: reading it fails with its own message
  }
  if (!isInside(root.real, real)) {
    throw new CliError(`${what} ${JSON.stringify(printablePath(name))} is a link to ${printablePath(real)}, outside the cloud assembly ${printablePath(root.dir)}: `
      + 'refusing to read it (was cdk.out tampered with?)');
  }
  return resolved;
}

/**
 * Reads and parses a JSON file: a regular file of at most `MAX_ASSEMBLY_FILE_BYTES`. Errors name
 * `what` and `shown` (the path as the user knows it) and, for invalid JSON, the line and column
 * of the first error — never the content.
 */
export function readJsonFile(file: string, what: string, shown: string = file): unknown {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    throw new CliError(`cannot read ${what} ${printablePath(shown)}: ${errorCode(err)}`);
  }
  if (!stat.isFile()) {
    throw new CliError(`cannot read ${what} ${printablePath(shown)}: not a regular file`);
  }
  if (stat.size > MAX_ASSEMBLY_FILE_BYTES) {
    throw new CliError(`${what} ${printablePath(shown)} is ${stat.size} bytes; this command reads files of at most ${MAX_ASSEMBLY_FILE_BYTES} bytes`);
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${what} ${printablePath(shown)}: ${errorCode(err)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const at = jsonErrorPosition(text);
    const where = at ? `: syntax error at line ${at.line}, column ${at.column}` : ' (nested too deeply to parse)';
    throw new CliError(`${what} ${printablePath(shown)} is not valid JSON${where}; its content is not shown`);
  }
  if (jsonDepth(value) > MAX_JSON_DEPTH) {
    throw new CliError(`${what} ${printablePath(shown)} nests lists or objects more than ${MAX_JSON_DEPTH} levels deep; a synthesized file never does`);
  }
  return value;
}

/** How deeply lists and objects nest in a parsed JSON value (0 for a scalar), without recursion. */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item === 'object' && item !== null) {
      deepest = Math.max(deepest, depth + 1);
      if (deepest > MAX_JSON_DEPTH) {
        return deepest;
      }
      for (const child of Object.values(item)) {
        stack.push([child, depth + 1]);
      }
    }
  }
  return deepest;
}

/** A path for messages: control and invisible characters escaped, so a crafted name cannot rewrite the terminal. */
export function printablePath(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u2028-\u202E\u2066-\u2069\uFEFF]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `ENOENT (no such file or directory)`: the system's reason, without the message's repetition of the path. */
function errorCode(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or directory', EACCES: 'permission denied', EISDIR: 'is a directory', ELOOP: 'too many symbolic links',
    ENOTDIR: 'a part of the path is not a directory',
  };
  return typeof e?.code === 'string' ? `${e.code}${reasons[e.code] ? ` (${reasons[e.code]})` : ''}` : 'unreadable';
}

/** Line and column (1-based) of the first JSON syntax error in `text`, or `undefined` when none is found. */
export function jsonErrorPosition(text: string): { offset: number; line: number; column: number } | undefined {
  const offset = jsonErrorOffset(text);
  if (offset === undefined) {
    return undefined;
  }
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/**
 * Offset of the first character where `text` stops being JSON (RFC 8259), or `undefined`. An
 * explicit stack, not recursion: a file of a million `[` is an error at its end, not a stack overflow.
 */
function jsonErrorOffset(text: string): number | undefined {
  const stack: string[] = [];
  let pos = 0;
  const ws = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos])) {
      pos++;
    }
  };
  const string = (): boolean => {
    pos++; // the opening quote
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        pos++;
        return true;
      }
      if (c === 0x5c) {
        ESCAPE.lastIndex = pos;
        if (!ESCAPE.test(text)) {
          return false;
        }
        pos = ESCAPE.lastIndex;
      } else if (c < 0x20) {
        return false;
      } else {
        pos++;
      }
    }
    return false;
  };
  let state: 'value' | 'key' | 'after' = 'value';
  for (;;) {
    ws();
    if (state === 'value') {
      const c = text[pos];
      if (c === '{' || c === '[') {
        stack.push(c);
        pos++;
        ws();
        if (text[pos] === (c === '{' ? '}' : ']')) {
          stack.pop();
          pos++;
          state = 'after';
        } else {
          state = c === '{' ? 'key' : 'value';
        }
      } else if (c === '"') {
        if (!string()) {
          return pos;
        }
        state = 'after';
      } else if (c === '-' || (c >= '0' && c <= '9')) {
        NUMBER.lastIndex = pos;
        if (!NUMBER.test(text)) {
          return pos;
        }
        pos = NUMBER.lastIndex;
        state = 'after';
      } else {
        const literal = ['true', 'false', 'null'].find((l) => text.startsWith(l, pos));
        if (!literal) {
          return pos;
        }
        pos += literal.length;
        state = 'after';
      }
    } else if (state === 'key') {
      if (text[pos] !== '"' || !string()) {
        return pos;
      }
      ws();
      if (text[pos] !== ':') {
        return pos;
      }
      pos++;
      state = 'value';
    } else {
      const top = stack[stack.length - 1];
      if (top === undefined) {
        return pos < text.length ? pos : undefined;
      }
      if (text[pos] === ',') {
        pos++;
        state = top === '{' ? 'key' : 'value';
      } else if (text[pos] === (top === '{' ? '}' : ']')) {
        stack.pop();
        pos++;
      } else {
        return pos;
      }
    }
  }
}
