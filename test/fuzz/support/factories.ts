/**
 * Library factory calls as generated values: the call happens inside the case (so that whatever it
 * throws meets the oracle), and a counterexample prints it as code.
 */
import * as fc from 'fast-check';
import { fromWorld, FromWorld, realize } from './arbitraries';

/** `fc.stringify`, which throws on some hostile values (a Proxy without a label). */
function show(value: unknown): string {
  try {
    return fc.stringify(value);
  } catch {
    return '<a hostile value>';
  }
}

/** `name(args…)`, called in the case's world with its arguments realized there. */
export function call<W, T>(name: string, fn: (...args: any[]) => T, ...args: fc.Arbitrary<unknown>[]): fc.Arbitrary<FromWorld<W, T>> {
  return fc.tuple(...args).map((values) => fromWorld<W, T>(
    `${name}(${trimTrailingUndefined(values).map(show).join(', ')})`,
    (world) => fn(...values.map((v) => realize(v, world))),
  ));
}

/** `name(...list)`: a rest-parameter call whose argument list is generated as one array. */
export function callSpread<W, T>(name: string, fn: (...args: any[]) => T, list: fc.Arbitrary<unknown[]>): fc.Arbitrary<FromWorld<W, T>> {
  return list.map((values) => fromWorld<W, T>(
    `${name}(${values.map(show).join(', ')})`,
    (world) => fn(...values.map((v) => realize(v, world))),
  ));
}

function trimTrailingUndefined(values: unknown[]): unknown[] {
  const out = [...values];
  while (out.length > 0 && out[out.length - 1] === undefined) {
    out.pop();
  }
  return out;
}
