/**
 * The command line on a crafted cloud assembly (an untrusted pull request's `cdk.out`): it reads
 * only files inside the assembly directory — absolute paths, `../`, and symbolic links pointing
 * out are refused with a clear error — and never prints the content of a file it cannot parse.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listAssemblyStacks, readTemplate } from '../../lib/cli/assembly';
import { jsonErrorPosition, readJsonFile } from '../../lib/cli/files';
import { readManifests } from '../../lib/cli/manifests';
import { SHOP_ASSEMBLY } from '../review/support/manifests';
import { useHarness } from './support/harness';

/** What must never reach the output: the content of a file outside the assembly. */
const SECRET = 'root:x:0:0:TOP-SECRET-CONTENT';

let tmp: string;
let secretFile: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-reliability-hostile-'));
  secretFile = path.join(tmp, 'passwd');
  fs.writeFileSync(secretFile, `${SECRET}\nmore:x:1:1\n`);
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

let counter = 0;

/** A copy of the shop fixture assembly, changed by `craft`; returns its directory. */
function craftedAssembly(craft: (dir: string, manifest: any) => void, source = SHOP_ASSEMBLY): string {
  const dir = path.join(tmp, `cdk.out-${++counter}`);
  fs.cpSync(source, dir, { recursive: true });
  const manifestFile = path.join(dir, 'manifest.json');
  const original = fs.readFileSync(manifestFile, 'utf8');
  const manifest = JSON.parse(original);
  craft(dir, manifest);
  // the manifest object's changes are written, unless `craft` replaced the file itself
  if (fs.lstatSync(manifestFile).isFile() && fs.readFileSync(manifestFile, 'utf8') === original) {
    fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 1));
  }
  return dir;
}

const cases: Array<[string, (dir: string, manifest: any) => void, RegExp]> = [
  ['a templateFile that is an absolute path (/etc/passwd)', (_, m) => { m.artifacts.Shop.properties.templateFile = secretFile; },
    /artifact "Shop" of .*manifest\.json: templateFile ".*passwd" is outside the cloud assembly .*: refusing to read it/],
  ['a templateFile that climbs out with ../', (_, m) => { m.artifacts.Shop.properties.templateFile = '../passwd'; },
    /artifact "Shop" of .*manifest\.json: templateFile "\.\.\/passwd" is outside the cloud assembly/],
  ['a template that is a symbolic link pointing out', (dir) => {
    fs.rmSync(path.join(dir, 'Shop.template.json'));
    fs.symlinkSync(secretFile, path.join(dir, 'Shop.template.json'));
  }, /templateFile "Shop\.template\.json" is a link to .*passwd, outside the cloud assembly .*: refusing to read it/],
  ['a nested assembly that climbs out', (_, m) => { m.artifacts['assembly-Prod'].properties.directoryName = '..'; },
    /artifact "assembly-Prod" of .*manifest\.json: directoryName "\.\." is outside the cloud assembly/],
  ['a nested assembly directory that is a link pointing out', (dir) => {
    fs.rmSync(path.join(dir, 'assembly-Prod'), { recursive: true });
    fs.symlinkSync(tmp, path.join(dir, 'assembly-Prod'));
  }, /directoryName "assembly-Prod" is a link to .*, outside the cloud assembly/],
  ['an artifact id that is a path (it names the manifest beside the template)', (_, m) => {
    m.artifacts['../../passwd'] = m.artifacts.Shop;
    delete m.artifacts.Shop;
  }, /artifact "\.\.\/\.\.\/passwd" of .*: a stack's artifact id must be a plain name/],
  ['a manifest.json that is a link pointing out', (dir) => {
    fs.rmSync(path.join(dir, 'manifest.json'));
    fs.symlinkSync(secretFile, path.join(dir, 'manifest.json'));
  }, /cloud assembly manifest "manifest\.json" is a link to .*passwd, outside the cloud assembly/],
  ['a reliability manifest that is a link pointing out', (dir) => {
    fs.rmSync(path.join(dir, 'Shop.reliability.json'));
    fs.symlinkSync(secretFile, path.join(dir, 'Shop.reliability.json'));
  }, /the file beside the template of Shop "Shop\.reliability\.json" is a link to .*passwd, outside the cloud assembly/],
  ['a templateFile that is not a string', (_, m) => { m.artifacts.Shop.properties.templateFile = { path: '/etc/passwd' }; },
    /artifact "Shop" of .*manifest\.json: templateFile: expected a path inside the cloud assembly .*, got object/],
];

describe('a crafted assembly is refused, naming the artifact and the path, and no file outside it is read', () => {
  const world = useHarness();

  test.each(cases)('report: %s', async (_, craft, message) => {
    const dir = craftedAssembly(craft);
    const h = world();
    expect(await h.run('report', dir)).toBe(1);
    expect(h.stderr()).toMatch(message);
    expect(h.stderr() + h.stdout()).not.toContain('TOP-SECRET');
  });

  test.each(cases.filter(([name]) => !/reliability manifest/.test(name)))('gameday --dry-run: %s', async (_, craft, message) => {
    const dir = craftedAssembly(craft);
    const h = world();
    expect(await h.run('gameday', '--stack', 'Shop', '--service', 'checkout', '--experiment', 'x', '--dry-run', '--assembly', dir)).toBe(1);
    expect(h.stderr()).toMatch(message);
    expect(h.stderr() + h.stdout()).not.toContain('TOP-SECRET');
  });

  // simulate reads the reliability manifest beside the template too (what the SLO is): a link out is refused there as well
  test.each(cases)('simulate: %s', async (_, craft, message) => {
    const dir = craftedAssembly(craft);
    const h = world();
    expect(await h.run('simulate', dir, '--service', 'checkout', '--slo', 'availability', '--error-rate', '5%', '--for', '1h')).toBe(1);
    expect(h.stderr()).toMatch(message);
    expect(h.stderr() + h.stdout()).not.toContain('TOP-SECRET');
  });

  test('diff refuses a crafted assembly on either side', async () => {
    const dir = craftedAssembly((_, m) => { m.artifacts.Shop.properties.templateFile = secretFile; });
    const h = world();
    expect(await h.run('diff', SHOP_ASSEMBLY, dir)).toBe(1);
    expect(h.stderr()).toMatch(/is outside the cloud assembly/);
    expect(h.stderr() + h.stdout()).not.toContain('TOP-SECRET');
  });

  test('a directory of manifests holding a link pointing out is refused', () => {
    const dir = path.join(tmp, `manifests-${++counter}`);
    fs.mkdirSync(dir);
    fs.symlinkSync(secretFile, path.join(dir, 'Shop.reliability.json'));
    expect(() => readManifests(dir)).toThrow(/the reliability manifest "Shop\.reliability\.json" is a link to .*passwd, outside the cloud assembly/);
  });

  test('a well-formed assembly reached through a symbolic link is read (only what it names must stay inside)', () => {
    const link = path.join(tmp, `link-${++counter}`);
    fs.symlinkSync(craftedAssembly(() => undefined), link);
    expect(listAssemblyStacks(link).map((s) => s.displayName)).toEqual(['Shop', 'Network', 'Prod/Shop']);
    expect(readManifests(link).manifests.map((m) => m.stack.path)).toEqual(['Shop', 'Prod/Shop']);
  });
});

describe('a file that is not JSON is reported by path and position, never by content', () => {
  const world = useHarness();

  test('a template inside the assembly that is not JSON', async () => {
    const dir = craftedAssembly((d) => fs.writeFileSync(path.join(d, 'Shop.template.json'), `{\n  "Resources": {}\n}\n${SECRET}`));
    const h = world();
    expect(await h.run('gameday', '--stack', 'Shop', '--service', 'checkout', '--experiment', 'x', '--dry-run', '--assembly', dir)).toBe(1);
    expect(h.stderr()).toBe(`error: template ${path.join(dir, 'Shop.template.json')} is not valid JSON: syntax error at line 4, column 1; its content is not shown\n`);
  });

  test('a manifest.json that is not JSON', async () => {
    const dir = craftedAssembly((d) => fs.writeFileSync(path.join(d, 'manifest.json'), SECRET));
    const h = world();
    expect(await h.run('report', dir)).toBe(1);
    expect(h.stderr()).toBe(`error: cloud assembly manifest ${path.join(dir, 'manifest.json')} is not valid JSON: syntax error at line 1, column 1; its content is not shown\n`);
  });

  test('a manifest.json of the wrong shape is refused without a TypeError', async () => {
    for (const content of ['null', '[]', '{"artifacts": 5}', '{"artifacts": {"Shop": null, "X": {"type": "aws:cloudformation:stack", "properties": 7}}}']) {
      const dir = craftedAssembly((d) => fs.writeFileSync(path.join(d, 'manifest.json'), content));
      const h = world();
      const code = await h.run('report', dir);
      expect(h.stderr()).not.toMatch(/TypeError|Cannot read|undefined/);
      expect(code).toBe(1);
    }
  });

  test('a template that is JSON but not a template is refused', () => {
    const dir = craftedAssembly((d) => fs.writeFileSync(path.join(d, 'Shop.template.json'), '"just a string"'));
    const shop = listAssemblyStacks(dir).find((s) => s.artifactId === 'Shop')!;
    expect(() => readTemplate(shop)).toThrow(/^template .*Shop\.template\.json is not a CloudFormation template \(no Resources object\)$/);
  });

  test('a FIFO is not read (it would block forever)', () => {
    const fifo = path.join(tmp, `fifo-${++counter}`);
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return; // no mkfifo here: nothing to prove
    }
    expect(() => readJsonFile(fifo, 'template')).toThrow(`cannot read template ${fifo}: not a regular file`);
  });

  test('a tag of the template that is not a string is no tag (it was listed as [object Object]: found by the fuzz suite)', async () => {
    const dir = craftedAssembly((d) => {
      const file = path.join(d, 'Shop.template.json');
      const template = JSON.parse(fs.readFileSync(file, 'utf8'));
      for (const resource of Object.values(template.Resources) as any[]) {
        if (resource.Type === 'AWS::FIS::ExperimentTemplate') {
          resource.Properties.Tags['cdk-reliability:service'] = { not: 'a string' };
        }
      }
      fs.writeFileSync(file, JSON.stringify(template));
    }, path.join(__dirname, 'fixtures', 'assembly'));
    const h = world();
    expect(await h.run('gameday', '--stack', 'Shop', '--service', 'checkout', '--experiment', 'x', '--dry-run', '--assembly', dir)).toBe(1);
    expect(h.stderr()).toContain('(no service tag)');
    expect(h.stderr()).not.toContain('[object');
  });

  test('names from the assembly cannot rewrite the terminal', async () => {
    const dir = craftedAssembly((_, m) => { m.artifacts.Shop.displayName = 'Shop\u001B[2J\u001B[31m'; });
    const h = world();
    expect(await h.run('gameday', '--stack', 'Nope', '--service', 'checkout', '--experiment', 'x', '--dry-run', '--assembly', dir)).toBe(1);
    expect(h.stderr()).toContain('Shop\\u001b[2J\\u001b[31m');
    expect(h.stderr()).not.toContain('\u001B');
  });
});

describe('jsonErrorPosition: where a JSON text goes wrong, without quoting it', () => {
  test.each<[string, string, number | undefined]>([
    ['valid', '{"a": 1}', undefined],
    ['empty', '', 0],
    ['a trailing comma', '{"a": 1,}', 8],
    ['text after the value', '{"a": 1} x', 9],
    ['a misspelt literal', '[1, 2, tru]', 7],
    ['a line break inside a string', '{"a": "b\nc"}', 8],
    ['an unknown escape', '{"a": "\\x"}', 7],
    ['an unquoted key', '{a: 1}', 1],
    ['a leading zero', '[01]', 2],
    ['a byte-order mark', '\uFEFF{}', 0],
    ['a hundred thousand open brackets (no stack overflow)', '['.repeat(100_000), 100_000],
  ])('%s', (_, text, offset) => {
    expect(jsonErrorPosition(text)?.offset).toBe(offset);
    if (offset === undefined) {
      expect(() => JSON.parse(text)).not.toThrow();
    } else {
      expect(() => JSON.parse(text)).toThrow();
    }
  });

  test('lines and columns are 1-based', () => {
    expect(jsonErrorPosition('{\n  "a": 1,\n  ]\n}')).toEqual({ offset: 14, line: 3, column: 3 });
  });
});

describe('output escapes control characters', () => {
  test('an ANSI escape, a carriage return and a bidirectional override are shown as escapes; JSON stays equal', () => {
    const { printable } = jest.requireActual('../../lib/cli/io') as typeof import('../../lib/cli/io');
    expect(printable('a\u001B[2Jb\rc\u202Ed\te\nf')).toBe('a\\u001b[2Jb\\u000dc\\u202ed\te\nf');
    expect(printable('x\uD83Dy🚀')).toBe('x\uFFFDy🚀');
    const json = JSON.stringify({ name: 'x\u001B\u0085\u2028y' });
    expect(JSON.parse(printable(json))).toEqual(JSON.parse(json));
  });

  test('cutting text for tables never splits a surrogate pair', () => {
    const { truncate } = jest.requireActual('../../lib/cli/render') as typeof import('../../lib/cli/render');
    expect(truncate('ab🚀🚀', 4)).toBe('ab…');
  });
});

describe('a file nested deeper than any synthesized one is refused before anything recurses into it', () => {
  const world = useHarness();

  test('a template holding 3000 nested lists (gameday used to overflow the stack: found by the fuzz suite)', async () => {
    const dir = craftedAssembly((d) => {
      const file = path.join(d, 'Shop.template.json');
      const template = JSON.parse(fs.readFileSync(file, 'utf8'));
      template.Resources.X = { Type: 'AWS::FIS::ExperimentTemplate', Properties: { Tags: { a: '<deep>' } } };
      fs.writeFileSync(file, JSON.stringify(template).replace('"<deep>"', `${'['.repeat(3000)}${']'.repeat(3000)}`));
    });
    const h = world();
    expect(await h.run('gameday', '--stack', 'Shop', '--service', 'checkout', '--experiment', 'x', '--dry-run', '--assembly', dir)).toBe(1);
    expect(h.stderr()).toBe(`error: template ${path.join(dir, 'Shop.template.json')} nests lists or objects more than 100 levels deep; a synthesized file never does\n`);
  });
});
