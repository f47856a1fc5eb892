export * from './alert-policy';
export * from './burn-rate';
export * from './cost';
export * from './names';
export * from './tiers';
export * from './validation';
export * from './windows';
