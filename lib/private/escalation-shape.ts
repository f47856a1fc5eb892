/**
 * Recognising what an escalation policy exposes beyond `IEscalationPolicy`, by shape rather than
 * by `instanceof`, so that a policy made by another copy of this library (two versions in one
 * app) is read the same way everywhere: the dashboard's pager section, the manifest's chain.
 */
import type { EscalationChain, IEscalationPolicy } from '../escalation/escalation-policy';

/**
 * The chain a policy declares (`EscalationPolicy.chain`), or `undefined` for a policy that does
 * not expose one (a bare `IEscalationPolicy`, e.g. a wrapper of an existing pager).
 */
export function declaredChain(policy: IEscalationPolicy): EscalationChain | undefined {
  const chain = (policy as { chain?: unknown }).chain;
  return typeof chain === 'object' && chain !== null && Array.isArray((chain as { levels?: unknown }).levels)
    ? chain as EscalationChain
    : undefined;
}
