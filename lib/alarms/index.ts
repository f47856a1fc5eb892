export * from './descriptions';
export * from './expression';
export * from './slo-alarms';
