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

type Kind = 'string' | 'number' | 'boolean' | 'list' | 'object';

/** Where a manifest lacks what the review reads, as `services[0].slos[1].tiers is missing or not a list`. */
class ShapeProblem extends Error {}

function hasKind(value: Json, kind: Kind): boolean {
  return kind === 'list' ? Array.isArray(value) : kind === 'object' ? isRecord(value) : typeof value === kind;
}

/** `record.key`, checked to be of `kind`; `where` names `record` in the message. */
function field(record: Json, where: string, key: string, kind: Kind): Json {
  const value = isRecord(record) ? record[key] : undefined;
  if (!hasKind(value, kind)) {
    throw new ShapeProblem(`${where ? `${where}.` : ''}${key} is missing or not a${kind === 'object' ? 'n' : ''} ${kind}`);
  }
  return value;
}

/** Items of the list `record.key`, each checked to be an object. */
function objects(record: Json, where: string, key: string): Array<[Record<string, Json>, string]> {
  return (field(record, where, key, 'list') as Json[]).map((item, i) => {
    const at = `${where ? `${where}.` : ''}${key}[${i}]`;
    if (!isRecord(item)) throw new ShapeProblem(`${at} is not an object`);
    return [item, at];
  });
}

/** Throws a `ShapeProblem` at the first field the review reads that is missing or of another type. */
function checkShape(manifest: Record<string, Json>): void {
  field(field(manifest, '', 'stack', 'object'), 'stack', 'name', 'string');
  for (const [service, at] of objects(manifest, '', 'services')) {
    field(service, at, 'name', 'string');
    field(service, at, 'estimatedMonthlyCostUsd', 'number');
    if (service.escalation !== undefined) {
      const escalation = field(service, at, 'escalation', 'object');
      for (const [level, where] of objects(escalation, `${at}.escalation`, 'levels')) {
        field(level, where, 'afterSeconds', 'number');
        field(level, where, 'targets', 'list');
      }
      field(escalation, `${at}.escalation`, 'tickets', 'list');
      field(escalation, `${at}.escalation`, 'repeat', 'number');
    }
    for (const [slo, where] of objects(service, at, 'slos')) {
      field(slo, where, 'name', 'string');
      for (const key of ['objective', 'windowSeconds', 'errorBudget']) field(slo, where, key, 'number');
      field(field(slo, where, 'sli', 'object'), `${where}.sli`, 'metrics', 'list');
      field(slo, where, 'alarms', 'object');
      for (const [tier, w] of objects(slo, where, 'tiers')) {
        for (const key of ['id', 'severity']) field(tier, w, key, 'string');
        for (const key of ['budgetPercent', 'burnRate', 'errorRatio', 'longWindowSeconds', 'shortWindowSeconds']) field(tier, w, key, 'number');
        field(tier, w, 'alarmNames', 'object');
      }
    }
    for (const [experiment, where] of objects(service, at, 'experiments')) {
      field(experiment, where, 'name', 'string');
      for (const [action, w] of objects(experiment, where, 'actions')) {
        for (const key of ['name', 'actionId']) field(action, w, key, 'string');
        field(action, w, 'parameters', 'object');
        field(action, w, 'startAfter', 'list');
      }
      objects(experiment, where, 'targets');
      field(experiment, where, 'stopConditions', 'list');
    }
  }
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
