/**
 * Runs cdk-nag 3's AwsSolutions and Serverless packs the way a user does
 * (`Validations.of(app).addPlugins(...)`, one synth for both), and reads what they report.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NagPack, ServerlessChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { ACKNOWLEDGED_RULES_METADATA_KEY } from '../../lib/nag/suppressions';

/** One finding: severity, rule (with its `[finding]`), where, and what the rule says. */
export interface Finding {
  readonly severity: string;
  readonly rule: string;
  readonly path: string;
  readonly description: string;
}

/** One acknowledgement recorded in the tree. */
export interface Acknowledged {
  readonly path: string;
  readonly rule: string;
  readonly reason: string;
}

/** A fresh app for a nag run: no bundling, and a failed validation written to the report instead of thrown. */
export function nagApp(): App {
  return new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'nag-')),
    context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:failSynthOnValidationErrors': false },
  });
}

/** The packs of the issue: AwsSolutions and Serverless. */
export function packs(app: App): NagPack[] {
  return [new AwsSolutionsChecks(app), new ServerlessChecks(app)];
}

/**
 * Synthesizes `app` once with both packs as validation plugins, and returns the findings left
 * after acknowledgements (from the cloud assembly's validation-report.json). Removes the output.
 */
export function runPacks(app: App): Finding[] {
  Validations.of(app).addPlugins(...packs(app));
  const assembly = app.synth();
  try {
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    const findings: Finding[] = [];
    for (const plugin of report.pluginReports ?? []) {
      for (const v of plugin.violations ?? []) {
        for (const c of v.violatingConstructs ?? []) {
          findings.push({ severity: v.severity, rule: v.ruleName, path: c.constructPath, description: v.description });
        }
      }
    }
    return findings;
  } finally {
    fs.rmSync(assembly.directory, { recursive: true, force: true });
  }
}

/**
 * What the packs find when every acknowledgement is ignored (run on the synthesized tree, after
 * `runPacks`): shows that each acknowledgement silences a real finding.
 */
export function rawFindings(app: App): Finding[] {
  const findings: Finding[] = [];
  for (const pack of packs(app)) {
    // cdk-nag 3 checks acknowledgements in NagPack.isAcknowledged (private); ignore them all.
    Object.defineProperty(pack, 'isAcknowledged', { value: () => false });
    for (const v of pack.validateScope(app).violations) {
      for (const r of v.violatingResources) {
        findings.push({ severity: v.severity ?? 'error', rule: v.ruleName, path: r.constructPath!, description: v.description ?? '' });
      }
    }
  }
  return findings;
}

/** Every acknowledgement recorded in the tree under `root`. */
export function acknowledgements(root: IConstruct): Acknowledged[] {
  const found: Acknowledged[] = [];
  for (const c of root.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type === ACKNOWLEDGED_RULES_METADATA_KEY) {
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          found.push({ path: c.node.path, rule: id.replace(/^annotation::/i, ''), reason });
        }
      }
    }
  }
  return found;
}

/** Whether `c` is a stack or the app. */
export function isStackOrApp(c: IConstruct): boolean {
  return Stack.isStack(c) || c.node.scope === undefined;
}

/** Findings as lines a person reads in a failed test. */
export function readable(findings: Finding[]): string[] {
  return findings.map((f) => `${f.severity} ${f.rule} at ${f.path}: ${f.description}`);
}

/** Whether `path` is `root` or under it. */
export function isAtOrUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}
