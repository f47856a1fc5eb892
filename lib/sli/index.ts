export * from './sli';
export * from './sli-definition';
export * from './ratio';
export * from './latency';
export { ApiAvailabilityOptions, ApiLatencyOptions } from './presets/api-gateway';
export { LoadBalancerLatencyOptions } from './presets/load-balancer';
export { LambdaLatencyOptions } from './presets/lambda';
