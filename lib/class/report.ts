import { junitXml, type JunitCase } from '../../checkers/reporters/junit';
import type { CellStatus, ClassReport, GradeCell } from './grade';
import { inert } from '../core/inert';

/** What a cell says to an instructor. */
export const CELL_LABEL: Record<CellStatus, string> = {
  fixed: 'fixed',
  'not-fixed': 'not yet',
  error: 'error',
  'not-deployed': 'not deployed',
};

/** "3m", "1h05m", "2d4h": how long ago, coarse enough to read at a glance. */
export function ago(iso: string | undefined, now: Date): string {
  if (!iso) return '';
  const ms = Math.max(0, now.getTime() - new Date(iso).getTime());
  const m = Math.floor(ms / 60_000);
  if (m < 1) return '<1m';
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${h % 24}h`;
}

function hintsText(c: GradeCell): string {
  if (c.status === 'not-deployed' && c.hints.seen.length === 0) return '';
  const base = c.hints.seen.length ? `${c.hints.seen.length} (-${c.hints.cost})` : '0';
  return c.solutionSeen ? `${base} +solution` : base;
}

/** A lab graded without this machine's record of arming it says so; a lab not graded for want of evidence says why in its message. */
export function evidenceText(c: GradeCell): string {
  return c.evidence?.note && c.evidence.source !== 'missing' ? `evidence: ${c.evidence.note}` : '';
}

function detailText(c: GradeCell): string {
  return [c.status === 'fixed' ? '' : c.message, evidenceText(c)].filter(Boolean).join(' | ');
}

/** Plain-text table: one row per learner x scenario, then the totals. */
export function classToText(report: ClassReport, paint: (status: CellStatus, text: string) => string = (_s, t) => t): string {
  const now = new Date(report.generatedAt);
  const header = ['learner', 'scenario', 'result', 'hints', 'deployed', 'fixed after', 'detail'];
  const rows = report.cells.map((c) =>
    [
      c.learner,
      c.scenario,
      CELL_LABEL[c.status],
      hintsText(c),
      c.deployedAt ? `${ago(c.deployedAt, now)} ago` : '',
      c.firstFixedAt && c.deployedAt ? ago(c.deployedAt, new Date(c.firstFixedAt)) : '',
      detailText(c),
    ].map(inert),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === 6 ? 0 : r[i].length))));
  const line = (r: string[], status?: CellStatus) =>
    r
      .map((cell, i) => {
        const padded = i === r.length - 1 ? cell : cell.padEnd(widths[i]);
        return i === 2 && status ? paint(status, padded) : padded;
      })
      .join('  ')
      .trimEnd();
  const k = report.counts;
  return [
    line(header),
    ...rows.map((r, i) => line(r, report.cells[i].status)),
    '',
    `${report.learners.length} learners x ${report.scenarios.length} scenarios in ${(report.durationMs / 1000).toFixed(1)}s: ${k.fixed} fixed, ${k['not-fixed']} not yet, ${k.error} error, ${k['not-deployed']} not deployed.`,
  ].join('\n');
}

export function classToJson(report: ClassReport): string {
  return JSON.stringify(report);
}

/**
 * JUnit XML: one suite per learner, one test case per scenario. Not yet fixed
 * is a failure, error an error, not deployed skipped.
 */
export function classToJunit(report: ClassReport): string {
  const outcome: Record<CellStatus, JunitCase['outcome']> = {
    fixed: 'pass',
    'not-fixed': 'failure',
    error: 'error',
    'not-deployed': 'skipped',
  };
  return junitXml(
    'breakfix class',
    report.learners.map((learner) => ({
      name: learner,
      timestamp: report.generatedAt,
      cases: report.cells
        .filter((c) => c.learner === learner)
        .map((c): JunitCase => ({
          classname: `breakfix.${learner}`,
          name: c.scenario,
          time: c.durationMs / 1000,
          outcome: outcome[c.status],
          message: c.message,
          type: c.status,
          details: c.status === 'not-fixed' ? c.failing.map((f) => `${f.id}: ${f.message}`).join('\n') : undefined,
          systemOut: `hints ${c.hints.seen.join(',') || 'none'} (cost ${c.hints.cost})${c.solutionSeen ? ', solution seen' : ''}${c.deployedAt ? `, deployed ${c.deployedAt}` : ''}${c.firstFixedAt ? `, first fixed ${c.firstFixedAt}` : ''}${evidenceText(c) ? `, ${evidenceText(c)}` : ''}`,
        })),
    })),
  );
}
