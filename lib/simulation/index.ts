export * from './alarm-rule';
export * from './metric-math';
export * from './simulator';
export * from './template-alarms';
