/**
 * The hand-written manifests of the sample app (test/cli/fixtures/manifests/shop), and variants of
 * them: `shop((m) => { service(m, 'checkout').slos[0].objective = 99.5; })`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EscalationEntry, ExperimentEntry, ReliabilityManifest, ServiceEntry, SloEntry, TierEntry } from '../../../lib/manifest/schema';
import { longWindowGuardEvents } from '../../../lib/slo/burn-rate';

export const FIXTURES = path.join(__dirname, '..', '..', 'cli', 'fixtures', 'manifests');
/** A cloud assembly: stacks Shop (3 services), Network (no manifest) and the stage Prod with Prod/Shop. */
export const SHOP_ASSEMBLY = path.join(FIXTURES, 'shop');
export const SHOP_FILE = path.join(SHOP_ASSEMBLY, 'Shop.reliability.json');
export const PROD_FILE = path.join(SHOP_ASSEMBLY, 'assembly-Prod', 'ProdShop1A2B3C4D.reliability.json');
/** A cloud assembly whose only stack holds no ReliableService. */
export const NO_SERVICES_ASSEMBLY = path.join(FIXTURES, 'no-services');

/** Everything writable, for editing a copy in a test. */
export type Mutable<T> = T extends ReadonlyArray<infer U> ? Array<Mutable<U>>
  : T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;

export type MutableManifest = Mutable<ReliabilityManifest>;

function load(file: string, edit?: (m: MutableManifest) => void): ReliabilityManifest {
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as MutableManifest;
  edit?.(manifest);
  return manifest as ReliabilityManifest;
}

/** The sample app's stack Shop: checkout, search, fulfilment. */
export function shop(edit?: (m: MutableManifest) => void): ReliabilityManifest {
  return load(SHOP_FILE, edit);
}

/** The stage's stack Prod/Shop (stack name Prod-Shop): checkout only. */
export function prod(edit?: (m: MutableManifest) => void): ReliabilityManifest {
  return load(PROD_FILE, edit);
}

export function service(m: MutableManifest, name: string): Mutable<ServiceEntry> {
  const found = m.services.find((s) => s.name === name);
  if (!found) throw new Error(`no service ${name}`);
  return found;
}

export function slo(m: MutableManifest, serviceName: string, name: string): Mutable<SloEntry> {
  const found = service(m, serviceName).slos.find((s) => s.name === name);
  if (!found) throw new Error(`no SLO ${serviceName}/${name}`);
  return found;
}

export function tier(m: MutableManifest, serviceName: string, sloName: string, id: string): Mutable<TierEntry> {
  const found = slo(m, serviceName, sloName).tiers.find((t) => t.id === id);
  if (!found) throw new Error(`no tier ${id}`);
  return found;
}

export function escalation(m: MutableManifest, serviceName: string): Mutable<EscalationEntry> {
  const found = service(m, serviceName).escalation;
  if (!found) throw new Error(`no escalation on ${serviceName}`);
  return found;
}

export function experiment(m: MutableManifest, serviceName: string, name: string): Mutable<ExperimentEntry> {
  const found = service(m, serviceName).experiments.find((e) => e.name === name);
  if (!found) throw new Error(`no experiment ${name}`);
  return found;
}

/** Sets an SLO's minimumEvents (undefined: none) and its tiers' guards, as the construct derives them. */
export function setMinimumEvents(s: Mutable<SloEntry>, value: number | undefined): void {
  if (value === undefined) delete s.minimumEvents; else s.minimumEvents = value;
  s.tiers.forEach((t) => { t.guardEvents = longWindowGuardEvents(t.errorRatio, value); });
}

/** Sets a tier's windows and budget share the way the construct derives its id, burn rate, threshold and guard. */
export function retune(t: Mutable<TierEntry>, s: Pick<SloEntry, 'windowSeconds' | 'errorBudget' | 'minimumEvents'>, change: {
  severity?: string; budgetPercent?: number; longWindowSeconds?: number; shortWindowSeconds?: number;
}): void {
  const label = (sec: number) => (sec % 86400 === 0 ? `${sec / 86400}d` : sec % 3600 === 0 ? `${sec / 3600}h` : `${sec / 60}m`);
  Object.assign(t, change);
  t.burnRate = Number(((t.budgetPercent / 100) * s.windowSeconds / t.longWindowSeconds).toPrecision(12));
  t.errorRatio = Number((t.burnRate * s.errorBudget).toPrecision(12));
  t.guardEvents = longWindowGuardEvents(t.errorRatio, s.minimumEvents);
  t.longWindow = label(t.longWindowSeconds);
  t.shortWindow = label(t.shortWindowSeconds);
  t.id = `${t.severity}-${t.longWindow}-${t.shortWindow}`;
}
