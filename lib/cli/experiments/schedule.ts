/**
 * The order in which FIS runs an experiment's actions, from their `startAfter` lists: actions
 * without `startAfter` start at once, in parallel; every other action starts when all the actions
 * it names have completed. Also the expected duration along the longest path, from each action's
 * ISO 8601 `duration` parameter. Pure.
 */
import { CliError } from '../errors';

/** What scheduling needs from an action. */
export interface SchedulableAction {
  readonly name: string;
  readonly startAfter: readonly string[];
  /** The `duration` parameter as written (`PT5M`). @default - none (counts as 0) */
  readonly duration?: string;
}

const ISO_DURATION = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/**
 * Seconds in an ISO 8601 duration without years or months (`PT10M`, `PT1H30M`, `PT30S`, `P1D`,
 * `PT0.5S`), or undefined when the text is not one.
 */
export function parseIsoDuration(text: string): number | undefined {
  const m = ISO_DURATION.exec(text.trim());
  if (!m || m.slice(1).every((v) => v === undefined) || /T$/i.test(text.trim())) {
    return undefined;
  }
  const [weeks, days, hours, minutes, seconds] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  return (((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds;
}

function byName<A extends SchedulableAction>(actions: readonly A[]): Map<string, A> {
  const map = new Map<string, A>();
  for (const action of actions) {
    map.set(action.name, action);
  }
  for (const action of actions) {
    for (const dependency of action.startAfter) {
      if (!map.has(dependency)) {
        throw new CliError(`action '${action.name}' starts after '${dependency}', which is not an action of the experiment `
          + `(actions: ${actions.map((a) => a.name).join(', ')})`);
      }
    }
  }
  return map;
}

/** Stage number (1 = starts at once) of every action: one more than the latest stage it waits for. */
function stageNumbers(actions: readonly SchedulableAction[]): Map<string, number> {
  const map = byName(actions);
  const stage = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (name: string, trail: string[]): number => {
    const known = stage.get(name);
    if (known !== undefined) {
      return known;
    }
    if (visiting.has(name)) {
      throw new CliError(`the actions' startAfter lists form a cycle: ${[...trail, name].join(' → ')}`);
    }
    visiting.add(name);
    const deps = map.get(name)!.startAfter;
    const value = deps.length === 0 ? 1 : 1 + Math.max(...deps.map((d) => visit(d, [...trail, name])));
    visiting.delete(name);
    stage.set(name, value);
    return value;
  };
  for (const action of actions) {
    visit(action.name, []);
  }
  return stage;
}

/**
 * Actions grouped into stages in execution order. Actions in one stage run in parallel; a stage
 * holds the actions whose longest chain of `startAfter` predecessors has the same length. Within a
 * stage the template's order is kept.
 */
export function executionStages<A extends SchedulableAction>(actions: readonly A[]): A[][] {
  const stage = stageNumbers(actions);
  const stages: A[][] = [];
  for (const action of actions) {
    const index = stage.get(action.name)! - 1;
    (stages[index] ??= []).push(action);
  }
  return stages.filter((s) => s !== undefined);
}

/** The actions in execution order (stage by stage). */
export function executionOrder<A extends SchedulableAction>(actions: readonly A[]): A[] {
  return executionStages(actions).flat();
}

/** The expected duration of an experiment. */
export interface ExpectedDuration {
  /** Seconds along the longest path. */
  readonly seconds: number;
  /** The actions on that path, in order. */
  readonly path: readonly string[];
  /** Actions whose `duration` parameter is not an ISO 8601 duration (counted as 0). */
  readonly unreadable: readonly string[];
}

/**
 * The longest path through the `startAfter` graph, each action weighing its `duration` (0 when none).
 * Among paths of equal length the one ending last in execution order is given, so that instant
 * checks at the end (`recovered`) are part of it.
 */
export function expectedDuration(actions: readonly SchedulableAction[]): ExpectedDuration {
  const map = byName(actions);
  const order = executionOrder(actions);
  const unreadable: string[] = [];
  const weight = new Map<string, number>();
  for (const action of actions) {
    const seconds = action.duration === undefined ? 0 : parseIsoDuration(action.duration);
    if (seconds === undefined) {
      unreadable.push(action.name);
    }
    weight.set(action.name, seconds ?? 0);
  }
  const finish = new Map<string, number>();
  const via = new Map<string, string | undefined>();
  for (const action of order) {
    let start = 0;
    let previous: string | undefined;
    for (const dependency of map.get(action.name)!.startAfter) {
      if (finish.get(dependency)! >= start) {
        start = finish.get(dependency)!;
        previous = dependency;
      }
    }
    finish.set(action.name, start + weight.get(action.name)!);
    via.set(action.name, previous);
  }
  let last: string | undefined;
  for (const action of order) {
    if (last === undefined || finish.get(action.name)! >= finish.get(last)!) {
      last = action.name;
    }
  }
  const path: string[] = [];
  for (let name = last; name !== undefined; name = via.get(name)) {
    path.unshift(name);
  }
  return { seconds: last === undefined ? 0 : finish.get(last)!, path, unreadable };
}

/** Every action `name` waits for, directly or through others. */
export function predecessors(actions: readonly SchedulableAction[], name: string): Set<string> {
  const map = byName(actions);
  const seen = new Set<string>();
  const stack = [...(map.get(name)?.startAfter ?? [])];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (!seen.has(next)) {
      seen.add(next);
      stack.push(...map.get(next)!.startAfter);
    }
  }
  return seen;
}
