export * from './alarm-rule';
export * from './incident-report';
export * from './metric-math';
export * from './simulator';
export * from './template-alarms';
