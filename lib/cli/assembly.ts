/**
 * Reading a synthesized cloud assembly (`cdk.out`) without aws-cdk-lib: its `manifest.json`, the
 * stack artifacts in it and in nested assemblies (stages), and their templates. Shared by every
 * command that works offline.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError } from './errors';

/** A CloudFormation resource as synthesized. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** A CloudFormation template as synthesized. */
export interface Template {
  readonly Resources?: Record<string, TemplateResource>;
  readonly [key: string]: unknown;
}

/** A stack in a cloud assembly. */
export interface AssemblyStack {
  /** The artifact id in the manifest (`Shop`, `ProdShop1A2B3C4D`). */
  readonly artifactId: string;
  /** Construct path of the stack (`Shop`, `Prod/Shop`). */
  readonly displayName: string;
  /** The CloudFormation stack name (`Shop`, `Prod-Shop`). */
  readonly stackName: string;
  /** Absolute path of the template file. */
  readonly templateFile: string;
  /** `aws://account/region` as in the manifest. @default - none recorded */
  readonly environment?: string;
}

interface ManifestArtifact {
  readonly type?: string;
  readonly environment?: string;
  readonly displayName?: string;
  readonly properties?: {
    readonly templateFile?: string;
    readonly stackName?: string;
    readonly directoryName?: string;
    readonly displayName?: string;
  };
}

interface Manifest {
  readonly artifacts?: Record<string, ManifestArtifact>;
}

const MAX_NESTING = 10;

function readJson<T>(file: string, what: string): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${what} ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new CliError(`${what} ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

function collectStacks(dir: string, depth: number, into: AssemblyStack[]): void {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new CliError(depth === 0
      ? `no cloud assembly in ${dir} (no manifest.json): run \`cdk synth\` first, or pass --assembly <dir> where it wrote its output`
      : `nested cloud assembly ${dir} has no manifest.json: run \`cdk synth\` again`);
  }
  const manifest = readJson<Manifest>(manifestFile, 'cloud assembly manifest');
  for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) {
      into.push({
        artifactId,
        displayName: artifact.displayName ?? artifactId,
        stackName: artifact.properties.stackName ?? artifactId,
        templateFile: path.resolve(dir, artifact.properties.templateFile),
        environment: artifact.environment,
      });
    } else if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName && depth < MAX_NESTING) {
      collectStacks(path.resolve(dir, artifact.properties.directoryName), depth + 1, into);
    }
  }
}

/** Every stack of the assembly in `dir`, including those of nested assemblies (stages). */
export function listAssemblyStacks(dir: string): AssemblyStack[] {
  const stacks: AssemblyStack[] = [];
  collectStacks(path.resolve(dir), 0, stacks);
  return stacks;
}

/** How a stack is listed in messages: `Prod/Shop (stack name Prod-Shop)`. */
export function describeStack(stack: AssemblyStack): string {
  return stack.displayName === stack.stackName ? stack.displayName : `${stack.displayName} (stack name ${stack.stackName})`;
}

/**
 * The stack whose construct path (`displayName`), CloudFormation stack name or artifact id is
 * `name`. Throws, listing the stacks there are, when none or several match.
 */
export function findAssemblyStack(dir: string, name: string): AssemblyStack {
  const stacks = listAssemblyStacks(dir);
  const matches = stacks.filter((s) => s.displayName === name || s.stackName === name || s.artifactId === name);
  if (matches.length === 1) {
    return matches[0];
  }
  if (matches.length > 1) {
    throw new CliError(`${matches.length} stacks in ${path.resolve(dir)} are called '${name}': `
      + `${matches.map(describeStack).join(', ')}; pass the construct path (e.g. ${matches[0].displayName})`);
  }
  const known = stacks.length ? stacks.map(describeStack).join(', ') : 'none';
  throw new CliError(`no stack '${name}' in the cloud assembly ${path.resolve(dir)}; stacks there: ${known}`);
}

/** The stack's synthesized template. */
export function readTemplate(stack: AssemblyStack): Template {
  return readJson<Template>(stack.templateFile, 'template');
}
