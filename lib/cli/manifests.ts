/**
 * Reading reliability manifests for `report` and `diff`: from a cloud assembly (each stack's
 * `<artifactId>.reliability.json` beside its template, nested stages included), from one manifest
 * file, or from a directory of manifest files. Manifests of a schema this version does not know
 * are refused, and so are files that do not have the shape the review reads.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeValue } from '../private/describe';
import { MANIFEST_FILE_SUFFIX, MANIFEST_SCHEMA_VERSION, ReliabilityManifest } from '../manifest/schema';
import { describeStack, fileBesideTemplate, listAssemblyStacks } from './assembly';
import { CliError } from './errors';
import { assemblyRoot, printablePath, readJsonFile, resolveInside } from './files';

/** Where manifests came from. */
export type ManifestSourceKind = 'assembly' | 'file' | 'directory';

/** The manifests read from one path. */
export interface ManifestSet {
  /** The path as given. */
  readonly path: string;
  readonly kind: ManifestSourceKind;
  /** One per stack, in assembly order (stages' stacks where the stage is), or by file name. */
  readonly manifests: ReliabilityManifest[];
  /** The files read, absolute, in the same order. */
  readonly files: string[];
}

type Json = unknown;

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where a manifest lacks what the review reads, as `services[0].slos[1].tiers is missing or not a list`. */
class ShapeProblem extends Error {}

/**
 * The schema (lib/manifest/schema.ts) as `checkTypes` reads it: `string`, `number` (finite),
 * `boolean`, `[T]` a list of T, `{ '*': T }` a record of T, or an object of these fields, each
 * required unless its name ends with `?`. Every field present must have its type; the required
 * ones are those the review reads unconditionally (found by deleting each field of the fixture
 * manifests in turn), so that a manifest written by an older version still reads.
 */
type TypeSpec = 'string' | 'number' | 'boolean' | [TypeSpec] | { readonly [key: string]: TypeSpec };

const STRINGS: TypeSpec = ['string'];
const STRING_RECORD: TypeSpec = { '*': 'string' };
const MANIFEST_TYPES: TypeSpec = {
  'schemaVersion': 'number',
  'generator?': 'string',
  'stack': { 'name': 'string', 'artifactId?': 'string', 'path': 'string', 'account?': 'string', 'region?': 'string' },
  'services': [{
    'name': 'string', 'path': 'string', 'owner?': 'string', 'runbookUrl?': 'string', 'dashboard?': 'string', 'estimatedMonthlyCostUsd': 'number',
    'escalation?': {
      'name': 'string', 'path': 'string', 'levels': [{ afterSeconds: 'number', targets: STRINGS }], 'repeat': 'number', 'tickets': STRINGS,
      'acknowledgeLinkTtlSeconds?': 'number',
    },
    'slos': [{
      'name': 'string', 'objective': 'number', 'windowSeconds': 'number', 'window?': 'string', 'errorBudget': 'number', 'minimumEvents?': 'number',
      'runbookUrl?': 'string', 'alarms': { 'page?': 'string', 'ticket?': 'string' }, 'estimatedMonthlyCostUsd': 'number',
      'sli': {
        'kind': 'string', 'description': 'string', 'badEvents?': 'string', 'totalEvents?': 'string',
        'metrics': [{ 'id': 'string', 'namespace?': 'string', 'metricName?': 'string', 'dimensions': STRING_RECORD, 'statistic?': 'string', 'expression?': 'string' }],
      },
      'tiers': [{
        'id': 'string', 'severity': 'string', 'budgetPercent': 'number', 'longWindowSeconds': 'number', 'shortWindowSeconds': 'number',
        'longWindow?': 'string', 'shortWindow?': 'string', 'burnRate': 'number', 'errorRatio': 'number', 'alarmNames': { long: 'string', short: 'string' },
      }],
    }],
    'experiments': [{
      'name': 'string', 'logicalId?': 'string', 'description': 'string', 'expectedSeconds?': 'number', 'steadyStateCheck?': 'boolean',
      'recoveryCheck?': 'boolean',
      'actions': [{ 'name': 'string', 'actionId': 'string', 'description?': 'string', 'parameters': STRING_RECORD, 'startAfter': STRINGS, 'target?': 'string' }],
      'targets': [{
        'name': 'string', 'resourceType': 'string', 'selectionMode': 'string', 'resourceArns?': STRINGS, 'resourceTags?': STRING_RECORD,
        'parameters?': STRING_RECORD, 'filters?': [{ path: 'string', values: STRINGS }],
      }],
      'stopConditions': STRINGS,
      'gameDay?': { expression: 'string', timeZone: 'string', enabled: 'boolean' },
    }],
  }],
};

/** Throws a `ShapeProblem` at the first field missing (and required) or of another type than the schema's. */
function checkTypes(value: Json, spec: TypeSpec, where: string): void {
  const at = where || 'the manifest';
  if (typeof spec === 'string') {
    if (typeof value !== spec || (spec === 'number' && !Number.isFinite(value))) {
      throw new ShapeProblem(`${at} is missing or not a ${spec}`);
    }
  } else if (Array.isArray(spec)) {
    if (!Array.isArray(value)) {
      throw new ShapeProblem(`${at} is missing or not a list`);
    }
    value.forEach((item, i) => checkTypes(item, spec[0], `${where}[${i}]`));
  } else {
    if (!isRecord(value)) {
      throw new ShapeProblem(`${at} is missing or not an object`);
    }
    const fieldName = (key: string) => `${where ? `${where}.` : ''}${key}`;
    if (spec['*'] !== undefined) {
      for (const [key, item] of Object.entries(value)) {
        checkTypes(item, spec['*'], fieldName(JSON.stringify(key)));
      }
      return;
    }
    for (const [name, itemSpec] of Object.entries(spec)) {
      const optional = name.endsWith('?');
      const key = optional ? name.slice(0, -1) : name;
      const item = Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
      if (item !== undefined || !optional) {
        checkTypes(item, itemSpec, fieldName(key));
      }
    }
  }
}

/** Throws a `ShapeProblem` at the first field the review reads that is missing or of another type. */
function checkShape(manifest: Record<string, Json>): void {
  checkTypes(manifest, MANIFEST_TYPES, '');
}

/** Parses and checks one manifest file. */
export function readManifestFile(file: string, label: string = file): ReliabilityManifest {
  const shown = printablePath(label);
  const value: Json = readJsonFile(file, 'the reliability manifest', label);
  if (!isRecord(value) || value.schemaVersion === undefined) {
    throw new CliError(`${shown} is not a reliability manifest (no schemaVersion)`);
  }
  const version = value.schemaVersion;
  if (typeof version === 'number' && Number.isInteger(version) && version > MANIFEST_SCHEMA_VERSION) {
    throw new CliError(`${shown} was written by a newer cdk-reliability (schema ${version}); this one reads ${MANIFEST_SCHEMA_VERSION}: `
      + 'upgrade cdk-reliability (npm install cdk-reliability@latest) to read it');
  }
  if (version !== MANIFEST_SCHEMA_VERSION) {
    throw new CliError(`${shown} has an unknown schema version ${describeValue(version, 40)}; `
      + `this cdk-reliability reads ${MANIFEST_SCHEMA_VERSION}`);
  }
  try {
    checkShape(value);
  } catch (err) {
    if (err instanceof ShapeProblem) {
      throw new CliError(`${shown} is not a reliability manifest of schema ${MANIFEST_SCHEMA_VERSION}: ${err.message}`);
    }
    throw err;
  }
  return value as unknown as ReliabilityManifest;
}

/** `pathArg/name`, joined for messages the way the user wrote the path. */
function shownPath(pathArg: string, absolute: string, root: string): string {
  const relative = path.relative(root, absolute);
  return relative.startsWith('..') || path.isAbsolute(relative) ? absolute : path.join(pathArg, relative);
}

function fromAssembly(pathArg: string, dir: string): ManifestSet {
  const stacks = listAssemblyStacks(dir);
  const manifests: ReliabilityManifest[] = [];
  const files: string[] = [];
  for (const stack of stacks) {
    const file = fileBesideTemplate(stack, MANIFEST_FILE_SUFFIX);
    if (fs.existsSync(file)) {
      manifests.push(readManifestFile(file, shownPath(pathArg, file, dir)));
      files.push(file);
    }
  }
  if (manifests.length === 0) {
    const names = stacks.length ? stacks.map(describeStack).join(', ') : 'none';
    throw new CliError(`no stack in ${pathArg} holds a ReliableService: no <artifactId>${MANIFEST_FILE_SUFFIX} beside the templates `
      + `(stacks: ${names}). Synthesize with a cdk-reliability that writes manifests, or pass a ${MANIFEST_FILE_SUFFIX} file`);
  }
  return { path: pathArg, kind: 'assembly', manifests, files };
}

function fromDirectory(pathArg: string, dir: string): ManifestSet {
  const names = fs.readdirSync(dir).filter((name) => name.endsWith(MANIFEST_FILE_SUFFIX)).sort();
  if (names.length === 0) {
    throw new CliError(`no cloud assembly at ${pathArg} (no manifest.json) and no *${MANIFEST_FILE_SUFFIX} files in it: `
      + 'run `cdk synth` first, or pass the directory it wrote (cdk.out)');
  }
  // a directory of manifests is an assembly too: a file linking out of it is refused
  const root = assemblyRoot(dir);
  const files = names.map((name) => resolveInside(root, root.dir, name, 'the reliability manifest'));
  return { path: pathArg, kind: 'directory', manifests: files.map((f, i) => readManifestFile(f, path.join(pathArg, names[i]))), files };
}

/**
 * The manifests at `pathArg`: a cloud assembly directory (its `manifest.json` lists the stacks,
 * nested stages included; each stack's manifest is read where it exists), a `.reliability.json`
 * file, or a directory of such files. Throws a `CliError` (exit 1) when there is nothing to read.
 */
export function readManifests(pathArg: string, cwd: string = process.cwd()): ManifestSet {
  const absolute = path.resolve(cwd, pathArg);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch {
    throw new CliError(pathArg.endsWith('.json')
      ? `no reliability manifest at ${pathArg}: the file does not exist`
      : `no cloud assembly at ${pathArg}: run \`cdk synth\` first, or pass the directory it wrote (cdk.out) or a ${MANIFEST_FILE_SUFFIX} file`);
  }
  if (stat.isFile()) {
    return { path: pathArg, kind: 'file', manifests: [readManifestFile(absolute, pathArg)], files: [absolute] };
  }
  if (fs.existsSync(path.join(absolute, 'manifest.json'))) {
    return fromAssembly(pathArg, absolute);
  }
  return fromDirectory(pathArg, absolute);
}

/** `3 services in 2 stacks` for messages. */
export function describeManifestSet(set: ManifestSet): string {
  const services = set.manifests.reduce((sum, m) => sum + m.services.length, 0);
  return `${services} service${services === 1 ? '' : 's'} in ${set.manifests.length} stack${set.manifests.length === 1 ? '' : 's'}`;
}
