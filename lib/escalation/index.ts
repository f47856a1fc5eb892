export * from './alarm-tags';
export * from './escalation-policy';
export * from './notify';
export * from './validation';
