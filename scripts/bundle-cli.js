#!/usr/bin/env node
/**
 * Bundles the `cdk-reliability` command (lib/cli/main.ts) into one file, dist/cli/cdk-reliability.js,
 * with the local esbuild at build time, as scripts/bundle-lambdas.js does for the handlers.
 *
 * The AWS SDK v3 clients the command uses (FIS, CloudWatch, CloudWatch Logs) and their @smithy/@aws-sdk dependencies
 * are devDependencies and are inlined here, so the published package has no runtime dependencies:
 * a construct library's users install only the peers (aws-cdk-lib, constructs), and the command
 * still works. The library entry (dist/lib/index.js) never loads this file.
 *
 * The bundle's third-party licences (Apache-2.0 for the AWS SDK, with its NOTICE files, MIT, 0BSD)
 * are written beside it, as the licences of code we redistribute require.
 */
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const outdir = path.join(root, 'dist', 'cli');
const outfile = path.join(outdir, 'cdk-reliability.js');
const licensesFile = path.join(outdir, 'THIRD-PARTY-LICENSES.md');
const peers = Object.keys(require(path.join(root, 'package.json')).peerDependencies ?? {});

const result = esbuild.buildSync({
  entryPoints: [path.join(root, 'lib', 'cli', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  // the oldest Node.js the package supports (`engines`)
  target: 'node20',
  format: 'cjs',
  // Whitespace and syntax only: identifiers keep their names, so the stack trace the command prints
  // on an unexpected error still names our functions and the SDK's.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: false,
  legalComments: 'none',
  // The command needs neither peer today; if it ever imports one, the installed peer is used rather
  // than a second copy of aws-cdk-lib inside the bundle.
  external: [...peers, ...peers.map((p) => `${p}/*`)],
  metafile: true,
  logLevel: 'warning',
});

fs.chmodSync(outfile, 0o755);
fs.writeFileSync(licensesFile, thirdPartyLicenses(result.metafile));
console.log(`bundled lib/cli/main.ts -> ${path.relative(root, outfile)} (${fs.statSync(outfile).size} bytes, `
  + `${bundledPackages(result.metafile).length} package folders inlined)`);

/** The package folders (node_modules/<name> or node_modules/@scope/<name>) the bundle took code from. */
function bundledPackages(metafile) {
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) {
      dirs.add(match[1]);
    }
  }
  return [...dirs].map((dir) => path.join(root, dir)).sort();
}

/**
 * One section per distinct licence text (LICENSE* and NOTICE* files of each package), listing the
 * packages (name@version, SPDX id) under it.
 */
function thirdPartyLicenses(metafile) {
  const byText = new Map();
  for (const dir of bundledPackages(metafile)) {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const files = fs.readdirSync(dir).filter((f) => /^(licen[cs]e|notice)/i.test(f)).sort();
    const text = files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8').trim()).join('\n\n')
      || `(no licence file in the package; package.json declares ${pkg.license})`;
    const entry = byText.get(text) ?? { text, packages: new Set() };
    entry.packages.add(`${pkg.name}@${pkg.version} (${pkg.license})`);
    byText.set(text, entry);
  }
  const sections = [...byText.values()].map(({ text, packages }) =>
    `## ${[...packages].join(', ')}\n\n\`\`\`text\n${text}\n\`\`\`\n`);
  return '# Third-party code in cdk-reliability.js\n\n'
    + 'The `cdk-reliability` command is one file that includes the following npm packages.\n\n'
    + sections.join('\n');
}
