import type { CheckReport, CriterionStatus } from '../criterion';

export interface TextStyle {
  paint(style: 'red' | 'green' | 'yellow' | 'dim' | 'bold' | 'cyan', text: string): string;
}

const MARK: Record<CriterionStatus, { mark: string; style: 'red' | 'green' | 'yellow' | 'dim' }> = {
  pass: { mark: 'PASS', style: 'green' },
  fail: { mark: 'FAIL', style: 'red' },
  error: { mark: 'ERROR', style: 'yellow' },
  'not-applicable': { mark: 'N/A', style: 'dim' },
};

export function toText(report: CheckReport, style: TextStyle): string {
  const lines: string[] = [];
  lines.push(style.paint('bold', `${report.scenario} on ${report.target}`));
  for (const c of report.criteria) {
    const m = MARK[c.status];
    lines.push(`  ${style.paint(m.style, m.mark.padEnd(5))} ${c.title}`);
    lines.push(`        ${c.message}`);
    if (c.advice) lines.push(`        ${style.paint('cyan', `advice: ${c.advice}`)}`);
  }
  const verdict = report.verdict === 'fixed' ? style.paint('green', 'FIXED') : style.paint('red', 'NOT FIXED YET');
  lines.push(`${verdict} (${report.durationMs} ms)`);
  return lines.join('\n');
}
