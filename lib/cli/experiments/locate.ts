/**
 * Finding the experiment template of a stack/service/experiment by its cdk-reliability tags: among
 * the FIS templates deployed in a region, or in a synthesized cloud assembly. When there is none,
 * the error lists the experiments that do exist, so that a typo is obvious.
 */
import * as path from 'node:path';
import { FisClient, GetExperimentTemplateCommand, ListExperimentTemplatesCommand } from '@aws-sdk/client-fis';
import { AssemblyStack, describeStack, findAssemblyStack, readTemplate, Template } from '../assembly';
import { CliError } from '../errors';
import { EXPERIMENT_TAGS, ExperimentPlan, normaliseExperimentTemplate } from './model';

/** What the user asked for. */
export interface ExperimentQuery {
  readonly stack: string;
  readonly service: string;
  readonly experiment: string;
}

interface Tagged {
  readonly id: string;
  readonly tags: Readonly<Record<string, string | undefined>>;
}

/** The string-valued tags of a template resource (the FIS template's `Tags` map); anything else is no tag. */
function stringTags(tags: unknown): Record<string, string> {
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) {
    return {};
  }
  return Object.fromEntries(Object.entries(tags).filter(([, value]) => typeof value === 'string')) as Record<string, string>;
}

/** The tags searched for, as `key=value` pairs. */
const searched = (q: ExperimentQuery, withStack: boolean): string =>
  `${withStack ? `${EXPERIMENT_TAGS.stack}=${q.stack}, ` : ''}${EXPERIMENT_TAGS.service}=${q.service}, ${EXPERIMENT_TAGS.experiment}=${q.experiment}`;

/** `checkout: slow-handler, throttled-db` lines for the experiments of a stack. */
function existingExperiments(candidates: readonly Tagged[]): string[] {
  const byService = new Map<string, string[]>();
  for (const c of candidates) {
    const service = c.tags[EXPERIMENT_TAGS.service] ?? '(no service tag)';
    const experiment = c.tags[EXPERIMENT_TAGS.experiment] ?? `(no experiment tag: ${c.id})`;
    byService.set(service, [...(byService.get(service) ?? []), experiment]);
  }
  return [...byService.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([service, experiments]) => `  ${service}: ${[...new Set(experiments)].sort().join(', ')}`);
}

/** The one candidate matching service and experiment, or an error naming what exists. */
function pickOne(candidates: readonly Tagged[], query: ExperimentQuery, where: string, byStackTag: boolean, notFoundHint: string): Tagged {
  const matches = candidates.filter((c) =>
    c.tags[EXPERIMENT_TAGS.service] === query.service && c.tags[EXPERIMENT_TAGS.experiment] === query.experiment);
  if (matches.length === 1) {
    return matches[0];
  }
  if (matches.length > 1) {
    throw new CliError(`${matches.length} experiment templates in ${where} are tagged ${searched(query, byStackTag)}: `
      + `${matches.map((m) => m.id).join(', ')}. Delete the stale ones, or deploy again so that only one remains.`);
  }
  const lines = [`no experiment '${query.experiment}' for service '${query.service}' of stack '${query.stack}' in ${where} `
    + `(searched for experiment templates tagged ${searched(query, byStackTag)}).`];
  if (candidates.length > 0) {
    lines.push(`Experiments of stack '${query.stack}' there (service: experiments):`, ...existingExperiments(candidates));
  } else {
    lines.push(notFoundHint);
  }
  throw new CliError(lines.join('\n'));
}

/** Every FIS experiment template of the region, following `nextToken`. */
async function listTemplates(fis: FisClient): Promise<Tagged[]> {
  const all: Tagged[] = [];
  let nextToken: string | undefined;
  do {
    const page = await fis.send(new ListExperimentTemplatesCommand({ maxResults: 100, nextToken }));
    for (const t of page.experimentTemplates ?? []) {
      if (t.id) {
        all.push({ id: t.id, tags: t.tags ?? {} });
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}

/** The deployed template of the experiment, read with `GetExperimentTemplate`. */
export async function findDeployedExperiment(fis: FisClient, query: ExperimentQuery, region: string): Promise<ExperimentPlan> {
  const all = await listTemplates(fis);
  const ofStack = all.filter((t) => t.tags[EXPERIMENT_TAGS.stack] === query.stack);
  const otherStacks = [...new Set(all.flatMap((t) => {
    const stack = t.tags[EXPERIMENT_TAGS.stack];
    return stack !== undefined && stack !== query.stack ? [stack] : [];
  }))].sort();
  const hint = `No experiment of stack '${query.stack}' is deployed in ${region}: deploy the stack first `
    + `(\`cdk deploy ${query.stack}\`), or check --region and --profile.`
    + (otherStacks.length ? ` Stacks with experiments in ${region}: ${otherStacks.join(', ')}.` : '');
  const found = pickOne(ofStack, query, `FIS in ${region}`, true, hint);
  const response = await fis.send(new GetExperimentTemplateCommand({ id: found.id }));
  if (!response.experimentTemplate) {
    throw new CliError(`FIS returned no experiment template for ${found.id} in ${region}`);
  }
  return normaliseExperimentTemplate(found.id, 'fis', response.experimentTemplate);
}

/** An experiment found in a cloud assembly. */
export interface AssemblyExperiment {
  readonly plan: ExperimentPlan;
  readonly stack: AssemblyStack;
  readonly template: Template;
}

/**
 * The experiment in the synthesized template of the stack. The stack is found by construct path,
 * stack name or artifact id; within its template, by the service and experiment tags (the stack
 * tag holds the stack name, which the stack already pins down).
 */
export function findExperimentInAssembly(dir: string, query: ExperimentQuery): AssemblyExperiment {
  const stack = findAssemblyStack(dir, query.stack);
  const template = readTemplate(stack);
  const candidates: Tagged[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type === 'AWS::FIS::ExperimentTemplate') {
      candidates.push({ id: logicalId, tags: stringTags(resource.Properties?.Tags) });
    }
  }
  const where = `stack ${describeStack(stack)} of ${path.resolve(dir)}`;
  const found = pickOne(candidates, query, where, false,
    `The template has no experiment templates (AWS::FIS::ExperimentTemplate); was the experiment added to stack '${query.stack}' before \`cdk synth\`?`);
  const properties = template.Resources![found.id].Properties ?? {};
  return { plan: normaliseExperimentTemplate(found.id, 'assembly', properties, template), stack, template };
}
