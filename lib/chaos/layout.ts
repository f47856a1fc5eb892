/**
 * Lays a fault tree out as FIS template actions: names, `StartAfter` edges, shared targets, the
 * longest path's duration and the most actions running at once. Pure: tested without synth.
 */
import { FIS_ACTIONS, FIS_LIMITS } from './catalog';
import { FaultActionSpec, FaultNode } from './fault-action';
import { Targets } from './targets';
import { Problem } from '../private/problems';

/** One action of the template. */
export interface LaidOutAction {
  /** Key in the template's `Actions` map. */
  readonly name: string;
  readonly spec: FaultActionSpec;
  /** Names of the actions it starts after (empty: starts with the experiment). */
  readonly startAfter: string[];
  /** Key of its target in the template's `Targets` map. */
  readonly targetName?: string;
}

/** A target of the template, shared by the actions that hit the same resources. */
export interface LaidOutTarget {
  readonly name: string;
  readonly resourceType: string;
  readonly targets: Targets;
}

/** The template's actions and targets. */
export interface Layout {
  readonly actions: LaidOutAction[];
  readonly targets: LaidOutTarget[];
  /** Names of the actions nothing else starts after: the end of the experiment. */
  readonly terminals: string[];
  /** Seconds along the longest path of actions. */
  readonly longestSeconds: number;
}

/** Builds template action and target names, unique within one template. */
export class LayoutBuilder {
  private readonly actions: LaidOutAction[] = [];
  private readonly targets: LaidOutTarget[] = [];
  private readonly targetKeys = new Map<string, string>();
  private readonly names = new Set<string>();

  /** Adds one action after `startAfter`; returns its name. */
  public add(spec: FaultActionSpec, startAfter: string[], preferredName?: string): string {
    const base = preferredName ?? spec.definition.actionId.split(':').pop()!;
    let name = base;
    for (let i = 2; this.names.has(name); i++) {
      name = `${base}-${i}`;
    }
    this.names.add(name);
    this.actions.push({ name, spec, startAfter: [...startAfter], targetName: spec.target ? this.targetFor(spec) : undefined });
    return name;
  }

  /** Adds a fault tree after `startAfter`; returns its terminal actions. */
  public addTree(node: FaultNode, startAfter: string[]): string[] {
    switch (node.kind) {
      case 'action':
        return [this.add(node.action, startAfter)];
      case 'sequence': {
        let after = startAfter;
        for (const child of node.children) {
          after = this.addTree(child, after);
        }
        return after;
      }
      case 'parallel':
        return node.children.flatMap((child) => this.addTree(child, startAfter));
    }
  }

  /** The layout so far. */
  public build(): Layout {
    const after = new Set(this.actions.flatMap((a) => a.startAfter));
    const seconds = new Map<string, number>();
    for (const action of this.actions) { // actions are added after what they start after
      const start = Math.max(0, ...action.startAfter.map((n) => seconds.get(n) ?? 0));
      seconds.set(action.name, start + (action.spec.durationSeconds ?? 0));
    }
    return {
      actions: [...this.actions],
      targets: [...this.targets],
      terminals: this.actions.filter((a) => !after.has(a.name)).map((a) => a.name),
      longestSeconds: Math.max(0, ...seconds.values()),
    };
  }

  /** A target name, shared with an earlier action hitting exactly the same resources. */
  private targetFor(spec: FaultActionSpec): string {
    const definition = spec.definition;
    const target = spec.target!;
    const key = JSON.stringify({ type: definition.resourceType, ...target._spec, selection: target._spec.selection.mode });
    const existing = this.targetKeys.get(key);
    if (existing) {
      return existing;
    }
    const base = definition.targetKey!.toLowerCase();
    const name = `${base}-${this.targets.filter((t) => t.resourceType === definition.resourceType).length + 1}`;
    this.targets.push({ name, resourceType: definition.resourceType!, targets: target });
    this.targetKeys.set(key, name);
    return name;
  }
}

/** Most actions of a fault tree running at the same time. */
export function treeWidth(node: FaultNode): number {
  switch (node.kind) {
    case 'action': return 1;
    case 'sequence': return Math.max(...node.children.map(treeWidth));
    case 'parallel': return node.children.reduce((sum, c) => sum + treeWidth(c), 0);
  }
}

/** Seconds along the longest path of a fault tree. */
export function treeSeconds(node: FaultNode): number {
  switch (node.kind) {
    case 'action': return node.action.durationSeconds ?? 0;
    case 'sequence': return node.children.reduce((sum, c) => sum + treeSeconds(c), 0);
    case 'parallel': return Math.max(...node.children.map(treeSeconds));
  }
}

/** Actions of a tree, depth first. */
export function treeActions(node: FaultNode): FaultActionSpec[] {
  return node.kind === 'action' ? [node.action] : node.children.flatMap(treeActions);
}

/** FIS rules a fault tree breaks on its own: parallel width, and ECS network faults side by side. */
export function treeProblems(node: FaultNode, prop: string): Problem[] {
  const problems: Problem[] = [];
  const width = treeWidth(node);
  if (width > FIS_LIMITS.parallelActions) {
    problems.push({ prop, message: `runs ${width} actions at the same time; FIS runs at most ${FIS_LIMITS.parallelActions} in parallel. Put some in a Fault.sequence()` });
  }
  const visit = (n: FaultNode) => {
    if (n.kind === 'parallel') {
      const network = n.children.filter((c) => treeActions(c).some((a) => a.definition.actionId === FIS_ACTIONS.ecsNetworkLatency.actionId));
      if (network.length > 1) {
        problems.push({ prop, message: 'runs ECS network faults in parallel; FIS cannot inject two network faults into tasks at the same time. Put them in a Fault.sequence()' });
      }
    }
    if (n.kind !== 'action') {
      n.children.forEach(visit);
    }
  };
  visit(node);
  return problems;
}
