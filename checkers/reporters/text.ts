import type { CheckReport, CriterionStatus } from '../criterion';
import { inert } from '../../lib/core/inert';

export interface TextStyle {
  paint(style: 'red' | 'green' | 'yellow' | 'dim' | 'bold' | 'cyan', text: string): string;
}

const MARK: Record<CriterionStatus, { mark: string; style: 'red' | 'green' | 'yellow' | 'dim' }> = {
  pass: { mark: 'PASS', style: 'green' },
  fail: { mark: 'FAIL', style: 'red' },
  error: { mark: 'ERROR', style: 'yellow' },
  'not-applicable': { mark: 'N/A', style: 'dim' },
};

/** Advice prints as advice, whatever it found; only an advice criterion that could not run says ERROR or N/A. */
const ADVICE = { mark: 'ADVICE', style: 'cyan' } as const;

function markOf(c: CheckReport['criteria'][number]): { mark: string; style: 'red' | 'green' | 'yellow' | 'dim' | 'cyan' } {
  return c.kind === 'advice' && (c.status === 'pass' || c.status === 'fail') ? ADVICE : MARK[c.status];
}

export function toText(report: CheckReport, style: TextStyle): string {
  const lines: string[] = [];
  lines.push(style.paint('bold', `${report.scenario} on ${report.target}`));
  const width = Math.max(5, ...report.criteria.map((c) => markOf(c).mark.length));
  for (const c of report.criteria) {
    const m = markOf(c);
    lines.push(`  ${style.paint(m.style, m.mark.padEnd(width))} ${inert(c.title)}`);
    const indent = ' '.repeat(width + 3);
    lines.push(`${indent}${inert(c.message)}`);
    if (c.advice) lines.push(`${indent}${style.paint('cyan', `advice: ${inert(c.advice)}`)}`);
  }
  const verdict = report.verdict === 'fixed' ? style.paint('green', 'FIXED') : style.paint('red', 'NOT FIXED YET');
  lines.push(`${verdict} (${report.durationMs} ms)`);
  return lines.join('\n');
}
