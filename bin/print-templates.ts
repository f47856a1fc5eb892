#!/usr/bin/env node
/**
 * Prints where `cdk synth` put the templates, with their size and resource count:
 * `node dist/bin/print-templates.js cdk.out`.
 */
import * as fs from 'fs';
import * as path from 'path';

const outdir = path.resolve(process.argv[2] ?? 'cdk.out');
if (!fs.existsSync(outdir)) {
  console.error(`No cloud assembly at ${outdir}: run 'npm run synth' first.`);
  process.exit(1);
}
const templates = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json')).sort();
console.log(`Synthesized ${templates.length} template(s) into ${outdir}:`);
for (const file of templates) {
  const full = path.join(outdir, file);
  const template = JSON.parse(fs.readFileSync(full, 'utf8'));
  const resources = Object.values<{ Type: string }>(template.Resources ?? {});
  const alarms = resources.filter((r) => r.Type === 'AWS::CloudWatch::Alarm').length;
  const composites = resources.filter((r) => r.Type === 'AWS::CloudWatch::CompositeAlarm').length;
  console.log(`  ${full}  (${resources.length} resources, ${alarms} alarms, ${composites} composite alarms, ${fs.statSync(full).size} bytes)`);
}
