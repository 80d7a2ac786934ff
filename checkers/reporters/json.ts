import type { CheckReport } from '../criterion';

/** The `check --json` contract: one object, keys in documented order. */
export function toJson(report: CheckReport): string {
  return JSON.stringify({
    scenario: report.scenario,
    target: report.target,
    verdict: report.verdict,
    criteria: report.criteria.map((c) => ({
      id: c.id,
      title: c.title,
      status: c.status,
      message: c.message,
      ...(c.advice ? { advice: c.advice } : {}),
    })),
    durationMs: report.durationMs,
  });
}
