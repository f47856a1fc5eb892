/**
 * Reading a synthesized cloud assembly (`cdk.out`) without aws-cdk-lib: its `manifest.json`, the
 * stack artifacts in it and in nested assemblies (stages), and their templates. Shared by every
 * command that works offline.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError } from './errors';
import { AssemblyRoot, assemblyRoot, printablePath, readJsonFile, resolveInside } from './files';

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
  /** The artifact id in the manifest (`Shop`, `ProdShop1A2B3C4D`): a plain file name. */
  readonly artifactId: string;
  /** Construct path of the stack (`Shop`, `Prod/Shop`). */
  readonly displayName: string;
  /** The CloudFormation stack name (`Shop`, `Prod-Shop`). */
  readonly stackName: string;
  /** Absolute path of the template file, inside `assemblyDirectory`. */
  readonly templateFile: string;
  /** `aws://account/region` as in the manifest. @default - none recorded */
  readonly environment?: string;
  /**
   * The assembly the stack was listed from (absolute): every file it names must resolve inside.
   * @default - the template's directory
   */
  readonly assemblyDirectory?: string;
}

const MAX_NESTING = 10;

/** An artifact id is used as a file name (`<artifactId>.reliability.json`): no separators, no `..`, nothing unprintable. */
const PLAIN_NAME = /^(?!\.\.?$)[^/\\\p{C}]{1,255}$/u;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function collectStacks(root: AssemblyRoot, dir: string, depth: number, into: AssemblyStack[]): void {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new CliError(depth === 0
      ? `no cloud assembly in ${printablePath(dir)} (no manifest.json): run \`cdk synth\` first, or pass --assembly <dir> where it wrote its output`
      : `nested cloud assembly ${printablePath(dir)} has no manifest.json: run \`cdk synth\` again`);
  }
  const shown = printablePath(manifestFile);
  const manifest = readJsonFile(resolveInside(root, dir, 'manifest.json', 'cloud assembly manifest'), 'cloud assembly manifest', manifestFile);
  if (!isRecord(manifest) || (manifest.artifacts !== undefined && !isRecord(manifest.artifacts))) {
    throw new CliError(`cloud assembly manifest ${shown} is not a cloud assembly manifest (no artifacts object)`);
  }
  for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (!isRecord(artifact)) {
      continue;
    }
    const properties = isRecord(artifact.properties) ? artifact.properties : {};
    const what = `artifact ${JSON.stringify(printablePath(artifactId))} of ${shown}`;
    if (artifact.type === 'aws:cloudformation:stack' && properties.templateFile !== undefined && properties.templateFile !== '') {
      if (!PLAIN_NAME.test(artifactId)) {
        throw new CliError(`${what}: a stack's artifact id must be a plain name (it names files beside the template); refusing the assembly`);
      }
      into.push({
        artifactId,
        displayName: optionalString(artifact.displayName) ?? optionalString(properties.displayName) ?? artifactId,
        stackName: optionalString(properties.stackName) ?? artifactId,
        templateFile: resolveInside(root, dir, properties.templateFile, `${what}: templateFile`),
        environment: optionalString(artifact.environment),
        assemblyDirectory: root.dir,
      });
    } else if (artifact.type === 'cdk:cloud-assembly' && properties.directoryName !== undefined && properties.directoryName !== '' && depth < MAX_NESTING) {
      collectStacks(root, resolveInside(root, dir, properties.directoryName, `${what}: directoryName`), depth + 1, into);
    }
  }
}

/**
 * Every stack of the assembly in `dir`, including those of nested assemblies (stages). Every file
 * the manifests name must resolve inside `dir`: an assembly that names `/etc/passwd` or `../x`,
 * or links out of its directory, is refused.
 */
export function listAssemblyStacks(dir: string): AssemblyStack[] {
  const stacks: AssemblyStack[] = [];
  const absolute = path.resolve(dir);
  if (!fs.existsSync(path.join(absolute, 'manifest.json'))) {
    throw new CliError(`no cloud assembly in ${printablePath(absolute)} (no manifest.json): run \`cdk synth\` first, or pass --assembly <dir> where it wrote its output`);
  }
  const root = assemblyRoot(absolute);
  collectStacks(root, root.dir, 0, stacks);
  return stacks;
}

/**
 * A file beside a stack's template, named by the stack's artifact id (its reliability manifest):
 * the path, checked to resolve inside the assembly.
 */
export function fileBesideTemplate(stack: AssemblyStack, suffix: string): string {
  return resolveInside(rootOf(stack), path.dirname(stack.templateFile), `${stack.artifactId}${suffix}`,
    `the file beside the template of ${printablePath(stack.displayName)}`);
}

function rootOf(stack: AssemblyStack): AssemblyRoot {
  return assemblyRoot(stack.assemblyDirectory ?? path.dirname(stack.templateFile));
}

/** How a stack is listed in messages: `Prod/Shop (stack name Prod-Shop)`. */
export function describeStack(stack: AssemblyStack): string {
  // the names come from the assembly: a crafted one must not rewrite the terminal
  const name = printablePath(stack.displayName);
  return stack.displayName === stack.stackName ? name : `${name} (stack name ${printablePath(stack.stackName)})`;
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

/** The stack's synthesized template (checked again to be inside the assembly when read: links can change). */
export function readTemplate(stack: AssemblyStack): Template {
  const root = rootOf(stack);
  const file = resolveInside(root, root.dir, stack.templateFile, `the template of ${printablePath(stack.displayName)}`);
  const template = readJsonFile(file, 'template', stack.templateFile);
  if (!isRecord(template) || (template.Resources !== undefined && !isRecord(template.Resources))) {
    throw new CliError(`template ${printablePath(stack.templateFile)} is not a CloudFormation template (no Resources object)`);
  }
  return template as Template;
}
