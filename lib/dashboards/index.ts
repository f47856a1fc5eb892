export * from './service-dashboard';
export { DASHBOARD_LIMITS } from './limits';
