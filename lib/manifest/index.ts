export * from './schema';
export * from './build';
export * from './writer';
export * from './compact';
