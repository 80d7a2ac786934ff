import { Criterion, fail, pass } from '../../../checkers/criterion';
import type { HealthCheckSnapshot } from '../gather';
import { matcherRanges } from '../symptom';

export const healthCheckMatcherAcceptsOnlySuccess: Criterion<HealthCheckSnapshot> = {
  id: 'health-check-matcher-accepts-only-success',
  title: "The target group's health-check matcher accepts success codes only (200-399)",
  rationale: 'A matcher that accepts 4xx or 5xx marks a target healthy when it answers with an error, so broken tasks take traffic.',
  references: ['https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Matcher.html'],
  evaluate(s) {
    if (!s.targetGroup) return fail(`The service's target group ${s.stackTargetGroupArn} does not exist.`);
    const code = s.targetGroup.Matcher?.HttpCode ?? '200';
    const ranges = matcherRanges(code);
    if (ranges.length === 0) return fail(`Target group ${s.targetGroup.TargetGroupName} has a matcher (${code}) that names no HTTP codes.`);
    const wide = ranges.find((r) => r.from < 200 || r.to > 399);
    if (wide)
      return fail(
        `Target group ${s.targetGroup.TargetGroupName} counts ${code} as healthy, which includes error codes (${wide.from}-${wide.to}).`,
      );
    return pass(`Target group ${s.targetGroup.TargetGroupName} counts only ${code} as healthy.`);
  },
};
