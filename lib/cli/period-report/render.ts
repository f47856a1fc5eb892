/**
 * The output formats of `review`, by `--format` name. A format is one pure function of the
 * report; adding one is one entry here.
 */
import { renderPeriodReportHtml } from './html';
import { renderPeriodReportMarkdown } from './markdown';
import type { PeriodReport } from './model';

/** Renders a report as text. */
export type PeriodReportRenderer = (report: PeriodReport) => string;

/** The report as JSON: exactly the `PeriodReport` structure, indented. */
export function renderPeriodReportJson(report: PeriodReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** `--format` values and their renderers; the first is the default. */
export const PERIOD_REPORT_FORMATS: Readonly<Record<string, PeriodReportRenderer>> = {
  markdown: renderPeriodReportMarkdown,
  json: renderPeriodReportJson,
  /** One self-contained page (inline CSS and SVG charts, no script, no external asset). */
  html: renderPeriodReportHtml,
};
