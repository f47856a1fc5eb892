#!/usr/bin/env node
/**
 * Bundles every handler under lambdas/<name>/index.ts into dist/lambdas/<name>/index.js with the
 * local esbuild (no Docker), once, at build time, leaving out the AWS SDK v3 that the runtime
 * provides. Constructs point their Lambda code at these
 * folders, so synth and unit tests never bundle.
 */
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const source = path.join(root, 'lambdas');
const out = path.join(root, 'dist', 'lambdas');

const handlers = fs.readdirSync(source, { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(source, d.name, 'index.ts')))
  .map((d) => d.name)
  .sort();

for (const name of handlers) {
  const outfile = path.join(out, name, 'index.js');
  esbuild.buildSync({
    entryPoints: [path.join(source, name, 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22', // runs on the Node.js 24 runtime the functions use; node22 keeps the output plain
    format: 'cjs',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    // The Node.js Lambda runtimes ship AWS SDK for JavaScript v3: leaving it out keeps each
    // bundle around 40 KB instead of ~700 KB (the benchmark's 500 KB target); the clients used are
    // long-stable APIs (CloudWatch, DynamoDB, Lambda, Scheduler, Secrets Manager, SNS; the report
    // function also CloudFormation, CloudWatch Logs, FIS and S3). lambdas/report bundles the period
    // report engine of lib/cli/period-report with it (the one handler allowed to import from lib/).
    external: ['@aws-sdk/*'],
    logLevel: 'warning',
  });
  console.log(`bundled lambdas/${name} -> ${path.relative(root, outfile)} (${fs.statSync(outfile).size} bytes)`);
}
if (handlers.length === 0) {
  console.log('no handlers to bundle');
}
