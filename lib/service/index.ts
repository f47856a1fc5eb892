export * from './reliable-service';
export * from './service-level-objective';
