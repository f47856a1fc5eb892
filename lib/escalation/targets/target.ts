/**
 * What the built-in targets add to `INotifyTarget`: checks the policy runs before it builds
 * anything, so that every problem of every target is reported at once, naming its prop. Members
 * start with `_` (jsii's convention for internal ones); the policy finds them by duck typing, so
 * targets built by another copy of this library are checked too.
 */
import type { Construct } from 'constructs';
import type { INotifyTarget, NotifyTargetBindOptions, NotifyTargetConfig } from '../notify-target';

/** A built-in target. */
export abstract class CheckedNotifyTarget implements INotifyTarget {
  /** What is wrong with the target as given, if anything (a message without the prop). */
  public abstract _problem(): string | undefined;

  /** A short description for messages: `email primary@example.com`, `PagerDuty Events API v2`. */
  public abstract _describe(): string;

  /** What makes two targets the same (`email:a@example.com`); `undefined` for targets compared by object. */
  public _identity(): string | undefined {
    return undefined;
  }

  public abstract bind(scope: Construct, options: NotifyTargetBindOptions): NotifyTargetConfig;
}

/** Whether `value` is a built-in target (duck-typed). */
export function isCheckedTarget(value: object): value is CheckedNotifyTarget {
  const t = value as Partial<CheckedNotifyTarget>;
  return typeof t._problem === 'function' && typeof t._describe === 'function' && typeof t._identity === 'function';
}
