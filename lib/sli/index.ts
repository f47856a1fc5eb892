export * from './sli';
export * from './sli-definition';
export * from './ratio';
export * from './latency';
export type { ApiAvailabilityOptions, ApiLatencyOptions } from './presets/api-gateway';
export type { LoadBalancerLatencyOptions } from './presets/load-balancer';
export type { LambdaLatencyOptions } from './presets/lambda';
