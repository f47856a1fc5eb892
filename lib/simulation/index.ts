export * from './alarm-rule';
export * from './evaluator';
export * from './incident-report';
export * from './metric-math';
export * from './outcome';
export * from './scenario';
export * from './simulator';
export * from './template-alarms';
