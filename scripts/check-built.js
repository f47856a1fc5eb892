#!/usr/bin/env node
/**
 * `npm pack` / `npm publish` (prepack): refuses to pack a package that was not built, or was built
 * before the last change to its sources, instead of building it here. Building here would recurse:
 * `npm run build` runs jsii-pacmak, which packs the package (`npm pack`) to embed the tarball in the
 * Python, Java, .NET and Go packages.
 */
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

/**
 * Why the build outputs in `dir` cannot be packed (missing, or older than a source under lib/ or
 * lambdas/), or undefined when they can. `outputs` defaults to everything the package ships.
 */
function notBuilt(dir = root, outputs = builtFiles(dir)) {
  const missing = outputs.filter((f) => !fs.existsSync(path.join(dir, f)));
  if (missing.length > 0) {
    return `not built: ${missing.join(', ')} missing`;
  }
  const oldestOutput = Math.min(...outputs.map((f) => fs.statSync(path.join(dir, f)).mtimeMs));
  const newer = ['lib', 'lambdas'].flatMap((d) => sources(path.join(dir, d)))
    .filter((f) => fs.statSync(f).mtimeMs > oldestOutput);
  if (newer.length > 0) {
    return `built before the last change to ${newer.slice(0, 3).map((f) => path.relative(dir, f)).join(', ')}`
      + `${newer.length > 3 ? ` and ${newer.length - 3} more` : ''}`;
  }
  return undefined;
}

/** The jsii assembly, the library entry, the command's bundle and each handler's bundle. */
function builtFiles(dir) {
  const handlers = fs.readdirSync(path.join(dir, 'lambdas'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, 'lambdas', d.name, 'index.ts')))
    .map((d) => path.join('dist', 'lambdas', d.name, 'index.js'));
  return ['.jsii', path.join('dist', 'lib', 'index.js'), path.join('dist', 'cli', 'cdk-reliability.js'), ...handlers];
}

function sources(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    return d.isDirectory() ? sources(full) : (full.endsWith('.ts') ? [full] : []);
  });
}

module.exports = { notBuilt };

if (require.main === module) {
  const reason = notBuilt();
  if (reason) {
    console.error(`cdk-reliability: cannot pack, the package is ${reason}. Run \`npm run build\` first.`);
    process.exit(1);
  }
}
