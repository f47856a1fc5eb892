export * from './service-dashboard';
