export * from './deployed';
export * from './diff';
export * from './evaluate';
export * from './flags';
export * from './format';
export * from './history';
export * from './load';
export * from './session';
