import { Template } from 'aws-cdk-lib/assertions';

/** A widget of a dashboard body. */
export interface Widget {
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, any>;
}

/** A dashboard as deployed: its name and parsed body. */
export interface Body {
  name: string;
  start?: string;
  widgets: Widget[];
}

/** A resolved value as text: references written `<LogicalId>` or `<LogicalId.Attribute>`. */
function text(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  const v = value as Record<string, any>;
  if (Array.isArray(v['Fn::Join'])) {
    const [separator, parts] = v['Fn::Join'];
    return (parts as unknown[]).map(text).join(separator);
  }
  if (typeof v.Ref === 'string') {
    return `<${v.Ref}>`;
  }
  if (Array.isArray(v['Fn::GetAtt'])) {
    return `<${v['Fn::GetAtt'].join('.')}>`;
  }
  throw new Error(`unexpected value in a dashboard body: ${JSON.stringify(value)}`);
}

/** Every dashboard of a template, in template order, bodies parsed. */
export function dashboards(template: Template): Body[] {
  return Object.values(template.findResources('AWS::CloudWatch::Dashboard')).map((d) => ({
    name: d.Properties.DashboardName,
    ...JSON.parse(text(d.Properties.DashboardBody)),
  }));
}

/** The only dashboard of a template. */
export function onlyDashboard(template: Template): Body {
  const all = dashboards(template);
  if (all.length !== 1) {
    throw new Error(`expected one dashboard, found ${all.length}`);
  }
  return all[0];
}

/** Widgets whose title starts with `prefix`. */
export function titled(body: Body, prefix: string): Widget[] {
  return body.widgets.filter((w) => String(w.properties.title ?? '').startsWith(prefix));
}

/** The widget whose title is `title`. */
export function widget(body: Body, title: string): Widget {
  const found = body.widgets.filter((w) => w.properties.title === title);
  if (found.length !== 1) {
    throw new Error(`expected one widget titled '${title}', found ${found.length}: ${body.widgets.map((w) => w.properties.title).join(' | ')}`);
  }
  return found[0];
}

/** Metrics and expressions a body reads (what CloudWatch counts against its limits). */
export function metricCount(body: Body): number {
  return body.widgets.reduce((sum, w) => sum + (w.properties.metrics?.length ?? 0), 0);
}

/** The expressions of a metric widget, in order. */
export function expressions(w: Widget): string[] {
  return (w.properties.metrics as unknown[][]).flatMap((m) => {
    const options = m[m.length - 1] as { expression?: string };
    return typeof options === 'object' && options.expression ? [options.expression] : [];
  });
}

/** The markdown of every text widget, joined. */
export function markdown(body: Body): string {
  return body.widgets.filter((w) => w.type === 'text').map((w) => w.properties.markdown).join('\n\n');
}
