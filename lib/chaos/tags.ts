/**
 * Tag keys on every experiment template: the game-day runner (`lib/cli`) finds templates by them.
 * Kept free of construct imports so the command line can read it without loading aws-cdk-lib.
 */
export const EXPERIMENT_TAGS = {
  name: 'Name',
  stack: 'cdk-reliability:stack',
  service: 'cdk-reliability:service',
  experiment: 'cdk-reliability:experiment',
} as const;
