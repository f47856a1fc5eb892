export * from './snapshot-serializer';
export * from './policy-snapshot';
