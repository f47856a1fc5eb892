/**
 * Property-based tests of the command line on crafted cloud assemblies (support/cli-cases.ts): a
 * fixture assembly with one JSON file mutated at generated places, then `report`, `diff` or
 * `gameday --dry-run` on it. Whatever the assembly holds, the command ends with exit code 0, 1 or
 * 2 and its own message — never a TypeError or a stack overflow —, never prints the content of a
 * file outside the assembly (each case has a secret file beside it, which mutations name by
 * absolute and relative paths), and never writes a raw control character or half of a surrogate
 * pair to the terminal.
 *
 * 300 generated assemblies, fixed seed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { run } from '../../lib/cli/run';
import { cliCases, jsonFiles, mutate } from './support/cli-cases';
import { runs, seed } from './support/settings';

const SEED = seed(20_260_305);
const RUNS = runs(300);
const FIXTURES = path.join(__dirname, '..', 'cli', 'fixtures');
/** report and diff read the manifests fixture; gameday the experiment-template fixture. */
const SOURCES = { report: path.join(FIXTURES, 'manifests', 'shop'), diff: path.join(FIXTURES, 'manifests', 'shop'), gameday: path.join(FIXTURES, 'assembly') };
const SECRET = 'TOP-SECRET-CONTENT-OUTSIDE-THE-ASSEMBLY';

/** What a command may not print: the library's own errors, unescaped terminal control, half characters. */
const LEAKS: Array<[string, RegExp]> = [
  ['a JavaScript error', /TypeError|RangeError|ReferenceError|SyntaxError|Cannot read propert|is not a function|is not iterable|Maximum call stack|\[object \w+\]/],
  // eslint-disable-next-line no-control-regex
  ['a raw control character', /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/],
  ['half of a surrogate pair', /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/],
  ['the content of a file outside the assembly', new RegExp(SECRET)],
];

describe(`CLI fuzzing on crafted assemblies (seed ${SEED}, ${RUNS} cases)`, () => {
  let tmp: string;
  const outcomes = new Map<string, number>();
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-reliability-cli-fuzz-'));
  });
  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
    // eslint-disable-next-line no-console
    console.log(`CLI fuzzing: ${[...outcomes.entries()].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  });

  test(`every crafted assembly (${RUNS}) ends in an exit code and a message of the command's own, and nothing outside it is read`, async () => {
    let n = 0;
    await fc.assert(fc.asyncProperty(cliCases, async (c) => {
      const caseDir = path.join(tmp, `case-${++n}`);
      const dir = path.join(caseDir, 'cdk.out');
      fs.cpSync(SOURCES[c.command], dir, { recursive: true });
      const secret = path.join(caseDir, 'secret.json');
      fs.writeFileSync(secret, JSON.stringify({ Resources: {}, schemaVersion: 1, artifacts: {}, note: SECRET }));
      const files = jsonFiles(dir);
      const file = path.join(dir, files[c.file % files.length]);
      fs.writeFileSync(file, mutate(fs.readFileSync(file, 'utf8'), c.mutations, secret));

      const out: string[] = [];
      const err: string[] = [];
      const io = {
        stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, env: {},
        sleep: async () => undefined, now: () => new Date(0),
        clients: { fis: () => { throw new Error('no AWS in this test'); }, cloudWatch: () => { throw new Error('no AWS in this test'); },
          logs: () => { throw new Error('no AWS in this test'); } },
      };
      const argv = {
        report: ['report', dir],
        diff: ['diff', SOURCES.diff, dir],
        gameday: ['gameday', '--stack', 'Shop', '--service', 'checkout', '--experiment', 'slow-handler', '--dry-run', '--assembly', dir],
      }[c.command];
      const code = await run(argv, io as never);
      const printed = out.join('') + err.join('');
      outcomes.set(`${c.command} exit ${code}`, (outcomes.get(`${c.command} exit ${code}`) ?? 0) + 1);
      fs.rmSync(caseDir, { recursive: true, force: true });
      if (![0, 1, 2].includes(code)) {
        throw new Error(`${c.command} on ${files[c.file % files.length]} ended with exit code ${code}:\n${printed.slice(0, 2000)}`);
      }
      for (const [what, pattern] of LEAKS) {
        if (pattern.test(printed)) {
          throw new Error(`${c.command} on ${files[c.file % files.length]} printed ${what}:\n${printed.slice(0, 3000)}`);
        }
      }
    }), { seed: SEED, numRuns: RUNS });
    expect([...outcomes.keys()].some((k) => k.endsWith('exit 0'))).toBe(true);
    expect([...outcomes.keys()].some((k) => k.endsWith('exit 1'))).toBe(true);
  });
});
