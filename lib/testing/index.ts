export * from './snapshot-serializer';
