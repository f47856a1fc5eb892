/**
 * CloudFormation values as text people read: values from a synthesized template may hold
 * intrinsics, which are shown in `Fn::Sub` syntax (`${CheckoutHandler1234.Arn}`) instead of as
 * JSON. The manifest written at synth records dimensions and targets this way, and the command
 * line reads templates with it, so both show the same text for the same value.
 *
 * Pure and free of package imports.
 */

/** A CloudFormation value: a literal, a list, or an intrinsic function object. */
export type TemplateValue = unknown;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The single key of an intrinsic (`Ref`, `Fn::GetAtt`, ...) or undefined for a plain object. */
function intrinsicName(value: Record<string, unknown>): string | undefined {
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')) {
    return keys[0];
  }
  return undefined;
}

function renderGetAtt(arg: unknown): string {
  if (typeof arg === 'string') {
    return `\${${arg}}`; // 'Resource.Attribute' short form
  }
  if (Array.isArray(arg) && arg.length === 2) {
    const attribute = typeof arg[1] === 'string' ? arg[1] : renderValue(arg[1]);
    return `\${${renderValue(arg[0])}.${attribute}}`;
  }
  return `\${GetAtt ${JSON.stringify(arg)}}`;
}

function renderSub(arg: unknown): string {
  if (typeof arg === 'string') {
    return arg;
  }
  if (Array.isArray(arg) && typeof arg[0] === 'string') {
    const variables = isRecord(arg[1]) ? arg[1] : {};
    // variables given in the Sub are replaced by their rendered values; the rest stay as ${Name}
    return arg[0].replace(/\$\{([^!}][^}]*)\}/g, (whole, name: string) =>
      name in variables ? renderValue(variables[name]) : whole);
  }
  return `\${Sub ${JSON.stringify(arg)}}`;
}

function renderIntrinsic(name: string, arg: unknown): string {
  switch (name) {
    case 'Ref':
      return `\${${renderValue(arg)}}`;
    case 'Fn::GetAtt':
      return renderGetAtt(arg);
    case 'Fn::Join':
      if (Array.isArray(arg) && arg.length === 2 && Array.isArray(arg[1])) {
        return arg[1].map((part) => renderValue(part)).join(typeof arg[0] === 'string' ? arg[0] : '');
      }
      break;
    case 'Fn::Sub':
      return renderSub(arg);
    case 'Fn::Select':
      if (Array.isArray(arg) && arg.length === 2 && Array.isArray(arg[1]) && typeof arg[0] !== 'object') {
        const picked = arg[1][Number(arg[0])];
        if (picked !== undefined) {
          return renderValue(picked);
        }
      }
      if (Array.isArray(arg) && arg.length === 2) {
        return `\${Select(${renderValue(arg[0])}, ${renderValue(arg[1])})}`;
      }
      break;
    case 'Fn::ImportValue':
      return `\${Import ${renderValue(arg)}}`;
    case 'Fn::If':
      if (Array.isArray(arg) && arg.length === 3) {
        return `\${If ${renderValue(arg[0])} then ${renderValue(arg[1])} else ${renderValue(arg[2])}}`;
      }
      break;
    default:
      break;
  }
  const short = name.replace(/^Fn::/, '');
  return `\${${short}(${Array.isArray(arg) ? arg.map((a) => renderValue(a)).join(', ') : renderValue(arg)})}`;
}

/**
 * A template value as readable text. Literals are returned as they are; `Ref` and `Fn::GetAtt`
 * become `${LogicalId}` and `${LogicalId.Attribute}`; `Fn::Join` is joined with its parts rendered;
 * `Fn::Sub` keeps its `${...}` text with the variables it defines filled in; `Fn::Select` on a
 * literal list picks the item; lists are shown as `[a, b]`; other intrinsics as `${Name(args)}`.
 */
export function renderValue(value: TemplateValue): string {
  if (value === undefined || value === null) {
    return '';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => renderValue(v)).join(', ')}]`;
  }
  if (isRecord(value)) {
    const name = intrinsicName(value);
    if (name) {
      return renderIntrinsic(name, value[name]);
    }
    return JSON.stringify(value);
  }
  return String(value);
}

/** A list value as rendered items: a literal list item by item, anything else as one item. */
export function renderList(value: TemplateValue): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value.map((v) => renderValue(v)) : [renderValue(value)];
}
