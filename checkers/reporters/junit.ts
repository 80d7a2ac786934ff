import type { CheckReport } from '../criterion';

/** Characters XML 1.0 cannot carry at all, even escaped (NUL, terminal escapes, lone surrogates, ...); dropped. */
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

/** One test case: passed, failed, errored or skipped, with what CI should show. */
export interface JunitCase {
  readonly classname: string;
  readonly name: string;
  readonly outcome: 'pass' | 'failure' | 'error' | 'skipped';
  /** The one-sentence reason (the `message` attribute); for a pass, shown as system-out unless `systemOut` is given. */
  readonly message: string;
  /** The `type` attribute of a failure or error. */
  readonly type?: string;
  /** Longer text inside a failure element. */
  readonly details?: string;
  readonly systemOut?: string;
  /** Seconds. @default 0 */
  readonly time?: number;
}

export interface JunitSuite {
  readonly name: string;
  readonly cases: readonly JunitCase[];
  /** Seconds. */
  readonly time?: number;
  readonly timestamp?: string;
  readonly properties?: Readonly<Record<string, string>>;
}

const count = (cases: readonly JunitCase[], outcome: JunitCase['outcome']) => cases.filter((c) => c.outcome === outcome).length;
const counts = (cases: readonly JunitCase[]) =>
  `tests="${cases.length}" failures="${count(cases, 'failure')}" errors="${count(cases, 'error')}" skipped="${count(cases, 'skipped')}"`;

function caseXml(c: JunitCase): string {
  const open = `    <testcase classname="${esc(c.classname)}" name="${esc(c.name)}" time="${(c.time ?? 0).toFixed(c.time === undefined ? 0 : 3)}">`;
  const out = c.systemOut ?? (c.outcome === 'pass' ? c.message : undefined);
  const parts: string[] = [];
  if (c.outcome === 'failure' || c.outcome === 'error') {
    const attrs = `message="${esc(c.message)}" type="${esc(c.type ?? (c.outcome === 'failure' ? 'fail' : 'error'))}"`;
    parts.push(c.details ? `<${c.outcome} ${attrs}>${esc(c.details)}</${c.outcome}>` : `<${c.outcome} ${attrs}/>`);
  } else if (c.outcome === 'skipped') parts.push(`<skipped message="${esc(c.message)}"/>`);
  if (out !== undefined) parts.push(`<system-out>${esc(out)}</system-out>`);
  return `${open}${parts.map((p) => `\n      ${p}`).join('')}\n    </testcase>`;
}

/** JUnit XML for any suites: the one writer breakfix has (check --junit and class grade --junit). */
export function junitXml(name: string, suites: readonly JunitSuite[]): string {
  const all = suites.flatMap((s) => s.cases);
  const body = suites.map((s) => {
    const attrs = [
      `name="${esc(s.name)}"`,
      counts(s.cases),
      ...(s.time !== undefined ? [`time="${s.time.toFixed(3)}"`] : []),
      ...(s.timestamp !== undefined ? [`timestamp="${esc(s.timestamp)}"`] : []),
    ].join(' ');
    const props = s.properties
      ? [
          `    <properties>${Object.entries(s.properties)
            .map(([k, v]) => `<property name="${esc(k)}" value="${esc(v)}"/>`)
            .join('')}</properties>`,
        ]
      : [];
    return [`  <testsuite ${attrs}>`, ...props, ...s.cases.map(caseXml), '  </testsuite>'].join('\n');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${esc(name)}" ${counts(all)}>\n${body.join('\n')}\n</testsuites>\n`;
}

const OUTCOME = { pass: 'pass', fail: 'failure', error: 'error', 'not-applicable': 'skipped' } as const;

/** JUnit XML of check reports: one suite per report, one test case per criterion. Advice never fails a case. */
export function toJunit(reports: readonly CheckReport[], suiteName = 'breakfix'): string {
  return junitXml(
    suiteName,
    reports.map((r) => ({
      name: r.scenario,
      time: r.durationMs / 1000,
      properties: { target: r.target, verdict: r.verdict },
      cases: r.criteria.map((c): JunitCase => ({
        classname: r.scenario,
        name: `${c.id}: ${c.title}`,
        outcome: c.kind === 'advice' && c.status === 'fail' ? 'pass' : OUTCOME[c.status],
        message: c.message,
      })),
    })),
  );
}
