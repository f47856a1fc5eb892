/**
 * Reading the documentation in tests: the generated blocks between `<!-- name:start -->` and
 * `<!-- name:end -->` markers, and the TypeScript examples of README.md and docs/, which are
 * compiled against the package's entry point (`cdk-reliability` resolves to `lib/index.ts`).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

export const ROOT = path.join(__dirname, '..', '..');

/** README.md and every Markdown file under docs/, as paths relative to the repository root. */
export function documentationFiles(): string[] {
  const docs = (dir: string): string[] => fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? docs(path.join(dir, e.name)) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : []));
  return ['README.md', ...docs('docs').sort()];
}

/** The text of a documentation file, e.g. `docs/alerting.md`. */
export function readDoc(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), 'utf8');
}

/** One fenced TypeScript example: where it is and its code. */
export interface Example {
  readonly file: string;
  readonly line: number;
  readonly code: string;
}

/** Every ```ts block of the given documentation files. */
export function typescriptExamples(files: string[]): Example[] {
  return files.flatMap((file) => {
    const text = readDoc(file);
    return [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => ({
      file, line: text.slice(0, m.index).split('\n').length + 1, code: m[1],
    }));
  });
}

/**
 * What the examples may use without declaring it, as the prose around them introduces it: the
 * app and stack, the sample's resources, a service and an escalation policy.
 */
const FIXTURE = `
declare const app: import('aws-cdk-lib').App;
declare const stack: import('aws-cdk-lib').Stack;
declare const handler: import('aws-cdk-lib/aws-lambda').Function;
declare const api: import('aws-cdk-lib/aws-apigateway').RestApi;
declare const checkout: import('cdk-reliability').ReliableService;
declare const onCall: import('cdk-reliability').EscalationPolicy;
declare const sli: import('cdk-reliability').ISli;
declare const reserveStock: import('aws-cdk-lib/aws-lambda').Function;
declare const ShopStack: typeof import('aws-cdk-lib').Stack;
declare const ShopStage: typeof import('aws-cdk-lib').Stage;
`;

/**
 * Type-checks the examples, each as a module of its own (with the fixture's declarations in
 * scope), and returns the errors as `file:line: message`, lines being those of the Markdown file.
 */
export function compileExamples(examples: Example[]): string[] {
  const dir = path.join(ROOT, 'docs', '__examples__');
  const sources = new Map<string, { example?: Example; text: string }>();
  sources.set(path.join(dir, 'fixture.d.ts'), { text: FIXTURE });
  examples.forEach((example, i) => sources.set(path.join(dir, `example${i}.ts`), { example, text: `${example.code}\nexport {};\n` }));

  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, lib: ['lib.es2022.d.ts'], strict: true,
    esModuleInterop: true, skipLibCheck: true, noEmit: true, types: ['node', 'jest'],
    baseUrl: ROOT, paths: { 'cdk-reliability': ['lib/index.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) => {
    const own = sources.get(path.resolve(name));
    return own ? ts.createSourceFile(name, own.text, version, true) : getSourceFile(name, version, ...rest);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => sources.has(path.resolve(name)) || fileExists(name);
  const program = ts.createProgram([...sources.keys()], options, host);

  return [...sources.entries()].flatMap(([name, { example }]) => {
    const file = program.getSourceFile(name)!;
    return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map((d) => {
      const line = d.start === undefined ? 0 : file.getLineAndCharacterOfPosition(d.start).line;
      const where = example ? `${example.file}:${example.line + line}` : 'fixture';
      return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
export function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** The relative links of a documentation file that point to no file, or to no heading of it. */
export function brokenLinks(file: string): string[] {
  const text = readDoc(file).replace(/^```[\s\S]*?^```$/gm, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1])
    .filter((target) => !/^[a-z]+:/.test(target))
    .filter((target) => {
      const [target_, anchor] = target.split('#');
      const resolved = target_ === '' ? path.join(ROOT, file) : path.join(ROOT, path.dirname(file), target_);
      if (!fs.existsSync(resolved)) {
        return true;
      }
      if (anchor === undefined || !resolved.endsWith('.md')) {
        return false;
      }
      const headings = [...fs.readFileSync(resolved, 'utf8').replace(/^```[\s\S]*?^```$/gm, '').matchAll(/^#+ (.*)$/gm)].map((h) => anchorOf(h[1]));
      return !headings.includes(anchor);
    });
}

/** The text between `<!-- name:start -->` and `<!-- name:end -->` in a documentation file. */
export function docBlock(file: string, name: string): string {
  const m = new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)<!-- ${name}:end -->`).exec(readDoc(file));
  if (!m) {
    throw new Error(`${file} has no ${name} block`);
  }
  return m[1].trim();
}
