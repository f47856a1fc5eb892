/**
 * The acknowledge function's environment (lambdas/shared/contract.ts), read and checked. Pure.
 */
import { AcknowledgeEnvironment, RawEnvironment } from '../shared/contract';

export interface AckConfig {
  readonly policyName: string;
  readonly tableName: string;
  readonly signingSecretArn: string;
  readonly escalationFunctionName: string;
}

/** Reads the environment; throws naming the first variable that is missing. */
export function loadAckConfig(env: RawEnvironment<AcknowledgeEnvironment> = process.env): AckConfig {
  const get = (name: keyof AcknowledgeEnvironment): string => {
    const v = env[name];
    if (!v) {
      throw new Error(`acknowledge function environment: ${name} is required`);
    }
    return v;
  };
  return {
    policyName: get('POLICY_NAME'),
    tableName: get('TABLE_NAME'),
    signingSecretArn: get('SIGNING_SECRET_ARN'),
    escalationFunctionName: get('ESCALATION_FUNCTION_NAME'),
  };
}
