/**
 * Reading CloudFormation values: which resources a value refers to, and its plain strings.
 */

/** A template as JSON. */
export interface TemplateJson {
  readonly Resources?: Record<string, TemplateResource>;
}

/** A resource of a template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/** Logical ids a value refers to through `Ref` and `Fn::GetAtt` (at any depth). */
export function referencedLogicalIds(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((v) => referencedLogicalIds(v, into));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'Ref' && typeof v === 'string') {
        into.add(v);
      } else if (key === 'Fn::GetAtt') {
        const target = Array.isArray(v) ? v[0] : typeof v === 'string' ? v.split('.')[0] : undefined;
        if (typeof target === 'string') {
          into.add(target);
        }
      } else {
        referencedLogicalIds(v, into);
      }
    }
  }
  return into;
}

/** Every plain string in a value (at any depth), e.g. the literal parts of an `Fn::Join`. */
export function stringsIn(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') {
    into.push(value);
  } else if (Array.isArray(value)) {
    value.forEach((v) => stringsIn(v, into));
  } else if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach((v) => stringsIn(v, into));
  }
  return into;
}

/**
 * Alarm names written literally in a composite alarm rule: `ALARM("checkout-page") OR OK(other)`.
 * Parts of an `Fn::Join` are joined first, so that a name is not split.
 */
export function alarmNamesInRule(rule: unknown): string[] {
  const text = joinedText(rule);
  const names: string[] = [];
  for (const match of text.matchAll(/\b(?:ALARM|OK|INSUFFICIENT_DATA)\(\s*"?([^"()]+?)"?\s*\)/g)) {
    if (!match[1].includes('\u0000')) {
      names.push(match[1].trim());
    }
  }
  return names;
}

/** A value as text, with references replaced by a placeholder that no alarm name contains. */
function joinedText(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map(joinedText).join('');
  }
  if (typeof value === 'object' && value !== null) {
    const join = (value as Record<string, unknown>)['Fn::Join'];
    if (Array.isArray(join) && join.length === 2 && typeof join[0] === 'string' && Array.isArray(join[1])) {
      return join[1].map(joinedText).join(join[0]);
    }
    return '\u0000';
  }
  return String(value);
}
