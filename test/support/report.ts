import { blockingResults, type CheckReport, type CriterionResult } from '../../checkers/criterion';

/** The result of one criterion of a report; a missing one fails the test. */
export function criterion(report: CheckReport, id: string): CriterionResult {
  const found = report.criteria.find((c) => c.id === id);
  if (!found) throw new Error(`report has no criterion ${id}`);
  return found;
}

/** IDs of the criteria that keep the lab from `fixed`. */
export const failing = (report: CheckReport): string[] => blockingResults(report.criteria).map((c) => c.id);
