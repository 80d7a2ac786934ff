import type { CheckReport } from '../criterion';

/** Characters XML 1.0 cannot carry at all, even escaped (NUL, terminal escapes, ...); dropped. */
// Matching control characters is the point: XML cannot carry them.
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function esc(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** JUnit XML: one suite per report, one test case per criterion. */
export function toJunit(reports: readonly CheckReport[], suiteName = 'breakfix'): string {
  const suites = reports.map((r) => {
    const failures = r.criteria.filter((c) => c.status === 'fail').length;
    const errors = r.criteria.filter((c) => c.status === 'error').length;
    const skipped = r.criteria.filter((c) => c.status === 'not-applicable').length;
    const cases = r.criteria.map((c) => {
      const open = `    <testcase classname="${esc(r.scenario)}" name="${esc(`${c.id}: ${c.title}`)}" time="0">`;
      const body =
        c.status === 'fail'
          ? `\n      <failure message="${esc(c.message)}" type="fail"/>\n    `
          : c.status === 'error'
            ? `\n      <error message="${esc(c.message)}" type="error"/>\n    `
            : c.status === 'not-applicable'
              ? `\n      <skipped message="${esc(c.message)}"/>\n    `
              : `\n      <system-out>${esc(c.message)}</system-out>\n    `;
      return `${open}${body}</testcase>`;
    });
    return [
      `  <testsuite name="${esc(r.scenario)}" tests="${r.criteria.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${(r.durationMs / 1000).toFixed(3)}">`,
      `    <properties><property name="target" value="${esc(r.target)}"/><property name="verdict" value="${r.verdict}"/></properties>`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${esc(suiteName)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
