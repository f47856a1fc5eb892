export * from './service';
export * from './sli';
export * from './slo';
export * from './alarms';
export * from './testing';
export * from './simulation';
export * from './escalation';
export * from './dashboards';
