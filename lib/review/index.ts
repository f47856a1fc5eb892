export * from './format';
export * from './markdown';
export * from './policy';
export * from './report';
export * from './classify';
export * from './diff';
export * from './diff-render';
