/**
 * aws-cdk-lib runs its built-in CloudFormation validation (a WebAssembly rule engine, ~3 s to
 * start per test file) on every synth. Unit tests turn it off for speed; test/bin/app.test.ts
 * turns it back on, as errors, for the sample app, so the templates are still validated.
 */
process.env.CDK_VALIDATION = 'false';
